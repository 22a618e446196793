import { createGreenwayEnergy, greenwayTemplates as reply } from './agents/greenway-energy';
import type { EvaluationSuite } from './evaluation-suite-types';

// Labelled before any run, by someone who had not read the engine: each expectation is what a
// competent energy supplier's adviser, answering only with Greenway's canned responses, would
// do. Unless a scenario says otherwise it happens on Monday 15 June 2026 at 09:00 UTC, so
// "yesterday" is Sunday 14 June, "last friday" Friday 12 June and "tomorrow" Tuesday 16 June.
// The fake data, as of that Monday: three dual-fuel accounts, GW-104233 (14 Elm Grove, Leeds
// LS6 2AB; £42.18 in credit; last readings electricity 23418 and gas 8761 on Monday 1 June),
// GW-117590 (27 Clive Road, Cardiff CF5 1HJ; £186.40 to pay; last readings electricity 51207
// and gas 20314 on Friday 15 May) and GW-120045 (Flat 6, 22 Canal Street, Manchester M1 3HE;
// £12.50 in credit; last readings electricity 7730 and gas 1442 on Tuesday 2 June); any other
// number is no account. A reading lower than the last one held is refused as "too low". A move
// can be booked for a move-out date from Monday 18 May to Tuesday 15 September 2026, any other
// date is refused. Greenway supplies England, Scotland and Wales; BT (Northern Ireland), GY,
// JE and IM postcodes are not supplied. A quote's fuel defaults to dual fuel, so it is labelled
// only when the customer names it; a reading's day is left out when the customer gives none
// (the tool takes it as today).

const meterReading = (state: string) => ({ journey: 'meter_reading', state });
const moveHome = (state: string) => ({ journey: 'move_home', state });

/** The Greenway Energy help assistant and its labelled conversations. */
export const greenwayEnergySuite: EvaluationSuite = {
  name: 'Greenway Energy',
  agent: createGreenwayEnergy(),
  scenarios: [
    {
      name: 'a morning hello, how the bill is worked out, the E on it, thanks',
      turns: [
        {
          customer: 'morning!',
          expect: { cannedResponse: reply.greeting, tools: [], journey: null },
        },
        {
          customer:
            'can you explain how my bill is actually calculated, it seems really high this month',
          expect: {
            cannedResponse: reply.billsExplained,
            guidelines: ['bills_tariffs'],
            tools: [],
            journey: null,
          },
        },
        {
          // The bills reply says what the E means.
          customer: 'whats the E next to the reading mean',
          expect: { cannedResponse: reply.billsExplained, tools: [], journey: null },
        },
        { customer: 'ok great thanks', expect: { cannedResponse: reply.goodbye, journey: null } },
      ],
    },
    {
      name: 'a dual fuel quote with the postcode, and for gas only',
      turns: [
        {
          customer: 'How much would you charge for gas and electricity at LS6 2AB?',
          expect: {
            cannedResponse: reply.quote,
            tools: [{ name: 'tariff_quote', arguments: { postcode: 'LS6 2AB', fuel: 'dual' } }],
            guidelines: ['bills_tariffs'],
            journey: null,
          },
        },
        {
          customer: 'and for gas only?',
          expect: {
            cannedResponse: reply.quote,
            tools: [{ name: 'tariff_quote', arguments: { postcode: 'LS6 2AB', fuel: 'gas' } }],
            journey: null,
          },
        },
        {
          customer: "thanks, that's really helpful",
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'electricity prices without a postcode, given in lowercase, then standing charges',
      turns: [
        {
          customer: 'whats ur prices like for electric only?',
          expect: {
            cannedResponse: reply.askQuotePostcode,
            guidelines: ['bills_tariffs'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'm20 2rn',
          expect: {
            cannedResponse: reply.quote,
            tools: [
              { name: 'tariff_quote', arguments: { postcode: 'M20 2RN', fuel: 'electricity' } },
            ],
            journey: null,
          },
        },
        {
          // The bills reply is the one that says what a standing charge is.
          customer: 'what even is a standing charge, why do I pay it when I use nothing?',
          expect: { cannedResponse: reply.billsExplained, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'belfast is not supplied, a flat in cardiff is, and a fixed deal',
      turns: [
        {
          customer: 'Do you supply homes in Northern Ireland? The postcode is BT7 1NN.',
          expect: {
            cannedResponse: reply.quoteNotSupplied,
            tools: [{ name: 'tariff_quote', arguments: { postcode: 'BT7 1NN' } }],
            journey: null,
          },
        },
        {
          customer: "ok what about my daughter's flat in cardiff, CF10 4PB, gas and electric",
          expect: {
            cannedResponse: reply.quote,
            tools: [{ name: 'tariff_quote', arguments: { postcode: 'CF10 4PB', fuel: 'dual' } }],
            journey: null,
          },
        },
        {
          customer: 'Do you do a fixed price deal at all?',
          expect: { cannedResponse: reply.billsExplained, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a smell of gas in the kitchen',
      turns: [
        {
          customer: 'I can smell gas in my kitchen what do i do',
          expect: {
            cannedResponse: reply.gasEmergency,
            guidelines: ['emergency'],
            tools: [],
            journey: null,
          },
        },
        {
          // The emergency reply says the number is free.
          customer: 'is that number free to call?',
          expect: { cannedResponse: reply.gasEmergency, tools: [], journey: null },
        },
        {
          customer: 'ok ringing them now, thanks',
          expect: { cannedResponse: reply.goodbye, journey: null },
        },
      ],
    },
    {
      name: 'a power cut in the evening, in a formal register',
      at: '2026-06-15T20:30:00Z',
      turns: [
        {
          customer:
            'Good evening. All the lights in my house have gone off and the whole street is dark too. Whom should I contact?',
          expect: {
            cannedResponse: reply.powerCut,
            guidelines: ['emergency'],
            tools: [],
            journey: null,
          },
        },
        {
          // The power cut reply says the network operator fixes it, not Greenway.
          customer: 'Is it Greenway that repairs the cables, then?',
          expect: { cannedResponse: reply.powerCut, tools: [], journey: null },
        },
        {
          customer: 'Thank you, I shall ring them now.',
          expect: { cannedResponse: reply.goodbye, journey: null },
        },
      ],
    },
    {
      name: 'the direct debit date with typos, card payments, paypoint',
      turns: [
        {
          customer: 'cna i change the date my direct debt comes out? i get paid on the 28th',
          expect: {
            cannedResponse: reply.paymentOptions,
            guidelines: ['payments'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'do you take payment by card at all',
          expect: { cannedResponse: reply.paymentOptions, tools: [], journey: null },
        },
        {
          customer: 'and paypoint?',
          expect: { cannedResponse: reply.paymentOptions, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'what is owed: the account asked for, typed with a space',
      turns: [
        {
          customer: 'how much do I owe you at the moment?',
          expect: {
            cannedResponse: reply.askAccountBalance,
            guidelines: ['payments'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'gw 117590',
          expect: {
            cannedResponse: reply.balanceFound,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-117590' } }],
            journey: null,
          },
        },
        {
          customer: 'ok how can I pay that off?',
          expect: { cannedResponse: reply.paymentOptions, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a balance with a mistyped account number, the right one, a refund of credit',
      turns: [
        {
          customer: 'Hi, could you tell me my balance please, account GW-104223',
          expect: {
            cannedResponse: reply.accountNotFound,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-104223' } }],
            journey: null,
          },
        },
        {
          customer: "sorry typo, it's GW-104233",
          expect: {
            cannedResponse: reply.balanceFound,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-104233' } }],
            journey: null,
          },
        },
        {
          customer: "I'm £42 in credit then, can I have that back?",
          expect: { cannedResponse: reply.paymentOptions, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a smart meter: the cost, the fitting, a blank display',
      turns: [
        {
          customer: 'is it free to get one of those smart meters fited',
          expect: {
            cannedResponse: reply.smartMeters,
            guidelines: ['smart_meters'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'how long does the engineer need to be at the house for',
          expect: { cannedResponse: reply.smartMeters, tools: [], journey: null },
        },
        {
          customer: 'also the little screen that came with it has gone blank',
          expect: { cannedResponse: reply.smartMeters, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'moving home: what to do, then closing the account step by step',
      turns: [
        {
          customer: "We're moving house in a few weeks. What do I need to do about the energy?",
          expect: {
            cannedResponse: reply.movingInfo,
            guidelines: ['moving_home'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'Can we take you with us to the new place?',
          expect: { cannedResponse: reply.movingInfo, tools: [], journey: null },
        },
        {
          customer: 'great, can you close this account for the move then',
          expect: {
            cannedResponse: reply.askAccountMove,
            tools: [],
            journey: moveHome('ask_account'),
          },
        },
        {
          customer: 'GW-120045',
          expect: {
            cannedResponse: reply.moveAskDate,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-120045' } }],
            journey: moveHome('ask_date'),
          },
        },
        {
          customer: 'the 3rd of July',
          expect: {
            cannedResponse: reply.moveAskPostcode,
            tools: [],
            journey: moveHome('ask_postcode'),
          },
        },
        {
          customer: 'new one is SK4 3QB',
          expect: {
            cannedResponse: reply.moveConfirm,
            tools: [],
            journey: moveHome('confirm_move'),
          },
        },
        {
          customer: 'yes please',
          expect: {
            cannedResponse: reply.moveScheduled,
            tools: [
              {
                name: 'close_account',
                arguments: {
                  accountNumber: 'GW-120045',
                  moveOutDate: '2026-07-03',
                  newPostcode: 'SK4 3QB',
                },
              },
            ],
            journey: moveHome('move_scheduled'),
          },
        },
      ],
    },
    {
      name: 'moving out with the date and the account in the first message',
      turns: [
        {
          customer: "I'm moving out on the 30th, my account is GW-117590",
          expect: {
            cannedResponse: reply.moveAskPostcode,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-117590' } }],
            journey: moveHome('ask_postcode'),
          },
        },
        {
          customer: "it's sw9 8ef",
          expect: {
            cannedResponse: reply.moveConfirm,
            tools: [],
            journey: moveHome('confirm_move'),
          },
        },
        {
          customer: 'go ahead',
          expect: {
            cannedResponse: reply.moveScheduled,
            tools: [
              {
                name: 'close_account',
                arguments: {
                  accountNumber: 'GW-117590',
                  moveOutDate: '2026-06-30',
                  newPostcode: 'SW9 8EF',
                },
              },
            ],
            journey: moveHome('move_scheduled'),
          },
        },
        {
          customer: 'lovely, thanks a lot!',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'already moved: a date too long ago, then the right one',
      turns: [
        {
          // The date is given: only the account number is missing.
          customer: 'I need to close my account, we moved out on 2 May',
          expect: {
            cannedResponse: reply.askAccountMove,
            tools: [],
            journey: moveHome('ask_account'),
          },
        },
        {
          customer: 'GW-104233',
          expect: {
            cannedResponse: reply.moveAskPostcode,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-104233' } }],
            journey: moveHome('ask_postcode'),
          },
        },
        {
          customer: "We've moved to YO1 7HH",
          expect: {
            cannedResponse: reply.moveConfirm,
            tools: [],
            journey: moveHome('confirm_move'),
          },
        },
        {
          customer: 'yes',
          expect: {
            cannedResponse: reply.moveDateRefused,
            tools: [
              {
                name: 'close_account',
                arguments: {
                  accountNumber: 'GW-104233',
                  moveOutDate: '2026-05-02',
                  newPostcode: 'YO1 7HH',
                },
              },
            ],
            journey: moveHome('move_date_refused'),
          },
        },
        {
          customer: 'oh sorry, my mistake, it was 2 June not May',
          expect: {
            cannedResponse: reply.moveScheduled,
            tools: [
              {
                name: 'close_account',
                arguments: {
                  accountNumber: 'GW-104233',
                  moveOutDate: '2026-06-02',
                  newPostcode: 'YO1 7HH',
                },
              },
            ],
            journey: moveHome('move_scheduled'),
          },
        },
      ],
    },
    {
      name: 'moving out: where the number is, a removals question, then not yet',
      turns: [
        {
          customer: 'i want to let you know im moving out',
          expect: {
            cannedResponse: reply.askAccountMove,
            tools: [],
            journey: moveHome('ask_account'),
          },
        },
        {
          // The step's own reply says where the number is.
          customer: 'where do I find the account number?',
          expect: {
            cannedResponse: reply.askAccountMove,
            tools: [],
            journey: moveHome('ask_account'),
          },
        },
        {
          customer: 'found it, GW-120045',
          expect: {
            cannedResponse: reply.moveAskDate,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-120045' } }],
            journey: moveHome('ask_date'),
          },
        },
        {
          customer: 'tomorrow',
          expect: {
            cannedResponse: reply.moveAskPostcode,
            tools: [],
            journey: moveHome('ask_postcode'),
          },
        },
        {
          customer: 'could you recommend a removals firm by any chance?',
          expect: { fallback: true, tools: [], journey: moveHome('ask_postcode') },
        },
        {
          customer: 'the new place is EH6 6QP',
          expect: {
            cannedResponse: reply.moveConfirm,
            tools: [],
            journey: moveHome('confirm_move'),
          },
        },
        {
          customer: 'actually no, hold off, my partner wants to check the dates first',
          expect: {
            cannedResponse: reply.moveCancelled,
            tools: [],
            journey: moveHome('not_closed'),
          },
        },
      ],
    },
    {
      name: 'an electricity reading step by step, accepted',
      turns: [
        {
          customer: "I'd like to give you a meter reading",
          expect: {
            cannedResponse: reply.askAccountReading,
            tools: [],
            journey: meterReading('ask_account'),
          },
        },
        {
          customer: 'GW-104233',
          expect: {
            cannedResponse: reply.askMeter,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-104233' } }],
            journey: meterReading('ask_meter'),
          },
        },
        {
          customer: 'electric',
          expect: {
            cannedResponse: reply.askReading,
            tools: [],
            journey: meterReading('ask_reading'),
          },
        },
        {
          customer: 'it says 23795',
          expect: {
            cannedResponse: reply.confirmReading,
            tools: [],
            journey: meterReading('confirm_reading'),
          },
        },
        {
          customer: 'yes',
          expect: {
            cannedResponse: reply.readingAccepted,
            tools: [
              {
                name: 'submit_meter_reading',
                arguments: { accountNumber: 'GW-104233', meter: 'electricity', reading: 23795 },
              },
            ],
            journey: meterReading('reading_accepted'),
          },
        },
        {
          customer: 'brilliant, cheers',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a gas reading with everything in the first message, read yesterday',
      turns: [
        {
          customer: "Hi, here's my gas reading for account GW-117590: 20561, taken yesterday",
          expect: {
            cannedResponse: reply.confirmReading,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-117590' } }],
            journey: meterReading('confirm_reading'),
          },
        },
        {
          customer: 'yes send it',
          expect: {
            cannedResponse: reply.readingAccepted,
            tools: [
              {
                name: 'submit_meter_reading',
                arguments: {
                  accountNumber: 'GW-117590',
                  meter: 'gas',
                  reading: 20561,
                  readOn: '2026-06-14',
                },
              },
            ],
            journey: meterReading('reading_accepted'),
          },
        },
      ],
    },
    {
      name: 'an electricity reading that looks too low, checked again',
      turns: [
        {
          // The meter is said: the account number comes first.
          customer: 'need to submit my electricity reading',
          expect: {
            cannedResponse: reply.askAccountReading,
            tools: [],
            journey: meterReading('ask_account'),
          },
        },
        {
          customer: 'account no. is GW-120045',
          expect: {
            cannedResponse: reply.askReading,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-120045' } }],
            journey: meterReading('ask_reading'),
          },
        },
        {
          customer: '7370, read it last friday',
          expect: {
            cannedResponse: reply.confirmReading,
            tools: [],
            journey: meterReading('confirm_reading'),
          },
        },
        {
          customer: 'yep',
          expect: {
            cannedResponse: reply.readingTooLow,
            tools: [
              {
                name: 'submit_meter_reading',
                arguments: {
                  accountNumber: 'GW-120045',
                  meter: 'electricity',
                  reading: 7370,
                  readOn: '2026-06-12',
                },
              },
            ],
            journey: meterReading('reading_too_low'),
          },
        },
        {
          customer: "oh you're right, I swapped two of the numbers round, it's 7803",
          expect: {
            cannedResponse: reply.readingAccepted,
            tools: [
              {
                name: 'submit_meter_reading',
                arguments: {
                  accountNumber: 'GW-120045',
                  meter: 'electricity',
                  reading: 7803,
                  readOn: '2026-06-12',
                },
              },
            ],
            journey: meterReading('reading_accepted'),
          },
        },
      ],
    },
    {
      name: 'a reading for the wrong meter, corrected, with a smart meter question on the way',
      turns: [
        {
          customer: 'can I send you a reading please, GW-104233',
          expect: {
            cannedResponse: reply.askMeter,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-104233' } }],
            journey: meterReading('ask_meter'),
          },
        },
        {
          customer: 'the electricity one',
          expect: {
            cannedResponse: reply.askReading,
            tools: [],
            journey: meterReading('ask_reading'),
          },
        },
        {
          customer: "sorry no, it's the gas meter I've just read, not the electric",
          expect: {
            cannedResponse: reply.askReading,
            tools: [],
            journey: meterReading('ask_reading'),
          },
        },
        {
          customer: 'would I still have to do this if I had a smart meter?',
          expect: {
            cannedResponse: reply.smartMeters,
            tools: [],
            journey: meterReading('ask_reading'),
          },
        },
        {
          customer: 'ok, 8902',
          expect: {
            cannedResponse: reply.confirmReading,
            tools: [],
            journey: meterReading('confirm_reading'),
          },
        },
        {
          customer: 'yes please',
          expect: {
            cannedResponse: reply.readingAccepted,
            tools: [
              {
                name: 'submit_meter_reading',
                arguments: { accountNumber: 'GW-104233', meter: 'gas', reading: 8902 },
              },
            ],
            journey: meterReading('reading_accepted'),
          },
        },
      ],
    },
    {
      name: 'a reading with two wrong account numbers, then giving up',
      turns: [
        {
          customer: 'I want to put in a meter reading',
          expect: {
            cannedResponse: reply.askAccountReading,
            tools: [],
            journey: meterReading('ask_account'),
          },
        },
        {
          customer: "It's GW-551020",
          expect: {
            cannedResponse: reply.accountNotFound,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-551020' } }],
            journey: meterReading('account_not_found'),
          },
        },
        {
          customer: 'hmm try GW-115790',
          expect: {
            cannedResponse: reply.accountNotFound,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-115790' } }],
            journey: meterReading('account_not_found'),
          },
        },
        {
          customer: "never mind, I'll do it in the app later",
          expect: {
            cannedResponse: reply.readingNotSent,
            tools: [],
            journey: meterReading('not_submitted'),
          },
        },
      ],
    },
    {
      name: 'a gas reading, "actually no" at the confirmation, then the phone hours',
      turns: [
        {
          customer: "Morning, I'd like to submit a gas meter reading.",
          expect: {
            cannedResponse: reply.askAccountReading,
            tools: [],
            journey: meterReading('ask_account'),
          },
        },
        {
          customer: 'My account number is gw-117590',
          expect: {
            cannedResponse: reply.askReading,
            tools: [{ name: 'find_account', arguments: { accountNumber: 'GW-117590' } }],
            journey: meterReading('ask_reading'),
          },
        },
        {
          customer: 'it reads 20499 I think',
          expect: {
            cannedResponse: reply.confirmReading,
            tools: [],
            journey: meterReading('confirm_reading'),
          },
        },
        {
          customer: 'actually no, let me go and double check it first',
          expect: {
            cannedResponse: reply.readingNotSent,
            tools: [],
            journey: meterReading('not_submitted'),
          },
        },
        {
          customer: 'What time are your phone lines open, in case I get stuck?',
          expect: {
            cannedResponse: reply.contactInfo,
            guidelines: ['contact_hours'],
            tools: [],
            journey: null,
          },
        },
      ],
    },
    {
      name: 'a formal complaint, how long, the ombudsman, a real person',
      turns: [
        {
          customer:
            "I've been overcharged three months in a row and nobody has sorted it out. I wish to make a formal complaint.",
          expect: {
            cannedResponse: reply.complaintsInfo,
            guidelines: ['complaints'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'how long have you got to respond?',
          expect: { cannedResponse: reply.complaintsInfo, tools: [], journey: null },
        },
        {
          customer: "And what if I'm still not happy after that?",
          expect: { cannedResponse: reply.complaintsInfo, tools: [], journey: null },
        },
        {
          customer: 'can I just talk to a real person please',
          expect: {
            cannedResponse: reply.contactInfo,
            guidelines: ['contact_hours'],
            tools: [],
            journey: null,
          },
        },
      ],
    },
    {
      name: 'struggling after losing a job, the warm home discount in Scotland',
      turns: [
        {
          customer: 'im really struggling to keep up with my bills since i lost my job',
          expect: {
            cannedResponse: reply.supportInfo,
            guidelines: ['struggling_to_pay'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'am I entitled to that warm home discount thing?',
          expect: { cannedResponse: reply.supportInfo, tools: [], journey: null },
        },
        {
          customer: 'I live in Glasgow, do I have to apply for it?',
          expect: { cannedResponse: reply.supportInfo, tools: [], journey: null },
        },
        {
          customer: "Thank you, that's a weight off my mind",
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'the phone line on saturdays, bank holidays, an email instead',
      turns: [
        {
          customer: 'what time do your phone lines open on saturdays',
          expect: {
            cannedResponse: reply.contactInfo,
            guidelines: ['contact_hours'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'and are you open bank holidays',
          expect: { cannedResponse: reply.contactInfo, tools: [], journey: null },
        },
        {
          customer: 'Is there an email address I could use instead?',
          expect: { cannedResponse: reply.contactInfo, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'out of scope, sharing words with the service',
      turns: [
        {
          customer: "can you send someone to fix my boiler? it's stopped giving hot water",
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'do you do broadband deals as well as energy?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'Can I sell the electricity from my solar panels back to you?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'can i pay my council tax through you',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'my smart tv keeps dropping the wifi, can you help?',
          expect: { fallback: true, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'an evening hello, a bot question, the number for a person, bye',
      at: '2026-06-15T18:30:00Z',
      turns: [
        {
          customer: 'hi, anyone there?',
          expect: { cannedResponse: reply.greeting, tools: [], journey: null },
        },
        {
          // No canned response says who is answering; the fallback says it is automated.
          customer: 'am i chatting with a bot or a real person',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: "I'd rather speak to someone on the phone, what's the number?",
          expect: {
            cannedResponse: reply.contactInfo,
            guidelines: ['contact_hours'],
            tools: [],
            journey: null,
          },
        },
        { customer: 'ok bye', expect: { cannedResponse: reply.goodbye, journey: null } },
      ],
    },
  ],
};
