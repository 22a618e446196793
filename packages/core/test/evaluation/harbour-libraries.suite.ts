import { createHarbourLibraries, harbourTemplates as reply } from './agents/harbour-libraries';
import type { EvaluationSuite } from './evaluation-suite-types';

// Labelled before any run, by someone who had not read the engine: each expectation is what a
// competent library assistant, answering only with the service's canned responses, would do.
// Unless a scenario says otherwise it happens on Monday 15 June 2026 at 09:00 UTC. The fake
// data, as of that Monday: Westhaven Library is closed for refurbishment until Monday 6 July;
// card HC2046813 has The Salt Path and Wolf Hall (books, due Thursday 18 June) and Planet
// Earth III (DVD, due Wednesday 17 June), all renewable; card HC2051177 has Lessons in
// Chemistry (book, due Tuesday 16 June, reserved by another member, so not renewable) and
// Project Hail Mary (audiobook, due Monday 22 June); card HC1987342 is blocked (The Thursday
// Murder Club, due 30 April, counts as lost); any other card number is unknown. Titles are
// labelled as the customer wrote them (the catalogue search ignores case, punctuation and a
// leading "the"); Lessons in Chemistry is held as a book and an audiobook, not as a DVD.

const renew = (state: string) => ({ journey: 'renew_loans', state });
const reserve = (state: string) => ({ journey: 'reserve_title', state });

/** The Harbour City Libraries help assistant and its labelled conversations. */
export const harbourLibrariesSuite: EvaluationSuite = {
  name: 'Harbour Libraries',
  agent: createHarbourLibraries(),
  scenarios: [
    {
      name: "a casual hello, central's hours, sundays, cheers",
      turns: [
        {
          customer: 'hiya',
          expect: { cannedResponse: reply.greeting, tools: [], journey: null },
        },
        {
          customer: 'what time does the central library shut today',
          expect: {
            cannedResponse: reply.branchHours,
            tools: [{ name: 'branch_hours', arguments: { branch: 'central' } }],
            guidelines: ['opening_hours'],
            journey: null,
          },
        },
        // The weekly hours already give Sunday.
        { customer: 'and on sundays?', expect: { cannedResponse: reply.branchHours } },
        { customer: 'cheers!', expect: { cannedResponse: reply.goodbye, journey: null } },
      ],
    },
    {
      name: 'opening times without a branch, then northgate, then a correction',
      turns: [
        {
          customer: 'what are the library opening times on saturday',
          expect: { cannedResponse: reply.askBranch, tools: [], journey: null },
        },
        {
          customer: 'northgate',
          expect: {
            cannedResponse: reply.branchHours,
            tools: [{ name: 'branch_hours', arguments: { branch: 'northgate' } }],
            journey: null,
          },
        },
        {
          customer: 'sorry, I meant the central one',
          expect: {
            cannedResponse: reply.branchHours,
            tools: [{ name: 'branch_hours', arguments: { branch: 'central' } }],
            journey: null,
          },
        },
      ],
    },
    {
      name: 'westhaven is closed, docklands instead, and bank holidays',
      turns: [
        {
          customer: 'Is Westhaven library open tomorrow?',
          expect: {
            cannedResponse: reply.branchClosed,
            tools: [{ name: 'branch_hours', arguments: { branch: 'westhaven' } }],
            guidelines: ['opening_hours'],
            journey: null,
          },
        },
        {
          customer: 'ok not that one then, what about docklands',
          expect: {
            cannedResponse: reply.branchHours,
            tools: [{ name: 'branch_hours', arguments: { branch: 'docklands' } }],
            journey: null,
          },
        },
        // The branch hours reply says every branch is closed on bank holidays.
        { customer: 'and bank holidays?', expect: { cannedResponse: reply.branchHours } },
      ],
    },
    {
      name: 'which branches there are, the one by the marina, and parking',
      turns: [
        {
          // The reply that asks for a branch is the one that lists them all.
          customer: 'how many libraries are there in harbour city and where are they',
          expect: { cannedResponse: reply.askBranch, tools: [], journey: null },
        },
        {
          customer: "the one near the marina, when's it open?",
          expect: {
            cannedResponse: reply.branchHours,
            tools: [{ name: 'branch_hours', arguments: { branch: 'docklands' } }],
            journey: null,
          },
        },
        {
          customer: 'is there parking there?',
          expect: { fallback: true, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'joining in a formal register: documents and a child',
      at: '2026-06-15T14:00:00Z',
      turns: [
        {
          customer:
            'Good afternoon. I have recently moved to Harbour City and would like to become a member of the library.',
          expect: {
            cannedResponse: reply.joining,
            guidelines: ['joining'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'What documents would I need to bring with me?',
          expect: { cannedResponse: reply.joining },
        },
        {
          customer: 'Could my daughter, who is seven, have a card of her own?',
          expect: { cannedResponse: reply.joining, journey: null },
        },
      ],
    },
    {
      name: 'a lost card, then a lost book, then late returns',
      turns: [
        {
          customer: 'i think ive lost my library card, can i get a new one',
          expect: { cannedResponse: reply.joining, guidelines: ['joining'], tools: [] },
        },
        {
          customer: 'also i cant find one of the books i borrowed, will i be charged',
          expect: {
            cannedResponse: reply.finesCharges,
            guidelines: ['fines_charges'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'do you still do fines for late returns',
          expect: { cannedResponse: reply.finesCharges, journey: null },
        },
      ],
    },
    {
      name: 'borrowing limits with a typo, a negated renewal, returning elsewhere',
      turns: [
        {
          customer: 'how many books can i borow at once',
          expect: {
            cannedResponse: reply.borrowing,
            guidelines: ['borrowing'],
            tools: [],
            journey: null,
          },
        },
        {
          // Not a renewal: no renewal journey starts.
          customer: "I don't want to renew anything, just wondering how long you can keep dvds for",
          expect: { cannedResponse: reply.borrowing, tools: [], journey: null },
        },
        {
          customer: 'can i drop them back at a different library to the one i got them from',
          expect: { cannedResponse: reply.borrowing, journey: null },
        },
      ],
    },
    {
      name: 'e-books on a kindle, a PIN that fails, audiobooks too',
      turns: [
        {
          customer: 'Do you lend ebooks? I have a kindle',
          expect: {
            cannedResponse: reply.eResources,
            guidelines: ['ebooks_app'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: "it keeps telling me my pin is wrong when i log in, what's my pin?",
          expect: { cannedResponse: reply.eResources, tools: [] },
        },
        {
          customer: 'can I get audiobooks on there as well?',
          expect: { cannedResponse: reply.eResources, journey: null },
        },
      ],
    },
    {
      name: 'printing a boarding pass, the computers, the wifi password',
      turns: [
        {
          customer: 'yo can i print my boarding pass at the library? how much',
          expect: {
            cannedResponse: reply.computersPrinting,
            guidelines: ['computers_printing'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'do i need to be a member to use the pcs',
          expect: { cannedResponse: reply.computersPrinting },
        },
        {
          // The reply says the Wi-Fi needs no password.
          customer: 'whats the wifi password',
          expect: { cannedResponse: reply.computersPrinting },
        },
      ],
    },
    {
      name: "a residents' association hires a room",
      turns: [
        {
          customer:
            "Hello, I run a small residents' association. Could we hire a room for our monthly meeting? We're usually about 25 people.",
          expect: {
            cannedResponse: reply.roomHire,
            guidelines: ['room_hire'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'Is there any discount for not-for-profit groups?',
          expect: { cannedResponse: reply.roomHire },
        },
        {
          customer: "Lovely, thank you, I'll book it online.",
          expect: { cannedResponse: reply.goodbye, journey: null },
        },
      ],
    },
    {
      name: 'events for a toddler and a 12-year-old coder',
      turns: [
        {
          customer: 'anything on for toddlers this week? rhyme time or similar',
          expect: {
            cannedResponse: reply.events,
            guidelines: ['events'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: "what about my 12 year old, he's really into coding",
          expect: { cannedResponse: reply.events },
        },
        { customer: 'do we have to pay for it?', expect: { cannedResponse: reply.events } },
      ],
    },
    {
      name: 'renewals step by step, everything renewed',
      turns: [
        {
          customer: 'can you renew my books please',
          expect: { cannedResponse: reply.askCardRenew, tools: [], journey: renew('ask_card') },
        },
        {
          customer: 'HC2046813',
          expect: {
            cannedResponse: reply.loansFound,
            tools: [{ name: 'check_loans', arguments: { cardNumber: 'HC2046813' } }],
            journey: renew('confirm_renewal'),
          },
        },
        {
          customer: 'yes please',
          expect: {
            cannedResponse: reply.loansRenewed,
            tools: [{ name: 'renew_loans', arguments: { cardNumber: 'HC2046813' } }],
            journey: renew('renewed'),
          },
        },
        {
          customer: 'brill, thanks',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'renewals with the card in the first message, only the DVD',
      turns: [
        {
          customer: "I'd like to keep my things a bit longer. Card number HC2046813.",
          expect: {
            cannedResponse: reply.loansFound,
            tools: [{ name: 'check_loans', arguments: { cardNumber: 'HC2046813' } }],
            journey: renew('confirm_renewal'),
          },
        },
        {
          customer: "only the dvd please, I'm taking the books back tomorrow",
          expect: {
            cannedResponse: reply.loansRenewed,
            tools: [{ name: 'renew_loans', arguments: { cardNumber: 'HC2046813', format: 'dvd' } }],
            journey: renew('renewed'),
          },
        },
      ],
    },
    {
      name: 'renewals where another member has reserved one of the items',
      turns: [
        {
          customer: 'hi can i extend my loans, my card is hc 2051177',
          expect: {
            cannedResponse: reply.loansFound,
            tools: [{ name: 'check_loans', arguments: { cardNumber: 'HC2051177' } }],
            journey: renew('confirm_renewal'),
          },
        },
        {
          customer: 'ok go ahead with the other one then',
          expect: {
            cannedResponse: reply.loansRenewed,
            tools: [{ name: 'renew_loans', arguments: { cardNumber: 'HC2051177' } }],
            journey: renew('renewed'),
          },
        },
        {
          // The renewal reply says when the reserved book must go back.
          customer: 'so when does lessons in chemistry have to go back?',
          expect: { cannedResponse: reply.loansRenewed, journey: null },
        },
      ],
    },
    {
      name: 'renewals: a mistyped card number, the right one, then no thanks',
      turns: [
        {
          customer: "I'd like to renew the items I have out, please.",
          expect: { cannedResponse: reply.askCardRenew, tools: [], journey: renew('ask_card') },
        },
        {
          customer: 'HC2046831',
          expect: {
            cannedResponse: reply.cardNotFound,
            tools: [{ name: 'check_loans', arguments: { cardNumber: 'HC2046831' } }],
            journey: renew('card_not_found'),
          },
        },
        {
          customer: 'oops, digits the wrong way round. HC2046813',
          expect: {
            cannedResponse: reply.loansFound,
            tools: [{ name: 'check_loans', arguments: { cardNumber: 'HC2046813' } }],
            journey: renew('confirm_renewal'),
          },
        },
        {
          customer: "actually no, I'll just bring them back this week instead",
          expect: { cannedResponse: reply.notRenewed, tools: [], journey: renew('not_renewed') },
        },
        {
          customer: 'thank you very much',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'renewals on a blocked card, then fines in general',
      turns: [
        {
          customer: 'Please could you renew my library books? My card number is HC1987342.',
          expect: {
            cannedResponse: reply.cardBlocked,
            tools: [{ name: 'check_loans', arguments: { cardNumber: 'HC1987342' } }],
            journey: renew('card_blocked'),
          },
        },
        {
          customer: 'Do you charge fines for overdue books in general, then?',
          expect: { cannedResponse: reply.finesCharges, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'renewals with a fines question and where the card number is, then not renewing',
      turns: [
        {
          customer: 'my books are due back on thursday, can I renew them on here?',
          expect: { cannedResponse: reply.askCardRenew, tools: [], journey: renew('ask_card') },
        },
        {
          customer: 'before I do, will I get fined if one of them is already late?',
          expect: { cannedResponse: reply.finesCharges, tools: [], journey: renew('ask_card') },
        },
        {
          // The step's own reply says where the number is printed.
          customer: "where's the number? I've got the card here but there's loads of numbers on it",
          expect: { cannedResponse: reply.askCardRenew, tools: [], journey: renew('ask_card') },
        },
        {
          customer: 'HC2046813',
          expect: {
            cannedResponse: reply.loansFound,
            tools: [{ name: 'check_loans', arguments: { cardNumber: 'HC2046813' } }],
            journey: renew('confirm_renewal'),
          },
        },
        {
          customer: 'no leave it, thanks',
          expect: { cannedResponse: reply.notRenewed, tools: [], journey: renew('not_renewed') },
        },
      ],
    },
    {
      name: 'reserving a book step by step, collected at northgate',
      turns: [
        {
          // The format is said (a book): only the title is missing.
          customer: "I'd like to reserve a book please",
          expect: { cannedResponse: reply.askTitle, tools: [], journey: reserve('ask_title') },
        },
        {
          customer: 'The Thursday Murder Club',
          expect: {
            cannedResponse: reply.titleFound,
            tools: [
              {
                name: 'find_title',
                arguments: { title: 'The Thursday Murder Club', format: 'book' },
              },
            ],
            journey: reserve('ask_branch'),
          },
        },
        {
          customer: 'Northgate please',
          expect: {
            cannedResponse: reply.askReserveCard,
            tools: [],
            journey: reserve('ask_card'),
          },
        },
        {
          customer: 'HC2046813',
          expect: {
            cannedResponse: reply.confirmReservation,
            tools: [],
            journey: reserve('confirm_reservation'),
          },
        },
        {
          customer: 'yes',
          expect: {
            cannedResponse: reply.reservationPlaced,
            tools: [
              {
                name: 'place_reservation',
                arguments: {
                  cardNumber: 'HC2046813',
                  title: 'The Thursday Murder Club',
                  format: 'book',
                  branch: 'northgate',
                },
              },
            ],
            journey: reserve('reserved'),
          },
        },
      ],
    },
    {
      name: "a hold on a DVD with docklands' saturday hours on the way",
      turns: [
        {
          customer: 'can I put a hold on the Oppenheimer dvd?',
          expect: {
            cannedResponse: reply.titleFound,
            tools: [{ name: 'find_title', arguments: { title: 'Oppenheimer', format: 'dvd' } }],
            journey: reserve('ask_branch'),
          },
        },
        {
          customer: 'what time is docklands open till on saturdays?',
          expect: {
            cannedResponse: reply.branchHours,
            tools: [{ name: 'branch_hours', arguments: { branch: 'docklands' } }],
            journey: reserve('ask_branch'),
          },
        },
        {
          customer: 'ok docklands then',
          expect: {
            cannedResponse: reply.askReserveCard,
            tools: [],
            journey: reserve('ask_card'),
          },
        },
        {
          customer: 'its HC2051177',
          expect: {
            cannedResponse: reply.confirmReservation,
            tools: [],
            journey: reserve('confirm_reservation'),
          },
        },
        {
          customer: 'go ahead',
          expect: {
            cannedResponse: reply.reservationPlaced,
            tools: [
              {
                name: 'place_reservation',
                arguments: {
                  cardNumber: 'HC2051177',
                  title: 'Oppenheimer',
                  format: 'dvd',
                  branch: 'docklands',
                },
              },
            ],
            journey: reserve('reserved'),
          },
        },
      ],
    },
    {
      name: 'no DVD of it, the book instead, westhaven closed, central',
      turns: [
        {
          customer: "do you have lessons in chemistry on dvd? I'd like to reserve it",
          expect: {
            cannedResponse: reply.titleNotFound,
            tools: [
              { name: 'find_title', arguments: { title: 'lessons in chemistry', format: 'dvd' } },
            ],
            journey: reserve('title_not_found'),
          },
        },
        {
          customer: 'ok the book then',
          expect: {
            cannedResponse: reply.titleFound,
            tools: [
              { name: 'find_title', arguments: { title: 'lessons in chemistry', format: 'book' } },
            ],
            journey: reserve('ask_branch'),
          },
        },
        {
          customer: 'westhaven',
          expect: {
            cannedResponse: reply.askReserveCard,
            tools: [],
            journey: reserve('ask_card'),
          },
        },
        {
          customer: 'HC2046813',
          expect: {
            cannedResponse: reply.confirmReservation,
            tools: [],
            journey: reserve('confirm_reservation'),
          },
        },
        {
          customer: 'yes please',
          expect: {
            cannedResponse: reply.reservationBranchClosed,
            tools: [
              {
                name: 'place_reservation',
                arguments: {
                  cardNumber: 'HC2046813',
                  title: 'lessons in chemistry',
                  format: 'book',
                  branch: 'westhaven',
                },
              },
            ],
            journey: reserve('branch_closed'),
          },
        },
        {
          customer: 'oh, central then',
          expect: {
            cannedResponse: reply.reservationPlaced,
            tools: [
              {
                name: 'place_reservation',
                arguments: {
                  cardNumber: 'HC2046813',
                  title: 'lessons in chemistry',
                  format: 'book',
                  branch: 'central',
                },
              },
            ],
            journey: reserve('reserved'),
          },
        },
      ],
    },
    {
      name: 'an audiobook for mum, large print on the way, the wrong card first',
      turns: [
        {
          customer: "Could I reserve an audiobook for my mum? She can't manage small print anymore",
          expect: { cannedResponse: reply.askTitle, tools: [], journey: reserve('ask_title') },
        },
        {
          // No canned response is about large print books.
          customer: 'Do you have large print books too?',
          expect: { fallback: true, tools: [], journey: reserve('ask_title') },
        },
        {
          customer: 'Project Hail Mary',
          expect: {
            cannedResponse: reply.titleFound,
            tools: [
              {
                name: 'find_title',
                arguments: { title: 'Project Hail Mary', format: 'audiobook' },
              },
            ],
            journey: reserve('ask_branch'),
          },
        },
        {
          customer: 'Central',
          expect: {
            cannedResponse: reply.askReserveCard,
            tools: [],
            journey: reserve('ask_card'),
          },
        },
        {
          customer: 'her card is HC2064400',
          expect: {
            cannedResponse: reply.confirmReservation,
            tools: [],
            journey: reserve('confirm_reservation'),
          },
        },
        {
          customer: 'yes',
          expect: {
            cannedResponse: reply.reservationCardUnknown,
            tools: [
              {
                name: 'place_reservation',
                arguments: {
                  cardNumber: 'HC2064400',
                  title: 'Project Hail Mary',
                  format: 'audiobook',
                  branch: 'central',
                },
              },
            ],
            journey: reserve('card_unknown'),
          },
        },
        {
          customer: "sorry, that's my old card. it's HC2051177",
          expect: {
            cannedResponse: reply.reservationPlaced,
            tools: [
              {
                name: 'place_reservation',
                arguments: {
                  cardNumber: 'HC2051177',
                  title: 'Project Hail Mary',
                  format: 'audiobook',
                  branch: 'central',
                },
              },
            ],
            journey: reserve('reserved'),
          },
        },
      ],
    },
    {
      name: 'wolf hall: the format asked, the DVD, then no thanks at the confirmation',
      turns: [
        {
          customer: 'i want to reserve wolf hall',
          expect: { cannedResponse: reply.askFormat, tools: [], journey: reserve('ask_format') },
        },
        {
          customer: 'not the book, the tv series on dvd',
          expect: {
            cannedResponse: reply.titleFound,
            tools: [{ name: 'find_title', arguments: { title: 'wolf hall', format: 'dvd' } }],
            journey: reserve('ask_branch'),
          },
        },
        {
          customer: 'central library',
          expect: {
            cannedResponse: reply.askReserveCard,
            tools: [],
            journey: reserve('ask_card'),
          },
        },
        {
          customer: 'HC2046813',
          expect: {
            cannedResponse: reply.confirmReservation,
            tools: [],
            journey: reserve('confirm_reservation'),
          },
        },
        {
          customer: "no thanks, actually I'll wait till it's back on the shelf",
          expect: {
            cannedResponse: reply.notReserved,
            tools: [],
            journey: reserve('not_reserved'),
          },
        },
      ],
    },
    {
      name: 'reserving an e-book is a hold in the app, not a reservation',
      turns: [
        {
          customer: 'can i reserve an ebook?',
          expect: { cannedResponse: reply.eResources, tools: [], journey: null },
        },
        {
          customer: 'and e-magazines, are they free too',
          expect: { cannedResponse: reply.eResources, journey: null },
        },
      ],
    },
    {
      name: 'out of scope, sharing words with the service',
      turns: [
        {
          customer: 'how do I pay a parking fine?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'can you recommend a good thriller for my holiday?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'do you sell off old books?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'is there a café in the central library?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'can I hire a bouncy castle from the council for a party',
          expect: { fallback: true, journey: null },
        },
      ],
    },
    {
      name: 'a formal evening hello, a bot question, a DVD loan, a warm goodbye',
      at: '2026-06-15T18:30:00Z',
      turns: [
        { customer: 'Good evening.', expect: { cannedResponse: reply.greeting, tools: [] } },
        {
          customer: 'Am I talking to a real person or a computer?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'How long may my son keep the DVDs he borrowed?',
          expect: { cannedResponse: reply.borrowing, guidelines: ['borrowing'], journey: null },
        },
        {
          customer: "You've been very helpful. Have a lovely evening.",
          expect: { cannedResponse: reply.goodbye, journey: null },
        },
      ],
    },
  ],
};
