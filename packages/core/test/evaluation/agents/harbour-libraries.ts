import { z } from 'zod';
import { type AgentDefinition, defineAgent } from '../../../src/definition/define-agent';
import { type ToolDefinition, tool } from '../../../src/tools/tool';

// Harbour City Libraries, the public library service of a fictional English port city: the
// help chat on the library website. Written as the service's customer services manager would
// write it, by someone who never read the engine, for a blind evaluation of the no-LLM mode.
// The fake data is frozen around the suites' fixed clock, Monday 15 June 2026: loans fall due
// in the days around it, and Westhaven Library is closed for refurbishment until 6 July. The
// tools only ever see ISO dates, card numbers, titles and branches, never a clock of their own.

/** The agent's name: what a sync finds it by. */
export const harbourAgentName = 'Harbour City Libraries Help';

/**
 * What the assistant says when nothing it knows fits (the engine's `fallbackReply` option: a
 * definition has no field for it). Not a canned response, so no template competes with it.
 */
export const harbourFallbackReply =
  "Sorry, I can't help with that here. I can tell you about our branches and their opening hours, joining the library, borrowing and renewing, e-books and the ShelfLink app, computers and printing, room hire, events, and fines and charges for late, lost or damaged items. I can also renew your loans and reserve a book, audiobook or DVD for you.";

/** Every canned response of the agent, by what it is for: suites name the one they expect. */
export const harbourTemplates = {
  greeting:
    'Hello, and welcome to Harbour City Libraries! I can help with our branches and opening hours, joining, borrowing, e-books and audiobooks, computers and printing, room hire, events, and fines and charges. I can also renew your loans or reserve a book, audiobook or DVD for you. What can I do for you today?',
  goodbye: "You're welcome! Thanks for using Harbour City Libraries, and happy reading.",
  askBranch:
    'We have four branches: Central Library on Quay Street in the city centre, Northgate Library on Northgate Road, Westhaven Library on Church Lane (closed for refurbishment until {{branches.westhavenReopens}}) and Docklands Library in the Sail Loft on Marina Walk. Which one would you like the opening hours for?',
  branchHours:
    '{{branch_hours.found.name}} is at {{branch_hours.found.address}}. It is open {{branch_hours.found.hours}}. All our branches are closed on bank holidays. You can return items to any branch, and the returns box outside Central Library takes them 24 hours a day.',
  branchClosed:
    "{{branch_hours.closed.name}} is closed for refurbishment from {{branch_hours.closed.since}} and reopens on {{branch_hours.closed.reopens}}. Until then the nearest branch is {{branch_hours.closed.nearest}}, and you can return Westhaven's items to any of our branches.",
  joining:
    "Joining Harbour City Libraries is free for anyone who lives, works or studies in the city, children included. Join online at {{web.join}} and you'll get a card number and PIN straight away, so you can borrow e-books and e-audiobooks the same day. Then collect your card from any branch, bringing proof of your address, like a bill or bank statement from the last three months. Children under 16 join with a parent or carer, who signs the form for them. Lost your card? A replacement is {{charges.replacementCard}} at any branch, and your loans and reservations stay on your account.",
  borrowing:
    "On an adult card you can borrow up to {{loans.adultItems}} items at a time ({{loans.childItems}} on a children's card). Books and audiobooks on CD are lent for {{loans.bookWeeks}} weeks and DVDs for {{loans.dvdWeeks}} week, all free. You can renew an item up to {{loans.renewals}} times, unless another member has reserved it: online at {{web.account}}, by phone on {{contact.phone}}, or here in this chat. You can return items to any of our branches, whichever one you borrowed them from.",
  eResources:
    "With your library card you can borrow e-books, e-audiobooks and e-magazines free in the ShelfLink app, on iPhone, Android and Kindle Fire tablets, or at {{web.eLibrary}} on a computer (Kindle e-readers aren't supported). Choose Harbour City Libraries and sign in with your card number and PIN. You can have up to {{loans.eLoans}} e-loans at a time, for 3 weeks each; they return themselves, so there's never anything to bring back or pay. If a title is out, tap Place hold and the app tells you when it's your turn. Forgotten your PIN, or the app won't accept it? Reset it at {{web.pin}} or at any branch.",
  computersPrinting:
    'Every open branch has free computers: members can use them for up to {{printing.pcHours}} hours a day (book one at {{web.computers}} or at the desk), and visitors can ask at the desk for a free guest pass. The free Wi-Fi, HCL-Free, needs no password: just accept the terms. Printing and photocopying cost {{printing.mono}} a page in black and white and {{printing.colour}} in colour, and you can send prints from your own phone or laptop at {{web.print}} and pick them up at the desk. Scanning to email is free.',
  roomHire:
    'You can hire the Harbour Room at Central Library (up to 40 people, {{rooms.harbourRoom}} an hour) or the Sail Loft room at Docklands Library (up to 12 people, {{rooms.sailLoft}} an hour), during opening hours. Both have a screen, Wi-Fi and tea and coffee facilities. Charities and community groups get {{rooms.discount}} off. Check free dates and book at {{web.rooms}}, or call us on {{contact.phone}}. Small study rooms for one or two people are free for members: ask at the desk.',
  events:
    "Our events are free, and most don't need booking: Rhyme Time for babies and toddlers on Mondays and Thursdays at 10:30am at Central and Northgate; Story Time for ages 3 to 7 on Saturdays at 11am at every open branch; Code Club for ages 9 to 13 on Wednesdays at 4pm at Central (places are limited, so book at {{web.events}}); Knit and Natter on Tuesdays at 2pm at Docklands; and a monthly reading group at every branch. The full programme, with author talks and the Summer Reading Challenge, is at {{web.events}}.",
  finesCharges:
    "We don't charge fines: there's nothing to pay if you bring something back late, and we email you a reminder 3 days before it's due. An item more than {{charges.lostAfter}} overdue counts as lost: your card is blocked and you're charged its replacement cost, but if you find it and bring it back we cancel the charge and lift the block. If you lose or damage an item, tell us at any branch: you pay its replacement cost, and there's no charge for ordinary wear and tear.",
  // renew_loans journey
  askCardRenew:
    "I can renew your loans for you. What's your library card number? It's HC followed by seven digits, printed under the barcode on the back of your card, like HC1234567.",
  loansFound:
    'Card {{check_loans.found.cardNumber}} has {{check_loans.found.count}} items on loan: {{check_loans.found.items}}. {{check_loans.found.renewalNote}} Shall I renew everything that can be renewed, or only the books, the audiobooks or the DVDs?',
  cardNotFound:
    "I can't find a library card with the number {{check_loans.notFound.cardNumber}}. Could you check it against the back of your card? It's HC followed by seven digits.",
  cardBlocked:
    "Card {{check_loans.blocked.cardNumber}} is blocked at the moment, so I can't renew anything on it: {{check_loans.blocked.item}} was due back on {{check_loans.blocked.dueDay}}, more than six weeks ago, so it now counts as lost, with a replacement charge of {{check_loans.blocked.charge}}. Bring it back to any branch and we'll cancel the charge and lift the block straight away, or pay the charge at any branch or at {{web.account}}.",
  loansRenewed:
    "Done: I've renewed {{renew_loans.renewal.count}} on card {{renew_loans.renewal.cardNumber}}. New due dates: {{renew_loans.renewal.items}}. {{renew_loans.renewal.note}} We'll email you a receipt.",
  nothingRenewed:
    "I haven't renewed anything on card {{renew_loans.refused.cardNumber}}: {{renew_loans.refused.reason}}. Your items keep the due dates they had.",
  notRenewed:
    "No problem, I haven't renewed anything, and your items keep their due dates. You can renew them online at {{web.account}} whenever you need to.",
  // reserve_title journey
  askTitle:
    'I can reserve a book, an audiobook on CD or a DVD for you to collect from a branch. Which title would you like?',
  askFormat:
    'Would you like it as a book, an audiobook on CD or a DVD? For e-books and e-audiobooks, place a hold in the ShelfLink app instead.',
  titleFound:
    'We have {{find_title.found.title}} as a {{find_title.found.format}}: {{find_title.found.availability}}. Which branch would you like to collect it from: Central, Northgate or Docklands? Westhaven is closed for refurbishment until {{branches.westhavenReopens}}.',
  titleNotFound:
    "Sorry, I can't find {{find_title.notFound.title}} as a {{find_title.notFound.format}} in our catalogue. Would you like it in another format, or another title? If we don't have it at all, you can ask us to buy it at {{web.suggest}}.",
  askReserveCard:
    "And what's your library card number? It's HC followed by seven digits, on the back of your card.",
  confirmReservation:
    "Thanks. Shall I place the reservation? It's free, and we'll email you when it's waiting for you on the reservations shelf.",
  reservationPlaced:
    "Reserved: {{place_reservation.placed.title}} ({{place_reservation.placed.format}}) on card {{place_reservation.placed.cardNumber}}, to collect from {{place_reservation.placed.branch}}, reference {{place_reservation.placed.reference}}. {{place_reservation.placed.wait}} We'll email you when it's ready, and keep it for you for 7 days.",
  reservationCardUnknown:
    "I couldn't place it: there's no library card with the number {{place_reservation.unknownCard.cardNumber}}. Could you check the number on the back of the card and send it again?",
  reservationCardBlocked:
    "I couldn't place it: card {{place_reservation.blocked.cardNumber}} is blocked, because {{place_reservation.blocked.item}} is more than six weeks overdue and counts as lost. Once it's returned or paid for at any branch, the block is lifted and you can reserve again.",
  reservationBranchClosed:
    "Sorry, {{place_reservation.branchClosed.branch}} is closed for refurbishment until {{place_reservation.branchClosed.reopens}}, so reservations can't be collected there. Which branch would you like instead: Central, Northgate or Docklands?",
  notReserved:
    "No problem, I haven't reserved anything. You can reserve titles here or in the online catalogue whenever you're ready.",
} as const;

// ---------------------------------------------------------------------------------------------
// Fake library data
// ---------------------------------------------------------------------------------------------

const branchKeys = ['central', 'northgate', 'westhaven', 'docklands'] as const;
type Branch = (typeof branchKeys)[number];

/** The branches: where they are and when they open, or why they are closed. */
const branches: Record<
  Branch,
  | { open: true; name: string; address: string; hours: string }
  | { open: false; name: string; since: string; reopens: string; nearest: string }
> = {
  central: {
    open: true,
    name: 'Central Library',
    address: '1 Quay Street, HC1 1AA, in the city centre',
    hours: 'Monday to Friday 9am to 8pm, Saturday 9am to 5pm and Sunday 11am to 4pm',
  },
  northgate: {
    open: true,
    name: 'Northgate Library',
    address: '42 Northgate Road, HC4 2NL',
    hours:
      'Monday, Tuesday, Thursday and Friday 9:30am to 5:30pm, Wednesday 1pm to 7pm and Saturday 10am to 2pm; it is closed on Sundays',
  },
  westhaven: {
    open: false,
    name: 'Westhaven Library',
    since: 'Monday 1 June',
    reopens: 'Monday 6 July',
    nearest: 'Docklands Library, about a mile away in the Sail Loft on Marina Walk',
  },
  docklands: {
    open: true,
    name: 'Docklands Library',
    address: 'the Sail Loft, Marina Walk, HC2 9DL',
    hours: 'Monday to Friday 10am to 6pm and Saturday 10am to 4pm; it is closed on Sundays',
  },
};

const formats = ['book', 'audiobook', 'dvd'] as const;
type Format = (typeof formats)[number];

const formatNames: Record<Format, string> = {
  book: 'book',
  audiobook: 'audiobook on CD',
  dvd: 'DVD',
};

const formatPlurals: Record<Format, string> = {
  book: 'books',
  audiobook: 'audiobooks',
  dvd: 'DVDs',
};

/** How many days a renewal adds to a loan of each format, counted from its current due date. */
const renewalDays: Record<Format, number> = { book: 21, audiobook: 21, dvd: 7 };

interface Loan {
  title: string;
  format: Format;
  due: string;
  /** Another member has reserved it, so it cannot be renewed. */
  reserved?: boolean;
}

/**
 * The library cards with loans, as of Monday 15 June 2026. HC1987342 is blocked: its only
 * loan is more than six weeks overdue and counts as lost. Any other card number is unknown.
 */
const cards: Record<string, { loans: Loan[]; blocked?: { charge: string } }> = {
  HC2046813: {
    loans: [
      { title: 'The Salt Path', format: 'book', due: '2026-06-18' },
      { title: 'Wolf Hall', format: 'book', due: '2026-06-18' },
      { title: 'Planet Earth III', format: 'dvd', due: '2026-06-17' },
    ],
  },
  HC2051177: {
    loans: [
      { title: 'Lessons in Chemistry', format: 'book', due: '2026-06-16', reserved: true },
      { title: 'Project Hail Mary', format: 'audiobook', due: '2026-06-22' },
    ],
  },
  HC1987342: {
    loans: [{ title: 'The Thursday Murder Club', format: 'book', due: '2026-04-30' }],
    blocked: { charge: '£9.99' },
  },
};

/** How many reservations wait for a title in a format; 0 with copies on the shelf. */
type Holding = { onShelf: true } | { onShelf: false; queue: number };

/** The catalogue: each title, and the formats the library holds it in. */
const catalogue: Array<{ title: string; holdings: Partial<Record<Format, Holding>> }> = [
  {
    title: 'The Salt Path',
    holdings: { book: { onShelf: true }, audiobook: { onShelf: false, queue: 0 } },
  },
  {
    title: 'Wolf Hall',
    holdings: {
      book: { onShelf: true },
      audiobook: { onShelf: true },
      dvd: { onShelf: false, queue: 2 },
    },
  },
  {
    title: 'The Thursday Murder Club',
    holdings: {
      book: { onShelf: false, queue: 4 },
      audiobook: { onShelf: true },
      dvd: { onShelf: false, queue: 11 },
    },
  },
  { title: 'Oppenheimer', holdings: { dvd: { onShelf: true } } },
  {
    title: 'Lessons in Chemistry',
    holdings: { book: { onShelf: false, queue: 2 }, audiobook: { onShelf: true } },
  },
  {
    title: 'Project Hail Mary',
    holdings: { book: { onShelf: true }, audiobook: { onShelf: false, queue: 1 } },
  },
  { title: 'Intermezzo', holdings: { book: { onShelf: false, queue: 9 } } },
  { title: 'The Gruffalo', holdings: { book: { onShelf: true }, dvd: { onShelf: true } } },
  { title: 'Dune', holdings: { book: { onShelf: true }, dvd: { onShelf: true } } },
];

const weekdayNames = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const monthNames = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

const oneDay = 86_400_000;
const parseIso = (iso: string) => new Date(`${iso}T00:00:00Z`);
const addDays = (iso: string, days: number) =>
  new Date(parseIso(iso).getTime() + days * oneDay).toISOString().slice(0, 10);

/** "Thursday 18 June". */
function spoken(iso: string): string {
  const date = parseIso(iso);
  return `${weekdayNames[date.getUTCDay()]} ${date.getUTCDate()} ${monthNames[date.getUTCMonth()]}`;
}

/** "a, b and c". */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A title as the catalogue search compares it: no case, punctuation or leading "the". */
function titleKey(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
}

/** The catalogue entry and holding of a title in a format, if the library has it. */
function findHolding(title: string, format: Format) {
  const entry = catalogue.find((candidate) => titleKey(candidate.title) === titleKey(title));
  const holding = entry?.holdings[format];
  return entry && holding ? { entry, holding, index: catalogue.indexOf(entry) } : undefined;
}

function availabilityOf(holding: Holding): string {
  if (holding.onShelf) {
    return 'there are copies on the shelf, so it should be ready to collect within 3 working days';
  }
  if (holding.queue === 0) {
    return 'all copies are out on loan at the moment, and yours would be the first reservation';
  }
  const ahead =
    holding.queue === 1 ? 'there is 1 reservation' : `there are ${holding.queue} reservations`;
  return `all copies are out on loan at the moment, and ${ahead} ahead of yours`;
}

function waitOf(holding: Holding): string {
  if (holding.onShelf) return 'It should be ready within 3 working days.';
  return `All copies are on loan, and you are number ${holding.queue + 1} in the queue.`;
}

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

const cardNumber = z
  .string()
  .regex(/^HC\d{7}$/)
  .describe('The library card number: HC and seven digits, like HC1234567');

const branchSynonyms = {
  central: [
    'central',
    'central library',
    'city centre',
    'city center',
    'town centre',
    'main library',
    'quay street',
  ],
  northgate: ['northgate', 'north gate', 'northgate road'],
  westhaven: ['westhaven', 'west haven', 'church lane'],
  docklands: ['docklands', 'dockland', 'the docks', 'marina', 'marina walk', 'sail loft'],
};

const branch = z.enum(branchKeys).meta({
  description: 'Which library branch',
  extract: { synonyms: branchSynonyms },
});

const collectFrom = z.enum(branchKeys).meta({
  description: 'The branch the customer will collect the reservation from',
  extract: { synonyms: branchSynonyms },
});

const formatSynonyms = {
  book: ['book', 'books', 'paperback', 'hardback', 'novel', 'print copy'],
  audiobook: [
    'audiobook',
    'audiobooks',
    'audio book',
    'audio books',
    'audio cd',
    'talking book',
    'on cd',
    'cds',
  ],
  dvd: ['dvd', 'dvds', 'film', 'movie', 'blu-ray', 'box set', 'tv series'],
};

const format = z.enum(formats).meta({
  description: 'The format: a printed book, an audiobook on CD, or a DVD',
  extract: { synonyms: formatSynonyms },
});

const onlyFormat = z
  .enum(formats)
  .optional()
  .meta({
    description:
      'Renew only the items of this format; leave it out to renew everything that can be renewed',
    extract: { synonyms: formatSynonyms },
  });

const title = z
  .string()
  .min(1)
  .max(200)
  .describe('The title of the book, audiobook or DVD, as the customer wrote it');

/**
 * The library's fake systems: `branch_hours`, `check_loans`, `renew_loans`, `find_title` and
 * `place_reservation`, each result one shape per outcome (`{ open: true, found }` / `{ open:
 * false, closed }`; `{ status: 'found', found }` / `{ status: 'not_found', notFound }` / `{
 * status: 'blocked', blocked }`; `{ status: 'renewed', renewal }` / `{ status: 'refused',
 * refused }`; `{ inCatalogue: true, found }` / `{ inCatalogue: false, notFound }`…). Deterministic: renewals and reservations are
 * answered, not stored, so every scenario starts from the same data.
 */
export function createHarbourTools(): ToolDefinition[] {
  const branchHours = tool({
    name: 'branch_hours',
    description: "Gives a library branch's address and weekly opening hours, or says it is closed.",
    parameters: z.object({ branch }),
    handler: ({ branch }) => {
      const entry = branches[branch];
      if (!entry.open) {
        return {
          open: false,
          closed: {
            branch,
            name: entry.name,
            since: entry.since,
            reopens: entry.reopens,
            nearest: entry.nearest,
          },
        };
      }
      return {
        open: true,
        found: { branch, name: entry.name, address: entry.address, hours: entry.hours },
      };
    },
  });

  const checkLoans = tool({
    name: 'check_loans',
    description:
      'Lists the items on loan on a library card with their due dates and whether each can be renewed.',
    parameters: z.object({ cardNumber }),
    handler: ({ cardNumber }) => {
      const card = cards[cardNumber];
      if (!card) return { status: 'not_found' as const, notFound: { cardNumber } };
      const [first] = card.loans;
      if (card.blocked && first) {
        return {
          status: 'blocked' as const,
          blocked: {
            cardNumber,
            item: first.title,
            dueDay: spoken(first.due),
            charge: card.blocked.charge,
          },
        };
      }
      const reserved = card.loans.filter((loan) => loan.reserved).map((loan) => loan.title);
      return {
        status: 'found' as const,
        found: {
          cardNumber,
          count: card.loans.length,
          items: listed(
            card.loans.map(
              (loan) => `${loan.title} (${formatNames[loan.format]}, due ${spoken(loan.due)})`,
            ),
          ),
          renewalNote:
            reserved.length === 0
              ? 'All of them can be renewed.'
              : `${listed(reserved)} can't be renewed, because another member has reserved it.`,
        },
      };
    },
  });

  const renewLoans = tool({
    name: 'renew_loans',
    description:
      'Renews the items on a library card that can be renewed, or only those of one format.',
    parameters: z.object({ cardNumber, format: onlyFormat }),
    handler: ({ cardNumber, format }) => {
      const card = cards[cardNumber];
      if (!card) {
        return {
          status: 'refused' as const,
          refused: { cardNumber, reason: 'there is no library card with that number' },
        };
      }
      if (card.blocked) {
        return {
          status: 'refused' as const,
          refused: { cardNumber, reason: 'the card is blocked because of an item counted as lost' },
        };
      }
      const chosen = card.loans.filter((loan) => format === undefined || loan.format === format);
      const renewable = chosen.filter((loan) => !loan.reserved);
      if (renewable.length === 0) {
        const what = format === undefined ? 'items' : formatPlurals[format];
        return {
          status: 'refused' as const,
          refused: { cardNumber, reason: `there are no ${what} on it that can be renewed` },
        };
      }
      const notes: string[] = [];
      for (const loan of chosen.filter((candidate) => candidate.reserved)) {
        notes.push(
          `${loan.title} wasn't renewed, because another member has reserved it: please bring it back by ${spoken(loan.due)}.`,
        );
      }
      if (chosen.length < card.loans.length) notes.push('Your other items keep their due dates.');
      if (notes.length === 0) notes.push('Everything you have on loan is renewed.');
      return {
        status: 'renewed' as const,
        renewal: {
          cardNumber,
          count: renewable.length === 1 ? '1 item' : `${renewable.length} items`,
          items: listed(
            renewable.map(
              (loan) => `${loan.title} (${spoken(addDays(loan.due, renewalDays[loan.format]))})`,
            ),
          ),
          note: notes.join(' '),
        },
      };
    },
  });

  const findTitle = tool({
    name: 'find_title',
    description:
      'Searches the catalogue for a title in a format (book, audiobook on CD or DVD) and says whether copies are on the shelf or how many reservations are ahead.',
    parameters: z.object({ title, format }),
    handler: ({ title, format }) => {
      const held = findHolding(title, format);
      if (!held) {
        return { inCatalogue: false, notFound: { title, format: formatNames[format] } };
      }
      return {
        inCatalogue: true,
        found: {
          title: held.entry.title,
          format: formatNames[format],
          availability: availabilityOf(held.holding),
        },
      };
    },
  });

  const placeReservation = tool({
    name: 'place_reservation',
    description: 'Reserves a title in a format on a library card, to be collected from a branch.',
    parameters: z.object({ cardNumber, title, format, branch: collectFrom }),
    handler: ({ cardNumber, title, format, branch }) => {
      const card = cards[cardNumber];
      if (!card) return { status: 'unknown_card' as const, unknownCard: { cardNumber } };
      const [first] = card.loans;
      if (card.blocked && first) {
        return { status: 'blocked' as const, blocked: { cardNumber, item: first.title } };
      }
      const entry = branches[branch];
      if (!entry.open) {
        return {
          status: 'branch_closed' as const,
          branchClosed: { branch: entry.name, reopens: entry.reopens },
        };
      }
      const held = findHolding(title, format);
      if (!held) {
        return {
          status: 'not_in_catalogue' as const,
          notInCatalogue: { title, format: formatNames[format] },
        };
      }
      return {
        status: 'placed' as const,
        placed: {
          cardNumber,
          title: held.entry.title,
          format: formatNames[format],
          branch: entry.name,
          reference: `RV-${cardNumber.slice(-4)}${held.index + 1}${formats.indexOf(format) + 1}`,
          wait: waitOf(held.holding),
        },
      };
    },
  });

  return [branchHours, checkLoans, renewLoans, findTitle, placeReservation];
}

// ---------------------------------------------------------------------------------------------
// The agent
// ---------------------------------------------------------------------------------------------

/**
 * The Harbour City Libraries help assistant: branches and opening hours, joining, borrowing,
 * e-books and the app, computers and printing, room hire, events, fines and charges, and two
 * journeys (renew loans, reserve a title). Replies come from its canned responses only
 * (`canned_strict`).
 */
export function createHarbourLibraries(): AgentDefinition {
  return defineAgent({
    name: harbourAgentName,
    description:
      "The help chat of Harbour City Libraries, the city's public library service: branches and opening hours, joining, borrowing and renewals, reservations, e-books and audiobooks, computers and printing, room hire, events, and fines and charges.",
    compositionMode: 'canned_strict',
    tools: createHarbourTools(),
    variables: [
      {
        name: 'contact',
        description: "The library service's phone line",
        defaultValue: { phone: '01632 960 250', hours: 'Monday to Saturday, 9am to 5pm' },
      },
      {
        name: 'web',
        description: 'Pages of the library website',
        defaultValue: {
          join: 'harbourcitylibraries.org.uk/join',
          account: 'harbourcitylibraries.org.uk/account',
          eLibrary: 'harbourcitylibraries.org.uk/elibrary',
          pin: 'harbourcitylibraries.org.uk/pin',
          computers: 'harbourcitylibraries.org.uk/computers',
          print: 'harbourcitylibraries.org.uk/print',
          rooms: 'harbourcitylibraries.org.uk/rooms',
          events: 'harbourcitylibraries.org.uk/whatson',
          suggest: 'harbourcitylibraries.org.uk/suggest',
        },
      },
      {
        name: 'branches',
        description: 'Branch closures',
        defaultValue: { westhavenReopens: 'Monday 6 July' },
      },
      {
        name: 'loans',
        description: 'Borrowing limits, loan periods and renewals',
        defaultValue: {
          adultItems: 20,
          childItems: 12,
          bookWeeks: 3,
          dvdWeeks: 1,
          renewals: 3,
          eLoans: 10,
        },
      },
      {
        name: 'charges',
        description: 'Charges for lost cards and lost items',
        defaultValue: { replacementCard: '£2', lostAfter: 'six weeks' },
      },
      {
        name: 'printing',
        description: 'Public computers and printing',
        defaultValue: { pcHours: 2, mono: '15p', colour: '50p' },
      },
      {
        name: 'rooms',
        description: 'Room hire prices',
        defaultValue: { harbourRoom: '£25', sailLoft: '£15', discount: 'half' },
      },
    ],
    terms: [
      {
        name: 'library card',
        description: 'The membership card, whose number is HC and seven digits, like HC1234567.',
        synonyms: ['membership card', 'card number', 'borrower number', 'library number'],
      },
      {
        name: 'reservation',
        description: 'A request for a title to be kept for a member to collect from a branch.',
        synonyms: ['hold', 'request', 'put on hold', 'waiting list'],
      },
      {
        name: 'renewal',
        description: 'Extending the loan of an item so it is due back later.',
        synonyms: ['renew', 'extend', 'extension'],
      },
      {
        name: 'ShelfLink',
        description: 'The app for borrowing e-books, e-audiobooks and e-magazines.',
        synonyms: ['library app', 'the app', 'e-library', 'digital library'],
      },
      {
        name: 'Central Library',
        description: 'The main library, on Quay Street in the city centre.',
        synonyms: ['main library', 'city library', 'Quay Street library'],
      },
    ],
    guidelines: [
      {
        key: 'greeting',
        condition: 'the customer says hello or greets the assistant',
        action: 'greet them and say what you can help with',
        examples: ['hello', 'hi there', 'good morning'],
      },
      {
        key: 'thanks_goodbye',
        condition: 'the customer says thank you or goodbye',
        action: 'say they are welcome and wish them happy reading',
        examples: ['thank you', 'bye', "that's all I needed, thanks"],
      },
      {
        key: 'opening_hours',
        condition: 'the customer asks when a library branch is open, or where a branch is',
        action: "look up the branch's address and opening hours",
        tools: ['branch_hours'],
        examples: [
          'what time does Central Library open?',
          'is Northgate library open on Saturdays?',
          'what are your opening hours?',
          'where is the Docklands branch?',
        ],
      },
      {
        key: 'joining',
        condition:
          'the customer asks how to join the library or get a library card, or how to replace a lost card',
        action:
          'explain that joining is free, how to join and what to bring, and replacement cards',
        examples: [
          'how do I join the library?',
          'can my son get a library card?',
          'is it free to become a member?',
          'I have lost my library card',
        ],
      },
      {
        key: 'borrowing',
        condition:
          'the customer asks how many items they can borrow, how long loans last, how often they can renew, or where to return items',
        action: 'give the borrowing limits, loan periods and renewal rules',
        examples: [
          'how many books can I take out?',
          'how long can I keep a DVD?',
          'how many times can I renew a book?',
          'can I return books to a different branch?',
        ],
      },
      {
        key: 'ebooks_app',
        condition: 'the customer asks about e-books, e-audiobooks, e-magazines or the library app',
        action: 'explain how to borrow them in the ShelfLink app and how to reset the PIN',
        examples: [
          'do you have e-books?',
          'how do I listen to audiobooks on my phone?',
          'the library app will not accept my PIN',
          'can I read magazines online with my card?',
        ],
      },
      {
        key: 'computers_printing',
        condition:
          'the customer asks about using the public computers or the Wi-Fi, or about printing, photocopying or scanning',
        action: 'explain computer use, the Wi-Fi, and printing and copying prices',
        examples: [
          'can I use a computer at the library?',
          'how much does printing cost?',
          'is there free wifi?',
          'can I scan documents?',
        ],
      },
      {
        key: 'room_hire',
        condition: 'the customer wants to hire or book a meeting room or space at a library',
        action: 'give the rooms, their prices and how to book',
        examples: [
          'do you have rooms to hire?',
          'how much is the meeting room at Central?',
          'can our community group book a room?',
        ],
      },
      {
        key: 'events',
        condition: 'the customer asks about events, activities or groups at the libraries',
        action: 'give the regular events and where to find the full programme',
        examples: [
          "what's on at the library this week?",
          'do you do story time for toddlers?',
          'is there a book club?',
          'are there any coding clubs for kids?',
        ],
      },
      {
        key: 'fines_charges',
        condition:
          'the customer asks about fines or charges for late, lost or damaged items, or has lost or damaged a library item',
        action: 'explain that there are no fines, and what happens when an item is lost or damaged',
        examples: [
          'do you charge late fees?',
          'I have lost a library book, what happens now?',
          'my dog chewed a book I borrowed',
          'how much is the fine for an overdue DVD?',
        ],
      },
    ],
    journeys: [
      {
        key: 'renew_loans',
        title: 'Renew loans',
        description:
          'Renews the items on a library card: the card number, then the loans and which of them to renew, then the renewal once the customer agrees.',
        conditions: [
          'the customer wants to renew their books, audiobooks or DVDs',
          'the customer wants to keep their library items longer or extend the due date',
        ],
        initialState: 'ask_card',
        states: [
          { key: 'ask_card', kind: 'chat', action: 'Ask for their library card number' },
          { key: 'check', kind: 'tool', tool: 'check_loans' },
          { key: 'check_checked', kind: 'fork' },
          {
            key: 'confirm_renewal',
            kind: 'chat',
            action:
              'List the loans with their due dates, say which cannot be renewed, and ask what to renew',
          },
          {
            key: 'card_not_found',
            kind: 'chat',
            action: 'Say no card has that number and ask them to check it',
          },
          {
            key: 'card_blocked',
            kind: 'chat',
            action:
              'Say the card is blocked because of an item counted as lost, and how to unblock it',
          },
          { key: 'renew', kind: 'tool', tool: 'renew_loans' },
          { key: 'renew_checked', kind: 'fork' },
          {
            key: 'renewed',
            kind: 'chat',
            action: 'Confirm what was renewed with the new due dates, and what was not',
          },
          {
            key: 'nothing_renewed',
            kind: 'chat',
            action: 'Say nothing could be renewed and why',
          },
          { key: 'not_renewed', kind: 'chat', action: 'Say nothing was renewed' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_card',
            to: 'check',
            condition: 'the customer gives their library card number',
          },
          {
            from: 'ask_card',
            to: 'not_renewed',
            condition: 'the customer decides not to renew anything',
          },
          { from: 'check', to: 'check_checked' },
          {
            from: 'check_checked',
            to: 'confirm_renewal',
            condition: 'the card was found and has items on loan',
            when: { path: 'check_loans.status', equals: 'found' },
          },
          {
            from: 'check_checked',
            to: 'card_not_found',
            condition: 'no library card has that number',
            when: { path: 'check_loans.status', equals: 'not_found' },
          },
          {
            from: 'check_checked',
            to: 'card_blocked',
            condition: 'the card is blocked because an item counts as lost',
            when: { path: 'check_loans.status', equals: 'blocked' },
          },
          {
            from: 'card_not_found',
            to: 'check',
            condition: 'the customer gives another card number',
          },
          {
            from: 'confirm_renewal',
            to: 'renew',
            condition:
              'the customer agrees to renew, everything or only the books, the audiobooks or the DVDs',
          },
          {
            from: 'confirm_renewal',
            to: 'not_renewed',
            condition: 'the customer does not want to renew anything after all',
          },
          { from: 'renew', to: 'renew_checked' },
          {
            from: 'renew_checked',
            to: 'renewed',
            condition: 'the items were renewed',
            when: { path: 'renew_loans.status', equals: 'renewed' },
          },
          {
            from: 'renew_checked',
            to: 'nothing_renewed',
            condition: 'nothing could be renewed',
            when: { path: 'renew_loans.status', equals: 'refused' },
          },
          { from: 'renewed', to: 'done' },
          { from: 'nothing_renewed', to: 'done' },
          { from: 'not_renewed', to: 'done' },
          { from: 'card_blocked', to: 'done' },
        ],
      },
      {
        key: 'reserve_title',
        title: 'Reserve a title',
        description:
          'Reserves a book, an audiobook on CD or a DVD for collection: the title and format, then the catalogue search, the branch to collect from and the card number, then the reservation once the customer agrees.',
        conditions: [
          'the customer wants to reserve a book, an audiobook or a DVD',
          'the customer wants a title kept for them to collect at a branch, or to join the waiting list for it',
        ],
        initialState: 'ask_title',
        states: [
          { key: 'ask_title', kind: 'chat', action: 'Ask which title they would like to reserve' },
          {
            key: 'ask_format',
            kind: 'chat',
            action: 'Ask whether they want it as a book, an audiobook on CD or a DVD',
          },
          { key: 'search', kind: 'tool', tool: 'find_title' },
          { key: 'search_checked', kind: 'fork' },
          {
            key: 'ask_branch',
            kind: 'chat',
            action:
              'Say the title is in the catalogue and how soon it could be ready, and ask which branch to collect it from',
          },
          {
            key: 'title_not_found',
            kind: 'chat',
            action: 'Say the title is not in the catalogue in that format, and offer another',
          },
          { key: 'ask_card', kind: 'chat', action: 'Ask for their library card number' },
          {
            key: 'confirm_reservation',
            kind: 'chat',
            action: 'Ask whether to place the reservation',
          },
          { key: 'place', kind: 'tool', tool: 'place_reservation' },
          { key: 'place_checked', kind: 'fork' },
          {
            key: 'reserved',
            kind: 'chat',
            action: 'Confirm the reservation with its reference, branch and likely wait',
          },
          {
            key: 'card_unknown',
            kind: 'chat',
            action: 'Say no card has that number and ask them to check it',
          },
          {
            key: 'card_blocked',
            kind: 'chat',
            action: 'Say the card is blocked because of an item counted as lost',
          },
          {
            key: 'branch_closed',
            kind: 'chat',
            action: 'Say that branch is closed for refurbishment and ask for another branch',
          },
          { key: 'not_reserved', kind: 'chat', action: 'Say nothing was reserved' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_title',
            to: 'ask_format',
            condition: 'the customer says which title they want',
          },
          {
            from: 'ask_title',
            to: 'not_reserved',
            condition: 'the customer decides not to reserve anything',
          },
          {
            from: 'ask_format',
            to: 'search',
            condition: 'the customer says which format: a book, an audiobook on CD or a DVD',
          },
          {
            from: 'ask_format',
            to: 'not_reserved',
            condition: 'the customer decides not to reserve anything',
          },
          { from: 'search', to: 'search_checked' },
          {
            from: 'search_checked',
            to: 'ask_branch',
            condition: 'the catalogue has the title in that format',
            when: { path: 'find_title.inCatalogue', equals: true },
          },
          {
            from: 'search_checked',
            to: 'title_not_found',
            condition: 'the catalogue does not have the title in that format',
            when: { path: 'find_title.inCatalogue', equals: false },
          },
          {
            from: 'title_not_found',
            to: 'search',
            condition: 'the customer gives another format or another title',
          },
          {
            from: 'title_not_found',
            to: 'not_reserved',
            condition: 'the customer does not want anything else',
          },
          {
            from: 'ask_branch',
            to: 'ask_card',
            condition:
              'the customer says which branch to collect from: Central, Northgate, Westhaven or Docklands',
          },
          {
            from: 'ask_branch',
            to: 'not_reserved',
            condition: 'the customer does not want to reserve it after all',
          },
          {
            from: 'ask_card',
            to: 'confirm_reservation',
            condition: 'the customer gives their library card number',
          },
          {
            from: 'confirm_reservation',
            to: 'place',
            condition: 'the customer agrees: yes, reserve it',
          },
          {
            from: 'confirm_reservation',
            to: 'not_reserved',
            condition: 'the customer does not want to reserve it after all',
          },
          { from: 'place', to: 'place_checked' },
          {
            from: 'place_checked',
            to: 'reserved',
            condition: 'the reservation was placed',
            when: { path: 'place_reservation.status', equals: 'placed' },
          },
          {
            from: 'place_checked',
            to: 'card_unknown',
            condition: 'no library card has that number',
            when: { path: 'place_reservation.status', equals: 'unknown_card' },
          },
          {
            from: 'place_checked',
            to: 'card_blocked',
            condition: 'the card is blocked because an item counts as lost',
            when: { path: 'place_reservation.status', equals: 'blocked' },
          },
          {
            from: 'place_checked',
            to: 'branch_closed',
            condition: 'the branch chosen is closed for refurbishment',
            when: { path: 'place_reservation.status', equals: 'branch_closed' },
          },
          {
            from: 'card_unknown',
            to: 'place',
            condition: 'the customer gives another card number',
          },
          {
            from: 'branch_closed',
            to: 'place',
            condition: 'the customer chooses another branch',
          },
          {
            from: 'branch_closed',
            to: 'not_reserved',
            condition: 'the customer does not want to reserve it after all',
          },
          { from: 'reserved', to: 'done' },
          { from: 'card_blocked', to: 'done' },
          { from: 'not_reserved', to: 'done' },
        ],
      },
    ],
    cannedResponses: Object.values(harbourTemplates).map((template) => ({ template })),
  });
}
