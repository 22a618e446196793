import { z } from 'zod';
import { type AgentDefinition, defineAgent } from '../../../src/definition/define-agent';
import { type ToolDefinition, tool } from '../../../src/tools/tool';

// Riverside Council Waste & Recycling, the bin and recycling service of a fictional English
// city council: the help chat on the council's website. Written as the service's customer
// contact manager would write it, by someone who never read the engine, for a blind evaluation
// of the no-LLM mode. The fake rounds are frozen on the suites' fixed clock, Monday 15 June
// 2026 at 09:00: "the last round" of each district is the one of the week before. The tools
// only ever see ISO dates and postcodes, never a clock of their own.

/** The agent's name: what a sync finds it by. */
export const riversideAgentName = 'Riverside Council Waste & Recycling';

/**
 * What the assistant says when nothing it knows fits (the engine's `fallbackReply` option: a
 * definition has no field for it). Not a canned response, so no template competes with it.
 */
export const riversideFallbackReply =
  "Sorry, I can't help with that here: I only know about bins and recycling. Ask me what goes in which bin, your collection day, the recycling centre, garden waste, Christmas and bank holiday collections, damaged or stolen bins, assisted collections or fly-tipping. I can also report a missed collection and book a bulky waste collection.";

/** Every canned response of the agent, by what it is for: suites name the one they expect. */
export const riversideTemplates = {
  greeting:
    "Hello, and welcome to Riverside Council's bins and recycling help. I can tell you what goes in which bin, your collection day, the recycling centre's opening hours, and about garden waste, holiday collections, damaged or stolen bins and fly-tipping. I can also report a missed collection or book a bulky waste collection. How can I help?",
  goodbye: "You're welcome. Thanks for recycling with Riverside Council, and have a good day!",
  binGuide:
    "Here's what goes where. Blue bin (recycling): paper, flattened cardboard, tins and cans, foil, glass bottles and jars, and plastic bottles, pots, tubs and trays, rinsed and loose, not in bags. Food caddy: all food waste, cooked or raw, including bones, peelings, tea bags and coffee grounds. Green bin (garden waste subscription): grass, leaves, hedge trimmings and small branches. Black bin: everything that can't be recycled, like nappies, crisp packets, plastic bags and film, polystyrene, pet waste and greasy pizza boxes. Batteries, small electricals and old clothes and shoes: put them in a tied carrier bag on top of your blue bin on collection day and the crew will take them. Paint, gas bottles, rubble and large items go to the recycling centre, or book a bulky waste collection.",
  recyclingCentre:
    "Riverside Recycling Centre (the tip) is on Wharf Road, {{centre.postcode}}, off the ring road next to the old gasworks. It's open every day, {{centre.summerHours}} from April to September and {{centre.winterHours}} from October to March, with last entry 15 minutes before closing. It's closed on Christmas Day, Boxing Day and New Year's Day. It's free for Riverside residents: bring proof of your address. Vans, pick-ups and trailers need a free van permit from {{web.vanPermit}}, booked at least two days ahead.",
  gardenWaste:
    'Garden waste collection is a yearly subscription, April to March: {{garden.price}} for one green bin and {{garden.extraBin}} for each extra bin, up to {{garden.maxBins}} bins. Sign up at {{web.gardenWaste}} or call us on {{contact.phone}}; a new green bin arrives within 10 working days. Green bins are emptied every other week, on the same day as your black bin, except for the winter break from {{garden.winterBreak}}.',
  replaceBin:
    'Sorry about your bin. Order a replacement at {{web.bins}}: a new black, blue or green wheelie bin costs {{bins.replacementFee}} including delivery, a food caddy is free, and it arrives within {{bins.deliveryTime}}. If our crew damaged it while emptying it, there\'s no charge: just say so on the form. A broken lid or wheel can usually be fixed instead: choose "repair" on the same form, and the repair is free. No need to report a stolen bin to the police.',
  holidayCollections:
    "We collect as normal on bank holidays, including Good Friday, Easter Monday and the May and August bank holidays, so put your bins out on your usual day. Only Christmas and New Year change: every collection from Christmas Day to New Year's Day is one day later than usual (Friday's moves to Saturday), and you can leave extra recycling in a clear bag next to your blue bin. Garden waste takes its winter break from {{garden.winterBreak}}. Real Christmas trees are collected in the first two weeks of January: leave yours next to your green bin, cut to under 1.5 metres, with no decorations or pot.",
  flyTipping:
    "Thanks for reporting it. Please use our fly-tipping form at {{web.flyTipping}}: mark the spot on the map, say what's been dumped and add a photo if you can take one safely. Please don't touch or move it yourself, as it could be hazardous; we'll clear it. Rubbish on public land, like a street, alley or park, is cleared within {{flyTipping.clearTime}}; on private land the landowner must clear it. If you saw who dumped it, add what you saw to the form, but don't approach them.",
  assistedCollection:
    "If nobody in your home can take the bins to the kerb because of age, disability or ill health, our crew can collect them from your property and put them back afterwards. It's free: apply at {{web.assisted}} or call us on {{contact.phone}}, {{contact.hours}}. A relative, carer or neighbour can apply for you, and the crew will start within {{assisted.startTime}}.",
  askCollectionPostcode: "I can look up your bin day. What's your postcode? For example RS2 5LT.",
  collectionDay:
    'Bins at {{collection_day.found.postcode}} are emptied on {{collection_day.found.weekday}}s. Your next collections: the blue recycling bin on {{collection_day.found.nextBlue}}, and the black bin and green garden bin on {{collection_day.found.nextBlack}}; the food caddy goes every week. Please put your bins out by 6:30am on the day.',
  postcodeNotCovered:
    "Sorry, {{collection_day.notCovered.postcode}} isn't in Riverside Council's area, so we don't collect there: we cover the RS1, RS2, RS3 and RS4 postcodes. If you live elsewhere, your own council's website will have your bin days.",
  // report_missed journey
  askMissedPostcode: "Sorry your collection was missed. What's your postcode? For example RS2 5LT.",
  askMissedBin:
    'Thanks. Which bin was missed: the black general waste bin, the blue recycling bin, the green garden waste bin or the food caddy?',
  missedLogged:
    "I've logged it: report {{log_missed_collection.report.reference}} for the {{log_missed_collection.report.bin}} at {{log_missed_collection.report.postcode}}, due on {{log_missed_collection.report.day}}. A crew will come back for it within two working days: please leave the bin out until it's emptied.",
  missedNotDue:
    "Your {{log_missed_collection.notDue.bin}} wasn't due on the last collection at {{log_missed_collection.notDue.postcode}}, on {{log_missed_collection.notDue.lastDay}}: it's emptied every other week, and its next collection is {{log_missed_collection.notDue.nextDay}}. Please have it out by 6:30am that morning.",
  missedPostcodeUnknown:
    "{{log_missed_collection.unknownPostcode.postcode}} isn't a postcode Riverside Council collects from: our area is RS1 to RS4. Could you check your postcode and send it again?",
  // book_bulky journey
  askBulkyItem:
    'I can book a bulky waste collection for you. What needs taking away: furniture like a sofa, wardrobe or table (up to three items for {{bulky.furniture}}), a mattress ({{bulky.mattress}}), a fridge or freezer ({{bulky.fridge}}), or a large appliance like a washing machine or cooker ({{bulky.appliance}})?',
  askBulkyDate:
    'Which day would you like us to collect it? Our bulky waste crews work Monday to Friday.',
  bulkyQuote:
    'We can collect your {{quote_bulky.quote.item}} on {{quote_bulky.quote.day}} for {{quote_bulky.quote.price}}. Please have it outside your front door by 7am that day, without blocking the pavement. Shall I book it?',
  bulkyDateUnavailable:
    "Sorry, we can't collect on {{quote_bulky.unavailable.day}}: {{quote_bulky.unavailable.reason}}. The next day we can come is {{quote_bulky.nextFree.day}}. Which day would suit you instead?",
  bulkyBooked:
    "Booked: reference {{book_bulky.booking.reference}}, your {{book_bulky.booking.item}} collected on {{book_bulky.booking.day}} from the address on your Riverside account, for {{book_bulky.booking.price}}. We'll email you a link to pay; the booking is confirmed once it's paid.",
  bulkyNotBooked:
    "No problem, I haven't booked anything. You can book a bulky waste collection here whenever you're ready, or take the items to the recycling centre yourself for free.",
} as const;

// ---------------------------------------------------------------------------------------------
// Fake council data
// ---------------------------------------------------------------------------------------------

const bins = ['black', 'blue', 'green', 'food'] as const;
type Bin = (typeof bins)[number];

const binNames: Record<Bin, string> = {
  black: 'black general waste bin',
  blue: 'blue recycling bin',
  green: 'green garden waste bin',
  food: 'food caddy',
};

type District = 'RS1' | 'RS2' | 'RS3' | 'RS4';

/**
 * The collection rounds of each postcode district, as of Monday 15 June 2026: the weekday,
 * the last round (the week before) and which bins it emptied, and the next dates of the
 * fortnightly bins. Black and green bins go one week, blue bins the other; food every week.
 */
const rounds: Record<
  District,
  {
    weekday: string;
    lastRound: string;
    lastBins: readonly Bin[];
    nextBlue: string;
    nextBlack: string;
  }
> = {
  RS1: {
    weekday: 'Tuesday',
    lastRound: '2026-06-09',
    lastBins: ['black', 'green', 'food'],
    nextBlue: '2026-06-16',
    nextBlack: '2026-06-23',
  },
  RS2: {
    weekday: 'Wednesday',
    lastRound: '2026-06-10',
    lastBins: ['blue', 'food'],
    nextBlue: '2026-06-24',
    nextBlack: '2026-06-17',
  },
  RS3: {
    weekday: 'Thursday',
    lastRound: '2026-06-11',
    lastBins: ['black', 'green', 'food'],
    nextBlue: '2026-06-18',
    nextBlack: '2026-06-25',
  },
  RS4: {
    weekday: 'Friday',
    lastRound: '2026-06-12',
    lastBins: ['blue', 'food'],
    nextBlue: '2026-06-26',
    nextBlack: '2026-06-19',
  },
};

const bulkyItems = ['furniture', 'mattress', 'fridge_freezer', 'appliance'] as const;
type BulkyItem = (typeof bulkyItems)[number];

/** Each kind of bulky collection: what the customer is told it is, and its price. */
const bulkyCatalogue: Record<BulkyItem, { name: string; price: string }> = {
  furniture: { name: 'furniture (up to three items)', price: '£25' },
  mattress: { name: 'mattress', price: '£20' },
  fridge_freezer: { name: 'fridge or freezer', price: '£35' },
  appliance: { name: 'large appliance', price: '£30' },
};

/** Weekdays the bulky waste crews cannot come, and why. */
const noBulkyDays: Record<string, string> = {
  '2026-06-18': 'every bulky waste crew is already fully booked that day',
  '2026-08-31': "it's the August bank holiday",
  '2026-12-25': "it's Christmas Day",
  '2026-12-28': "it's the Boxing Day bank holiday",
};

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
const toIso = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (iso: string, days: number) =>
  toIso(new Date(parseIso(iso).getTime() + days * oneDay));

/** "Tuesday 16 June". */
function spoken(iso: string): string {
  const date = parseIso(iso);
  return `${weekdayNames[date.getUTCDay()]} ${date.getUTCDate()} ${monthNames[date.getUTCMonth()]}`;
}

/** The postcode district (RS1…) of a postcode, or undefined outside the council's area. */
function districtOf(postcode: string): District | undefined {
  const outward = postcode.replace(/\s+/g, '').toUpperCase().slice(0, -3);
  return outward in rounds ? (outward as District) : undefined;
}

/** Why the bulky crews cannot come on a day, or undefined when they can. */
function noBulkyReason(iso: string): string | undefined {
  const weekday = parseIso(iso).getUTCDay();
  if (weekday === 0 || weekday === 6) return 'our bulky waste crews only work Monday to Friday';
  return noBulkyDays[iso];
}

/** What a bulky collection on a day costs, or why there is none that day and the next free day. */
function quoteBulky(itemType: BulkyItem, collectionDate: string) {
  const reason = noBulkyReason(collectionDate);
  if (reason !== undefined) {
    let next = addDays(collectionDate, 1);
    while (noBulkyReason(next) !== undefined) next = addDays(next, 1);
    return {
      available: false as const,
      unavailable: { date: collectionDate, day: spoken(collectionDate), reason },
      nextFree: { date: next, day: spoken(next) },
    };
  }
  const item = bulkyCatalogue[itemType];
  return {
    available: true as const,
    quote: {
      itemType,
      item: item.name,
      collectionDate,
      day: spoken(collectionDate),
      price: item.price,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

const postcode = z
  .string()
  .regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/)
  .describe("The customer's home postcode, in capitals, like RS2 5LT");

const bin = z.enum(bins).meta({
  description: 'Which bin was not emptied',
  extract: {
    synonyms: {
      black: ['black bin', 'black', 'general waste', 'rubbish', 'household waste', 'landfill'],
      blue: ['blue bin', 'blue', 'recycling', 'recycling bin'],
      green: ['green bin', 'green', 'garden waste', 'garden bin', 'brown bin'],
      food: ['food caddy', 'caddy', 'food waste', 'food bin', 'food'],
    },
  },
});

const itemType = z.enum(bulkyItems).meta({
  description: 'What kind of large item needs collecting',
  extract: {
    synonyms: {
      furniture: [
        'furniture',
        'sofa',
        'settee',
        'couch',
        'armchair',
        'chair',
        'wardrobe',
        'table',
        'chest of drawers',
        'bookcase',
        'bed frame',
      ],
      mattress: ['mattress', 'mattresses'],
      fridge_freezer: ['fridge', 'freezer', 'fridge freezer', 'fridge-freezer'],
      appliance: [
        'appliance',
        'washing machine',
        'washer',
        'dishwasher',
        'cooker',
        'oven',
        'tumble dryer',
        'dryer',
        'white goods',
      ],
    },
  },
});

const collectionDate = z.iso.date().describe('The day the bulky waste crew should collect');

/**
 * The council's fake systems: `collection_day`, `log_missed_collection`, `quote_bulky` and
 * `book_bulky`, each result one shape per outcome (`{ covered: true, found }` / `{ covered: false,
 * notCovered }`; `{ status: 'logged', report }` / `{ status: 'not_due', notDue }` / `{ status:
 * 'unknown_postcode', unknownPostcode }`; `{ available: true, quote }` / `{ available: false,
 * unavailable, nextFree }`…). Deterministic: reports and bookings are answered, not stored, so
 * every scenario starts from the same data.
 */
export function createRiversideTools(): ToolDefinition[] {
  const collectionDay = tool({
    name: 'collection_day',
    description:
      'Finds the weekday bins are collected at a postcode, and the next blue and black bin collections.',
    parameters: z.object({ postcode }),
    handler: ({ postcode }) => {
      const district = districtOf(postcode);
      if (!district) return { covered: false, notCovered: { postcode } };
      const round = rounds[district];
      return {
        covered: true,
        found: {
          postcode,
          district,
          weekday: round.weekday,
          nextBlue: spoken(round.nextBlue),
          nextBlack: spoken(round.nextBlack),
        },
      };
    },
  });

  const logMissedCollection = tool({
    name: 'log_missed_collection',
    description:
      'Logs a missed bin collection at a postcode, or says the bin was not due on the last round there.',
    parameters: z.object({ postcode, bin }),
    handler: ({ postcode, bin }) => {
      const district = districtOf(postcode);
      if (!district) return { status: 'unknown_postcode' as const, unknownPostcode: { postcode } };
      const round = rounds[district];
      if (!round.lastBins.includes(bin)) {
        return {
          status: 'not_due' as const,
          notDue: {
            postcode,
            bin: binNames[bin],
            lastDay: spoken(round.lastRound),
            nextDay: spoken(bin === 'blue' ? round.nextBlue : round.nextBlack),
          },
        };
      }
      return {
        status: 'logged' as const,
        report: {
          reference: `MC-${postcode.replace(/\s+/g, '')}-${bins.indexOf(bin) + 1}`,
          postcode,
          bin: binNames[bin],
          day: spoken(round.lastRound),
        },
      };
    },
  });

  const quoteBulkyTool = tool({
    name: 'quote_bulky',
    description:
      'Says what a bulky waste collection of an item on a given day costs, or why the crews cannot come that day.',
    parameters: z.object({ itemType, collectionDate }),
    handler: ({ itemType, collectionDate }) => quoteBulky(itemType, collectionDate),
  });

  const bookBulky = tool({
    name: 'book_bulky',
    description: "Books a bulky waste collection on a given day at the customer's address.",
    parameters: z.object({ itemType, collectionDate }),
    handler: ({ itemType, collectionDate }) => {
      const quoted = quoteBulky(itemType, collectionDate);
      if (!quoted.available) return { booked: false, unavailable: quoted.unavailable };
      return {
        booked: true,
        booking: {
          ...quoted.quote,
          reference: `BW-${collectionDate.slice(5).replace('-', '')}-${bulkyItems.indexOf(itemType) + 1}`,
        },
      };
    },
  });

  return [collectionDay, logMissedCollection, quoteBulkyTool, bookBulky];
}

// ---------------------------------------------------------------------------------------------
// The agent
// ---------------------------------------------------------------------------------------------

/**
 * The Riverside Council bins and recycling assistant: which bin for what, the recycling
 * centre, garden waste, replacement bins, holiday collections, fly-tipping, assisted
 * collections, bin days by postcode, and two journeys (report a missed collection, book a
 * bulky waste collection). Replies come from its canned responses only (`canned_strict`).
 */
export function createRiversideWaste(): AgentDefinition {
  return defineAgent({
    name: riversideAgentName,
    description:
      "The help chat of Riverside Council's waste and recycling service: what goes in which bin, bin days, the recycling centre, garden waste, replacement bins, holiday collections, fly-tipping, missed collections and bulky waste.",
    compositionMode: 'canned_strict',
    tools: createRiversideTools(),
    variables: [
      {
        name: 'contact',
        description: "The waste service's phone line",
        defaultValue: { phone: '01632 960 400', hours: 'Monday to Friday, 8:30am to 5pm' },
      },
      {
        name: 'web',
        description: "The council website's forms",
        defaultValue: {
          gardenWaste: 'riverside.gov.uk/gardenwaste',
          bins: 'riverside.gov.uk/newbin',
          flyTipping: 'riverside.gov.uk/flytipping',
          assisted: 'riverside.gov.uk/assisted',
          vanPermit: 'riverside.gov.uk/vanpermit',
        },
      },
      {
        name: 'centre',
        description: 'The recycling centre on Wharf Road',
        defaultValue: {
          postcode: 'RS3 7QT',
          summerHours: '8am to 6pm',
          winterHours: '8am to 4pm',
        },
      },
      {
        name: 'garden',
        description: 'The garden waste subscription',
        defaultValue: {
          price: '£52 a year',
          extraBin: '£40',
          maxBins: 3,
          winterBreak: '21 December to 11 January',
        },
      },
      {
        name: 'bins',
        description: 'Replacement bins',
        defaultValue: { replacementFee: '£28', deliveryTime: '10 working days' },
      },
      {
        name: 'bulky',
        description: 'The price of each kind of bulky waste collection',
        defaultValue: {
          furniture: bulkyCatalogue.furniture.price,
          mattress: bulkyCatalogue.mattress.price,
          fridge: bulkyCatalogue.fridge_freezer.price,
          appliance: bulkyCatalogue.appliance.price,
        },
      },
      {
        name: 'flyTipping',
        description: 'How fast reported fly-tipping is cleared',
        defaultValue: { clearTime: '3 working days' },
      },
      {
        name: 'assisted',
        description: 'Assisted collections',
        defaultValue: { startTime: '2 weeks' },
      },
    ],
    terms: [
      {
        name: 'recycling centre',
        description:
          'Riverside Recycling Centre on Wharf Road, where residents take waste that does not go in their bins.',
        synonyms: ['tip', 'the tip', 'dump', 'HWRC', 'household waste recycling centre'],
      },
      {
        name: 'green bin',
        description: 'The garden waste bin, for subscribers only.',
        synonyms: ['garden waste bin', 'garden bin', 'brown bin'],
      },
      {
        name: 'food caddy',
        description: 'The small lockable bin for food waste, emptied every week.',
        synonyms: ['food bin', 'caddy', 'food waste bin'],
      },
      {
        name: 'bulky waste',
        description: 'Household items too big for a bin, collected from the doorstep for a fee.',
        synonyms: ['large items', 'big items', 'bulky items'],
      },
      {
        name: 'crew',
        description: 'The collection crew that empties the bins.',
        synonyms: ['bin men', 'binmen', 'bin lorry', 'dustmen', 'refuse collectors'],
      },
    ],
    guidelines: [
      {
        key: 'greeting',
        condition: 'the customer says hello or greets the assistant',
        action: 'greet them and say what you can help with',
        examples: ['hello', 'hi', 'good morning'],
      },
      {
        key: 'thanks_goodbye',
        condition: 'the customer says thank you or goodbye',
        action: 'say they are welcome and wish them a good day',
        examples: ['thank you', 'bye', 'thanks, that is all'],
      },
      {
        key: 'which_bin',
        condition:
          'the customer asks which bin an item goes in, or whether something can be recycled',
        action: 'say what goes in each bin and what to do with items no bin takes',
        examples: [
          'which bin does cardboard go in?',
          'can I recycle plastic bags?',
          'where do food scraps go?',
          'what goes in the blue bin?',
        ],
      },
      {
        key: 'recycling_centre',
        condition: 'the customer asks where the recycling centre is or when it is open',
        action: 'give the address, the opening hours and what residents need to bring',
        examples: [
          'when is the tip open?',
          'where is the recycling centre?',
          'what are the opening hours of the household waste site?',
          'can I take my van to the tip?',
        ],
      },
      {
        key: 'garden_waste',
        condition: 'the customer asks about garden waste collections, the green bin or its price',
        action: 'give the subscription price and how to sign up',
        examples: [
          'how much is the garden waste collection?',
          'how do I sign up for garden waste?',
          'can I get a green bin?',
        ],
      },
      {
        key: 'damaged_stolen_bin',
        condition: "the customer's bin is damaged, broken, lost or stolen, or they need a new bin",
        action: 'explain how to order a replacement or a repair and what it costs',
        examples: [
          'my bin has been stolen',
          'the lid of my wheelie bin is broken',
          'how do I get a new bin?',
          'the bin men damaged my bin',
        ],
      },
      {
        key: 'holiday_collections',
        condition:
          'the customer asks whether collections change on bank holidays, at Christmas or at New Year',
        action: 'explain that bank holidays are normal and how Christmas and New Year change',
        examples: [
          'are collections different over Christmas?',
          'do you collect on bank holidays?',
          'will my bin be emptied on Easter Monday?',
        ],
      },
      {
        key: 'fly_tipping',
        condition:
          'the customer wants to report fly-tipping: rubbish dumped in a street, an alley, a park or on a verge',
        action: 'point them to the online fly-tipping form and tell them not to touch it',
        examples: [
          'I want to report fly tipping',
          'someone has dumped a mattress in the alley',
          "there's a pile of rubbish dumped on the verge",
        ],
      },
      {
        key: 'assisted_collection',
        condition:
          'the customer cannot take their bins to the kerb because of age, disability or ill health',
        action: 'explain the free assisted collection and how to apply',
        examples: [
          "I can't wheel my bin to the kerb",
          "can the crew collect the bin from my garden? I'm disabled",
          'do you help elderly residents with their bins?',
        ],
      },
      {
        key: 'collection_day',
        condition:
          'the customer asks which day their bins are collected or when the next collection is',
        action: 'look up the collection day for their postcode and give the next collections',
        tools: ['collection_day'],
        examples: [
          'when is my bin day?',
          'which day are bins collected in RS2 5LT?',
          'when is my next recycling collection?',
        ],
      },
    ],
    journeys: [
      {
        key: 'report_missed',
        title: 'Report a missed collection',
        description:
          'Takes a report of a bin that was not emptied: the postcode and which bin, then logs it for the crew to come back, unless that bin was not due.',
        conditions: [
          'the customer says their bin was not emptied or their collection was missed',
          'the bin men did not take the rubbish, the recycling, the garden waste or the food waste',
        ],
        initialState: 'ask_postcode',
        states: [
          { key: 'ask_postcode', kind: 'chat', action: 'Say sorry and ask for their postcode' },
          {
            key: 'ask_bin',
            kind: 'chat',
            action: 'Ask which bin was missed: black, blue, green or the food caddy',
          },
          { key: 'log', kind: 'tool', tool: 'log_missed_collection' },
          { key: 'log_checked', kind: 'fork' },
          {
            key: 'logged',
            kind: 'chat',
            action:
              'Give the report reference and say a crew will come back within two working days',
          },
          {
            key: 'not_due',
            kind: 'chat',
            action: 'Say that bin was not due on the last collection and when it is next due',
          },
          {
            key: 'unknown_postcode',
            kind: 'chat',
            action: 'Say the postcode is not in the council area and ask them to check it',
          },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_postcode',
            to: 'ask_bin',
            condition: 'the customer gives their postcode',
          },
          {
            from: 'ask_bin',
            to: 'log',
            condition:
              'the customer says which bin was missed: the black bin, the blue bin, the green bin or the food caddy',
          },
          { from: 'log', to: 'log_checked' },
          {
            from: 'log_checked',
            to: 'logged',
            condition: 'the missed collection was logged',
            when: { path: 'log_missed_collection.status', equals: 'logged' },
          },
          {
            from: 'log_checked',
            to: 'not_due',
            condition: 'that bin was not due on the last collection, so it was not missed',
            when: { path: 'log_missed_collection.status', equals: 'not_due' },
          },
          {
            from: 'log_checked',
            to: 'unknown_postcode',
            condition: 'the postcode is not in the council area',
            when: { path: 'log_missed_collection.status', equals: 'unknown_postcode' },
          },
          {
            from: 'unknown_postcode',
            to: 'log',
            condition: 'the customer gives another postcode',
          },
          { from: 'logged', to: 'done' },
          { from: 'not_due', to: 'done' },
        ],
      },
      {
        key: 'book_bulky',
        title: 'Book a bulky waste collection',
        description:
          'Books the collection of a large item from the doorstep: what it is and which day, then the price, then the booking once the customer agrees.',
        conditions: [
          'the customer wants to book a bulky waste collection of large items',
          'the customer wants the council to take away furniture, a mattress, a fridge or a washing machine',
        ],
        initialState: 'ask_item',
        states: [
          {
            key: 'ask_item',
            kind: 'chat',
            action:
              'Ask what needs collecting: furniture, a mattress, a fridge or freezer, or an appliance, with the prices',
          },
          {
            key: 'ask_date',
            kind: 'chat',
            action: 'Ask which weekday they would like the collection',
          },
          { key: 'quote', kind: 'tool', tool: 'quote_bulky' },
          { key: 'quote_checked', kind: 'fork' },
          {
            key: 'confirm_booking',
            kind: 'chat',
            action: 'Give the day and the price, and ask whether to book it',
          },
          {
            key: 'date_unavailable',
            kind: 'chat',
            action:
              'Say the crews cannot come that day and why, give the next free day, and ask for another day',
          },
          { key: 'book', kind: 'tool', tool: 'book_bulky' },
          {
            key: 'booked',
            kind: 'chat',
            action: 'Confirm the booking with its reference, day and price, and say how to pay',
          },
          { key: 'not_booked', kind: 'chat', action: 'Say nothing was booked' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_item',
            to: 'ask_date',
            condition:
              'the customer says what needs collecting: furniture, a mattress, a fridge or freezer, or an appliance',
          },
          {
            from: 'ask_item',
            to: 'not_booked',
            condition: 'the customer decides not to book a collection',
          },
          {
            from: 'ask_date',
            to: 'quote',
            condition: 'the customer says which day: a date, a weekday, tomorrow',
          },
          {
            from: 'ask_date',
            to: 'not_booked',
            condition: 'the customer decides not to book a collection',
          },
          { from: 'quote', to: 'quote_checked' },
          {
            from: 'quote_checked',
            to: 'confirm_booking',
            condition: 'the crews can come that day',
            when: { path: 'quote_bulky.available', equals: true },
          },
          {
            from: 'quote_checked',
            to: 'date_unavailable',
            condition: 'the crews cannot come that day',
            when: { path: 'quote_bulky.available', equals: false },
          },
          {
            from: 'confirm_booking',
            to: 'book',
            condition: 'the customer agrees: yes, book it',
          },
          {
            from: 'confirm_booking',
            to: 'quote',
            condition: 'the customer wants another item or another day, and says which',
          },
          {
            from: 'confirm_booking',
            to: 'not_booked',
            condition: 'the customer does not want to book it after all',
          },
          {
            from: 'date_unavailable',
            to: 'quote',
            condition: 'the customer names another day',
          },
          {
            from: 'date_unavailable',
            to: 'not_booked',
            condition: 'the customer does not want a collection after all',
          },
          { from: 'book', to: 'booked' },
          { from: 'booked', to: 'done' },
          { from: 'not_booked', to: 'done' },
        ],
      },
    ],
    cannedResponses: Object.values(riversideTemplates).map((template) => ({ template })),
  });
}
