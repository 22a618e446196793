import { z } from 'zod';
import { type AgentDefinition, defineAgent } from '../../../src/definition/define-agent';
import { type ToolDefinition, tool } from '../../../src/tools/tool';

// Greenway Energy, a fictional UK household gas and electricity supplier: the help chat on its
// website. Written as the supplier's customer service manager would write it, by someone who
// never read the engine, for a blind evaluation of the no-LLM mode. The fake data is frozen
// around the suites' fixed clock, Monday 15 June 2026: the accounts' last meter readings are
// from May and early June, and a move can be backdated to Monday 18 May at the earliest and
// booked up to Tuesday 15 September at the latest. The tools only ever see ISO dates, account
// numbers, postcodes and readings, never a clock of their own.

/** The agent's name: what a sync finds it by. */
export const greenwayAgentName = 'Greenway Energy Help';

/**
 * What the assistant says when nothing it knows fits (the engine's `fallbackReply` option: a
 * definition has no field for it). Not a canned response, so no template competes with it.
 */
export const greenwayFallbackReply =
  "Sorry, I can't help with that here. I'm Greenway Energy's automated help assistant: I can help with your bill and our tariffs, paying and Direct Debits, your balance, smart meters, moving home, complaints, and support if you're struggling to pay, and I can take a meter reading or close your account when you move. To talk to someone, call us on 0330 088 4100, Monday to Friday 8am to 8pm and Saturday 9am to 1pm. If you smell gas, call 0800 111 999 straight away.";

/** Every canned response of the agent, by what it is for: suites name the one they expect. */
export const greenwayTemplates = {
  greeting:
    "Hello, and welcome to Greenway Energy! I can help with your bill and our tariffs, paying and Direct Debits, your balance, smart meters, moving home, complaints, and support if you're struggling to pay. I can also take a meter reading or close your account when you move. If you smell gas, call {{emergency.gas}} now. What can I do for you today?",
  goodbye: "You're welcome! Thanks for choosing Greenway Energy, and have a lovely day.",
  gasEmergency:
    "If you smell gas or think there's a gas leak, call the National Gas Emergency Service now on {{emergency.gas}}: it's free and open 24 hours a day. While you wait, open doors and windows, turn the gas off at the meter if you can, and don't use light switches, anything electrical or naked flames, or smoke. If you feel unwell, get out into the fresh air. Do the same if your carbon monoxide alarm goes off.",
  powerCut:
    "Sorry your power's off. Call {{emergency.power}}, free, day or night: it puts you through to your local electricity network operator, who looks after the cables and substations and fixes power cuts (Greenway doesn't run the network), and they can tell you when the power should be back. First check whether your neighbours have power too, and whether a trip switch in your fuse box has flipped. If you see fallen power lines or there's a danger to life, call 999.",
  billsExplained:
    "For each fuel your bill has two parts: a standing charge, a fixed amount per day for keeping your home connected, and a unit rate for every kWh you use. We bill you monthly from your meter readings; if we don't have a reading, we estimate it, marked with an E on your bill, so sending readings keeps your bill accurate. We have two tariffs: Greenway Flex, whose prices follow the Ofgem price cap and can change every three months, and Greenway Fix 12, which fixes your prices for 12 months, with an exit fee of {{tariffs.exitFee}} if you leave early. Tell me your postcode and I can give you our prices where you live.",
  askQuotePostcode:
    "I can give you our prices. What's the postcode of the home you'd like a quote for?",
  quote:
    'For {{tariff_quote.quote.postcode}} ({{tariff_quote.quote.region}}), our Greenway Flex prices for {{tariff_quote.quote.fuel}} are {{tariff_quote.quote.rates}}. For a typical home that comes to about {{tariff_quote.quote.monthly}} a month. Flex prices follow the Ofgem price cap and can change every three months. To switch to us, go to {{web.switch}}: it takes about 5 working days, and your supply is never interrupted.',
  quoteNotSupplied:
    "Sorry, we can't supply {{tariff_quote.notSupplied.postcode}}: Greenway Energy supplies homes in England, Scotland and Wales only, and {{tariff_quote.notSupplied.area}} isn't covered.",
  paymentOptions:
    "You can pay by monthly Direct Debit, on a date of your choice, or pay each bill by card at {{web.pay}}, by bank transfer (use your account number as the reference) or at any PayPoint with the barcode on your bill. To set up a Direct Debit, or change its amount or date, go to {{web.account}} or call us on {{contact.phone}}. We review Direct Debits every six months so they match what you use. If you're in credit, you can ask for a refund at {{web.account}} and we'll send it within 10 working days.",
  askAccountBalance:
    "I can check your balance. What's your account number? It's GW- followed by six digits, like GW-123456, at the top of your bills.",
  balanceFound:
    'Account {{find_account.found.accountNumber}}, for {{find_account.found.address}}: your balance is {{find_account.found.balance}}. {{find_account.found.payment}} You can see your bills and statements at {{web.account}}.',
  accountNotFound:
    "I can't find a Greenway account with the number {{find_account.notFound.accountNumber}}. Could you check it against your bill? It's GW- followed by six digits, like GW-123456.",
  smartMeters:
    "Smart meters are free with Greenway. They send your readings to us automatically, so your bills are never estimated and you won't need to read your meters, and they come with an in-home display showing what you're using in pounds and pence. Fitting both meters takes about 2 hours, and someone over 16 needs to be home; book at {{web.smart}}. If your in-home display goes blank, plug it in and switch it off and on again; if your smart meter stops sending readings, tell us at {{web.smart}} and send us readings yourself until it's fixed.",
  movingInfo:
    "Moving home? Tell us your moving date at least 2 days before you go. On the day, take electricity and gas readings (a photo of each meter is ideal) and send them to us; we'll send your final bill within 2 weeks and refund any credit. You can take Greenway with you to your new home anywhere in England, Scotland or Wales. If you're moving in somewhere new, tell the supplier there your moving-in readings. I can close your account for your move here in the chat: just ask.",
  complaintsInfo:
    "I'm sorry things have gone wrong. You can make a complaint by phone on {{contact.phone}}, by email to {{contact.complaintsEmail}}, or online at {{web.complaints}}. We'll acknowledge it within 1 working day and aim to put things right within 8 weeks. If we haven't resolved it by then, or you're unhappy with our final answer, you can take it to the Energy Ombudsman, free, at {{web.ombudsman}}.",
  supportInfo:
    "If you're struggling to pay, please talk to us as soon as you can: we won't judge. We can set up a payment plan you can afford, pause or lower your Direct Debit for a while, and check you get the Warm Home Discount, {{tariffs.warmHomeDiscount}} off your electricity bill each winter for people on certain benefits. In England and Wales it's paid automatically if you're eligible; in Scotland, apply to us from October at {{web.support}}. The Greenway Helping Hand Fund can also clear some energy debt. Call our support team free on {{contact.supportPhone}}, or get free independent advice from Citizens Advice on 0800 144 8848.",
  contactInfo:
    "You can call us on {{contact.phone}}, {{contact.hours}}; we're closed on Sundays and bank holidays, and lines are quietest mid-afternoon. You can also email {{contact.email}} (we reply within 2 working days) or message us in the Greenway app. For a gas emergency call {{emergency.gas}}, and for a power cut {{emergency.power}}, at any time.",
  // meter_reading journey
  askAccountReading:
    "I can take a meter reading for you. What's your Greenway account number? It's GW- followed by six digits, like GW-123456, and it's at the top of your bills.",
  askMeter:
    "Thanks, I've found account {{find_account.found.accountNumber}}, for {{find_account.found.address}}. Is the reading for your electricity meter or your gas meter?",
  askReading:
    "What does the meter show? Give me the numbers from left to right, leaving out any after a decimal point or shown in red. If you didn't read it today, tell me which day you did.",
  confirmReading: 'Thanks. Shall I submit that reading to your account now?',
  readingAccepted:
    "Thanks, that's in: your {{submit_meter_reading.accepted.meter}} reading of {{submit_meter_reading.accepted.reading}} for {{submit_meter_reading.accepted.readOnDay}}, reference {{submit_meter_reading.accepted.reference}}. That's {{submit_meter_reading.accepted.used}} units since your last reading on {{submit_meter_reading.accepted.previousDay}}, and your next bill will use it instead of an estimate.",
  readingTooLow:
    'That {{submit_meter_reading.tooLow.meter}} reading, {{submit_meter_reading.tooLow.reading}}, is lower than your last one, {{submit_meter_reading.tooLow.previous}} on {{submit_meter_reading.tooLow.previousDay}}, so it may have been misread. Could you check the meter again and send me the numbers, left to right, leaving out any in red?',
  readingNotSent:
    "No problem, I haven't submitted anything. You can send a reading here, in the Greenway app or at {{web.readings}} whenever you're ready.",
  // move_home journey
  askAccountMove:
    "I can close your account for your move. What's your Greenway account number? It's GW- followed by six digits, like GW-123456, and it's at the top of your bills.",
  moveAskDate:
    "Thanks, that's account {{find_account.found.accountNumber}}, for {{find_account.found.address}}. What date are you moving out?",
  moveAskPostcode:
    "And what's the postcode of your new home? We'll write to you there with your final bill, and about supplying your new home if you'd like to stay with us.",
  moveConfirm:
    "Thanks. Shall I close the account from your moving date? We'll stop billing you from that day, and you'll just need to send us your final meter readings.",
  moveScheduled:
    "All done: account {{close_account.scheduled.accountNumber}} will close on {{close_account.scheduled.moveOutDay}}, reference {{close_account.scheduled.reference}}. On that day, please send us your electricity and gas readings; we'll send your final bill within 2 weeks and refund any credit. {{close_account.scheduled.newHome}}",
  moveDateRefused:
    "I can't close the account from {{close_account.refused.moveOutDay}}: {{close_account.refused.reason}}. If I've got the date wrong, what date are you moving out?",
  moveCancelled:
    "No problem, I haven't closed anything, and your account stays as it is. Just let us know about your move when you're ready, at least 2 days before you go.",
} as const;

// ---------------------------------------------------------------------------------------------
// Fake supplier data
// ---------------------------------------------------------------------------------------------

const meters = ['electricity', 'gas'] as const;
type Meter = (typeof meters)[number];

const fuels = ['electricity', 'gas', 'dual'] as const;
type Fuel = (typeof fuels)[number];

interface Account {
  address: string;
  balance: string;
  payment: string;
  /** The last reading we hold for each meter, and the day it was taken. */
  lastReadings: Record<Meter, { value: number; on: string }>;
}

/**
 * The accounts, as of Monday 15 June 2026, all dual fuel. Any other account number is unknown.
 */
const accounts: Record<string, Account> = {
  'GW-104233': {
    address: '14 Elm Grove, Leeds LS6 2AB',
    balance: '£42.18 in credit',
    payment: 'You pay £96 a month by Direct Debit, on the 1st.',
    lastReadings: {
      electricity: { value: 23418, on: '2026-06-01' },
      gas: { value: 8761, on: '2026-06-01' },
    },
  },
  'GW-117590': {
    address: '27 Clive Road, Cardiff CF5 1HJ',
    balance: '£186.40 to pay, due by Friday 26 June',
    payment: 'You pay each monthly bill by card or bank transfer.',
    lastReadings: {
      electricity: { value: 51207, on: '2026-05-15' },
      gas: { value: 20314, on: '2026-05-15' },
    },
  },
  'GW-120045': {
    address: 'Flat 6, 22 Canal Street, Manchester M1 3HE',
    balance: '£12.50 in credit',
    payment: 'You pay £58 a month by Direct Debit, on the 15th.',
    lastReadings: {
      electricity: { value: 7730, on: '2026-06-02' },
      gas: { value: 1442, on: '2026-06-02' },
    },
  },
};

/** The earliest and latest move-out dates a move can be booked for (28 days back, 3 months on). */
const earliestMoveOut = '2026-05-18';
const latestMoveOut = '2026-09-15';

/** Greenway Flex prices by region: pence per kWh and pence per day, for each fuel. */
interface RegionalPrices {
  region: string;
  electricity: { unit: number; standing: number };
  gas: { unit: number; standing: number };
}

const regions: Array<{ areas: readonly string[]; prices: RegionalPrices }> = [
  {
    areas: ['E', 'EC', 'N', 'NW', 'SE', 'SW', 'W', 'WC'],
    prices: {
      region: 'London',
      electricity: { unit: 26.1, standing: 54.2 },
      gas: { unit: 6.4, standing: 31.7 },
    },
  },
  {
    areas: ['M', 'L', 'WA', 'WN', 'BL', 'OL', 'SK', 'PR', 'BB', 'CH', 'CW', 'FY', 'LA', 'CA'],
    prices: {
      region: 'the North West',
      electricity: { unit: 25.2, standing: 51.6 },
      gas: { unit: 6.25, standing: 31.2 },
    },
  },
  {
    areas: ['LS', 'BD', 'HX', 'HD', 'WF', 'S', 'YO', 'HU', 'DN', 'HG'],
    prices: {
      region: 'Yorkshire',
      electricity: { unit: 24.8, standing: 50.9 },
      gas: { unit: 6.2, standing: 31.0 },
    },
  },
  {
    areas: ['CF', 'SA', 'NP', 'LL', 'SY', 'LD'],
    prices: {
      region: 'Wales',
      electricity: { unit: 26.4, standing: 55.1 },
      gas: { unit: 6.35, standing: 31.5 },
    },
  },
  {
    areas: [
      'AB',
      'DD',
      'DG',
      'EH',
      'FK',
      'G',
      'HS',
      'IV',
      'KA',
      'KW',
      'KY',
      'ML',
      'PA',
      'PH',
      'TD',
      'ZE',
    ],
    prices: {
      region: 'Scotland',
      electricity: { unit: 25.6, standing: 52.3 },
      gas: { unit: 6.3, standing: 31.4 },
    },
  },
];

/** Everywhere else in England. */
const otherPrices: RegionalPrices = {
  region: 'England',
  electricity: { unit: 25.5, standing: 52.0 },
  gas: { unit: 6.3, standing: 31.3 },
};

/** Postcode areas outside Great Britain, which Greenway does not supply. */
const notSuppliedAreas: Record<string, string> = {
  BT: 'Northern Ireland',
  GY: 'Guernsey',
  JE: 'Jersey',
  IM: 'the Isle of Man',
};

/** A typical home's yearly use, in kWh (Ofgem's typical domestic consumption values). */
const typicalUse: Record<Meter, number> = { electricity: 2700, gas: 11500 };

const fuelNames: Record<Fuel, string> = {
  electricity: 'electricity only',
  gas: 'gas only',
  dual: 'gas and electricity',
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

const parseIso = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** "Monday 1 June". */
function spoken(iso: string): string {
  const date = parseIso(iso);
  return `${weekdayNames[date.getUTCDay()]} ${date.getUTCDate()} ${monthNames[date.getUTCMonth()]}`;
}

/** "6.40p": pence with two decimals. */
const pence = (value: number) => `${value.toFixed(2)}p`;

/** The postcode area: its leading letters (`SW` of `SW9 8EF`, `M` of `M1 3HE`). */
function areaOf(postcode: string): string {
  return /^[A-Z]+/.exec(postcode.toUpperCase())?.[0] ?? '';
}

function pricesFor(postcode: string): RegionalPrices {
  const area = areaOf(postcode);
  return regions.find((candidate) => candidate.areas.includes(area))?.prices ?? otherPrices;
}

function ratesText(prices: RegionalPrices, fuel: Fuel): string {
  const one = (meter: Meter) =>
    `${meter} ${pence(prices[meter].unit)} per kWh with a standing charge of ${pence(prices[meter].standing)} a day`;
  if (fuel === 'dual') return `${one('electricity')}, and ${one('gas')}`;
  return one(fuel);
}

/** A typical home's monthly cost on the fuels chosen, rounded to the pound. */
function monthlyCost(prices: RegionalPrices, fuel: Fuel): string {
  const chosen: Meter[] = fuel === 'dual' ? ['electricity', 'gas'] : [fuel];
  const yearlyPence = chosen.reduce(
    (sum, meter) => sum + typicalUse[meter] * prices[meter].unit + 365 * prices[meter].standing,
    0,
  );
  return `£${Math.round(yearlyPence / 100 / 12)}`;
}

const digitsOf = (accountNumber: string) => accountNumber.slice(3);

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

const accountNumber = z
  .string()
  .regex(/^GW-\d{6}$/)
  .describe('The Greenway account number: GW- and six digits, like GW-123456');

const postcode = z
  .string()
  .regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/)
  .describe('A UK postcode, in capitals, like LS6 2AB');

const meter = z.enum(meters).meta({
  description: 'Which meter the reading is from: electricity or gas',
  extract: {
    synonyms: {
      electricity: ['electric', 'electricity meter', 'electric meter', 'power'],
      gas: ['gas meter', 'gas'],
    },
  },
});

const reading = z
  .number()
  .int()
  .min(0)
  .max(99999)
  .describe('The numbers on the meter, read left to right, without any after a decimal point');

const readOn = z.iso
  .date()
  .optional()
  .describe('The day the meter was read; leave it out when it was read today');

const fuel = z
  .enum(fuels)
  .default('dual')
  .meta({
    description: 'The fuels the quote is for: electricity only, gas only, or both (dual fuel)',
    extract: {
      synonyms: {
        electricity: ['electric', 'electricity only', 'electric only', 'just electricity'],
        gas: ['gas only', 'just gas', 'gas'],
        dual: [
          'dual fuel',
          'both',
          'gas and electricity',
          'gas and electric',
          'electricity and gas',
          'electric and gas',
        ],
      },
    },
  });

const moveOutDate = z.iso.date().describe('The day the customer moves out of the property');

const newPostcode = z
  .string()
  .regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/)
  .describe("The postcode of the customer's new home, in capitals, like SK4 3QB");

/**
 * The supplier's fake systems: `find_account`, `tariff_quote`, `submit_meter_reading` and
 * `close_account`, each result one shape per outcome (`{ status: 'found', found }` / `{ status:
 * 'not_found', notFound }`; `{ supplied: true, quote }` / `{ supplied: false, notSupplied }`;
 * `{ status: 'accepted', accepted }` / `{ status: 'too_low', tooLow }`; `{ status: 'scheduled',
 * scheduled }` / `{ status: 'refused', refused }`). Deterministic: readings and closures are
 * answered, not stored, so every scenario starts from the same data. `submit_meter_reading` and
 * `close_account` also answer an unknown account (`{ status: 'unknown_account' }`), which cannot
 * happen after the journeys' account check, so it has no template.
 */
export function createGreenwayTools(): ToolDefinition[] {
  const findAccount = tool({
    name: 'find_account',
    description:
      "Looks up a Greenway account by its number: the supply address, the balance and how it's paid.",
    parameters: z.object({ accountNumber }),
    handler: ({ accountNumber }) => {
      const account = accounts[accountNumber];
      if (!account) return { status: 'not_found' as const, notFound: { accountNumber } };
      return {
        status: 'found' as const,
        found: {
          accountNumber,
          address: account.address,
          balance: account.balance,
          payment: account.payment,
        },
      };
    },
  });

  const tariffQuote = tool({
    name: 'tariff_quote',
    description:
      "Quotes Greenway Flex prices at a postcode for electricity, gas or both, with a typical home's monthly cost, or says the postcode is outside the area Greenway supplies.",
    parameters: z.object({ postcode, fuel }),
    handler: ({ postcode, fuel }) => {
      const outside = notSuppliedAreas[areaOf(postcode)];
      if (outside) return { supplied: false, notSupplied: { postcode, area: outside } };
      const prices = pricesFor(postcode);
      return {
        supplied: true,
        quote: {
          postcode,
          region: prices.region,
          fuel: fuelNames[fuel],
          rates: ratesText(prices, fuel),
          monthly: monthlyCost(prices, fuel),
        },
      };
    },
  });

  const submitMeterReading = tool({
    name: 'submit_meter_reading',
    description:
      'Submits an electricity or gas meter reading to an account, or says it is lower than the last reading held.',
    parameters: z.object({ accountNumber, meter, reading, readOn }),
    handler: ({ accountNumber, meter, reading, readOn }) => {
      const account = accounts[accountNumber];
      if (!account)
        return { status: 'unknown_account' as const, unknownAccount: { accountNumber } };
      const last = account.lastReadings[meter];
      if (reading < last.value) {
        return {
          status: 'too_low' as const,
          tooLow: {
            accountNumber,
            meter,
            reading,
            previous: last.value,
            previousDay: spoken(last.on),
          },
        };
      }
      return {
        status: 'accepted' as const,
        accepted: {
          accountNumber,
          meter,
          reading,
          readOnDay: readOn === undefined ? 'today' : spoken(readOn),
          reference: `MR-${digitsOf(accountNumber)}${meter === 'gas' ? 'G' : 'E'}${reading}`,
          used: reading - last.value,
          previousDay: spoken(last.on),
        },
      };
    },
  });

  const closeAccount = tool({
    name: 'close_account',
    description:
      "Closes an account from the customer's move-out date, and notes their new home's postcode for the final bill.",
    parameters: z.object({ accountNumber, moveOutDate, newPostcode }),
    handler: ({ accountNumber, moveOutDate, newPostcode }) => {
      if (!accounts[accountNumber]) {
        return { status: 'unknown_account' as const, unknownAccount: { accountNumber } };
      }
      if (moveOutDate < earliestMoveOut) {
        return {
          status: 'refused' as const,
          refused: {
            accountNumber,
            moveOutDay: spoken(moveOutDate),
            reason:
              "that's more than four weeks ago, so please call us on 0330 088 4100 with your meter readings from that day and proof of your moving date",
          },
        };
      }
      if (moveOutDate > latestMoveOut) {
        return {
          status: 'refused' as const,
          refused: {
            accountNumber,
            moveOutDay: spoken(moveOutDate),
            reason:
              "that's more than three months away, so please tell us nearer the time, at least 2 days before you go",
          },
        };
      }
      const outside = notSuppliedAreas[areaOf(newPostcode)];
      return {
        status: 'scheduled' as const,
        scheduled: {
          accountNumber,
          moveOutDay: spoken(moveOutDate),
          reference: `MV-${digitsOf(accountNumber).slice(-4)}${moveOutDate.slice(5, 7)}${moveOutDate.slice(8, 10)}`,
          newHome: outside
            ? `We can't supply homes in ${outside}, so you'll need to choose a supplier for your new home there.`
            : `We'll write to you at ${newPostcode} about supplying your new home, so you can take Greenway with you.`,
        },
      };
    },
  });

  return [findAccount, tariffQuote, submitMeterReading, closeAccount];
}

// ---------------------------------------------------------------------------------------------
// The agent
// ---------------------------------------------------------------------------------------------

/**
 * The Greenway Energy help assistant: greetings, gas and power emergencies, bills and tariffs
 * (with quotes), payments and balances, smart meters, moving home, complaints, help for
 * customers struggling to pay, how to contact the phone line, and two journeys (submit a meter
 * reading, close an account for a move). Replies come from its canned responses only
 * (`canned_strict`).
 */
export function createGreenwayEnergy(): AgentDefinition {
  return defineAgent({
    name: greenwayAgentName,
    description:
      'The help chat of Greenway Energy, a household gas and electricity supplier in Great Britain: emergencies, bills and tariffs, payments and balances, smart meters, meter readings, moving home, complaints, and support for customers struggling to pay.',
    compositionMode: 'canned_strict',
    tools: createGreenwayTools(),
    variables: [
      {
        name: 'contact',
        description: "Greenway's phone lines and email addresses",
        defaultValue: {
          phone: '0330 088 4100',
          hours: 'Monday to Friday 8am to 8pm and Saturday 9am to 1pm',
          email: 'help@greenwayenergy.co.uk',
          complaintsEmail: 'complaints@greenwayenergy.co.uk',
          supportPhone: '0800 048 7710',
        },
      },
      {
        name: 'emergency',
        description: 'Emergency numbers for gas leaks and power cuts',
        defaultValue: { gas: '0800 111 999', power: '105' },
      },
      {
        name: 'web',
        description: 'Pages of the Greenway website',
        defaultValue: {
          account: 'greenwayenergy.co.uk/account',
          pay: 'greenwayenergy.co.uk/pay',
          readings: 'greenwayenergy.co.uk/readings',
          smart: 'greenwayenergy.co.uk/smart',
          switch: 'greenwayenergy.co.uk/switch',
          complaints: 'greenwayenergy.co.uk/complaints',
          support: 'greenwayenergy.co.uk/support',
          ombudsman: 'ombudsman-services.org/energy',
        },
      },
      {
        name: 'tariffs',
        description: 'Tariff terms and the Warm Home Discount',
        defaultValue: { exitFee: '£50 per fuel', warmHomeDiscount: '£150' },
      },
    ],
    terms: [
      {
        name: 'account number',
        description: 'The Greenway account number: GW- and six digits, like GW-123456.',
        synonyms: ['customer number', 'customer reference', 'account ref', 'account no'],
      },
      {
        name: 'meter reading',
        description: 'The numbers shown on an electricity or gas meter.',
        synonyms: ['reading', 'meter read', 'readings', 'numbers on the meter'],
      },
      {
        name: 'Direct Debit',
        description: "A regular payment taken from the customer's bank account.",
        synonyms: ['DD', 'direct debit', 'monthly payment'],
      },
      {
        name: 'standing charge',
        description: 'The fixed daily charge for each fuel, for keeping a home connected.',
        synonyms: ['daily charge', 'standing charges'],
      },
      {
        name: 'dual fuel',
        description: 'Gas and electricity supplied together.',
        synonyms: ['gas and electric', 'both fuels'],
      },
      {
        name: 'Warm Home Discount',
        description: 'A yearly winter credit on electricity bills for people on certain benefits.',
        synonyms: ['WHD', 'warm home scheme'],
      },
    ],
    guidelines: [
      {
        key: 'greeting',
        condition: 'the customer says hello or greets the assistant',
        action: 'greet them and say what you can help with',
        examples: ['hello', 'hi there', 'good afternoon'],
      },
      {
        key: 'thanks_goodbye',
        condition: 'the customer says thank you or goodbye',
        action: 'say they are welcome and wish them a good day',
        examples: ['thank you', 'bye', "that's everything, thanks"],
      },
      {
        key: 'emergency',
        condition:
          'the customer smells gas or thinks there is a gas leak, or has a power cut or no electricity',
        action:
          'for gas, tell them to call the National Gas Emergency Service on 0800 111 999 now and what to do meanwhile; for a power cut, tell them to call 105',
        criticality: 'high',
        examples: [
          'I think I can smell gas',
          'there is a gas leak in my street',
          'we have a power cut',
          'my electricity has gone off',
          'my carbon monoxide alarm is beeping',
        ],
      },
      {
        key: 'bills_tariffs',
        condition:
          'the customer asks how their bill is worked out, about our tariffs and prices, or wants a price quote for their home',
        action:
          'explain standing charges, unit rates, estimated bills and our two tariffs, or quote our prices for their postcode',
        tools: ['tariff_quote'],
        examples: [
          'why is my bill so high?',
          'what is a unit rate?',
          'how much do you charge for electricity?',
          'can I get a quote for gas and electricity?',
          'do you have a fixed tariff?',
        ],
      },
      {
        key: 'payments',
        condition:
          'the customer asks how to pay, about Direct Debits, refunds of credit, or how much is on their account',
        action:
          'explain the ways to pay and how to change a Direct Debit, or look up their balance when they ask what they owe',
        tools: ['find_account'],
        examples: [
          'how can I pay my bill?',
          'I want to set up a direct debit',
          'what is my balance?',
          'can I get my credit refunded?',
        ],
      },
      {
        key: 'smart_meters',
        condition: 'the customer asks about smart meters or their in-home display',
        action: 'explain that smart meters are free, how installation works, and common problems',
        examples: [
          'can I get a smart meter?',
          'how do I book a smart meter installation?',
          'my smart meter is not sending readings',
        ],
      },
      {
        key: 'moving_home',
        condition:
          'the customer asks what to do about their gas and electricity when moving home, or whether they can take Greenway with them',
        action: 'explain what to do before and on moving day, and that they can take us with them',
        examples: [
          'I am moving house soon, what do I need to do?',
          'can I keep Greenway at my new address?',
          'what readings do I need when I move?',
        ],
      },
      {
        key: 'complaints',
        condition: 'the customer wants to complain or is unhappy with our service',
        action: 'apologise and explain how to complain and about the Energy Ombudsman',
        examples: [
          'I want to make a complaint',
          'your service has been terrible',
          'how do I escalate my complaint?',
        ],
      },
      {
        key: 'struggling_to_pay',
        condition:
          'the customer is struggling to pay their energy bills or asks about the Warm Home Discount or other financial help',
        action: 'offer payment plans and support, and explain the Warm Home Discount',
        examples: [
          "I can't afford my bills",
          'how do I get the warm home discount?',
          'can I pay off my debt in smaller amounts?',
          'is there any help with energy costs?',
        ],
      },
      {
        key: 'contact_hours',
        condition:
          'the customer asks how to contact Greenway, wants to speak to a person, or asks when the phone lines are open',
        action: 'give the phone number, opening hours and other ways to get in touch',
        examples: [
          'what is your phone number?',
          'when are your lines open?',
          'I want to speak to an advisor',
          'how can I contact you?',
        ],
      },
    ],
    journeys: [
      {
        key: 'meter_reading',
        title: 'Submit a meter reading',
        description:
          'Takes an electricity or gas meter reading: the account number and its check, which meter, the reading and the day it was taken, then the submission once the customer agrees.',
        conditions: [
          'the customer wants to give or submit a meter reading',
          'the customer wants to tell us what their electricity or gas meter says',
        ],
        initialState: 'ask_account',
        states: [
          { key: 'ask_account', kind: 'chat', action: 'Ask for their Greenway account number' },
          { key: 'check', kind: 'tool', tool: 'find_account' },
          { key: 'check_checked', kind: 'fork' },
          {
            key: 'ask_meter',
            kind: 'chat',
            action:
              'Confirm the account found and ask whether the reading is for electricity or gas',
          },
          {
            key: 'account_not_found',
            kind: 'chat',
            action: 'Say no account has that number and ask them to check it',
          },
          {
            key: 'ask_reading',
            kind: 'chat',
            action: 'Ask what the meter shows, and which day it was read if not today',
          },
          {
            key: 'confirm_reading',
            kind: 'chat',
            action: 'Ask whether to submit the reading now',
          },
          { key: 'submit', kind: 'tool', tool: 'submit_meter_reading' },
          { key: 'submit_checked', kind: 'fork' },
          {
            key: 'reading_accepted',
            kind: 'chat',
            action: 'Confirm the reading was submitted, with its reference',
          },
          {
            key: 'reading_too_low',
            kind: 'chat',
            action:
              'Say the reading is lower than the last one we hold and ask them to check the meter again',
          },
          { key: 'not_submitted', kind: 'chat', action: 'Say nothing was submitted' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_account',
            to: 'check',
            condition: 'the customer gives their account number',
          },
          {
            from: 'ask_account',
            to: 'not_submitted',
            condition: 'the customer decides not to give a reading after all',
          },
          { from: 'check', to: 'check_checked' },
          {
            from: 'check_checked',
            to: 'ask_meter',
            condition: 'the account was found',
            when: { path: 'find_account.status', equals: 'found' },
          },
          {
            from: 'check_checked',
            to: 'account_not_found',
            condition: 'no account has that number',
            when: { path: 'find_account.status', equals: 'not_found' },
          },
          {
            from: 'account_not_found',
            to: 'check',
            condition: 'the customer gives another account number',
          },
          {
            from: 'account_not_found',
            to: 'not_submitted',
            condition: 'the customer gives up or will send the reading another time',
          },
          {
            from: 'ask_meter',
            to: 'ask_reading',
            condition: 'the customer says which meter: electricity or gas',
          },
          {
            from: 'ask_meter',
            to: 'not_submitted',
            condition: 'the customer decides not to give a reading after all',
          },
          {
            from: 'ask_reading',
            to: 'confirm_reading',
            condition: 'the customer gives the reading',
          },
          {
            from: 'ask_reading',
            to: 'not_submitted',
            condition: 'the customer decides not to give a reading after all',
          },
          {
            from: 'confirm_reading',
            to: 'submit',
            condition: 'the customer agrees to submit the reading',
          },
          {
            from: 'confirm_reading',
            to: 'not_submitted',
            condition: 'the customer does not want to submit it now',
          },
          { from: 'submit', to: 'submit_checked' },
          {
            from: 'submit_checked',
            to: 'reading_accepted',
            condition: 'the reading was accepted',
            when: { path: 'submit_meter_reading.status', equals: 'accepted' },
          },
          {
            from: 'submit_checked',
            to: 'reading_too_low',
            condition: 'the reading is lower than the last one held',
            when: { path: 'submit_meter_reading.status', equals: 'too_low' },
          },
          {
            from: 'reading_too_low',
            to: 'submit',
            condition: 'the customer gives a corrected reading',
          },
          {
            from: 'reading_too_low',
            to: 'not_submitted',
            condition: 'the customer does not want to go on',
          },
          { from: 'reading_accepted', to: 'done' },
          { from: 'not_submitted', to: 'done' },
        ],
      },
      {
        key: 'move_home',
        title: 'Close an account for a move',
        description:
          "Closes an account when the customer moves out: the account number and its check, the moving date and the new home's postcode, then the closure once the customer agrees.",
        conditions: [
          'the customer wants to tell us they are moving out and close their account',
          'the customer wants their energy account closed because they are leaving the property',
        ],
        initialState: 'ask_account',
        states: [
          { key: 'ask_account', kind: 'chat', action: 'Ask for their Greenway account number' },
          { key: 'check', kind: 'tool', tool: 'find_account' },
          { key: 'check_checked', kind: 'fork' },
          {
            key: 'ask_date',
            kind: 'chat',
            action: 'Confirm the account found and ask for the moving-out date',
          },
          {
            key: 'account_not_found',
            kind: 'chat',
            action: 'Say no account has that number and ask them to check it',
          },
          { key: 'ask_postcode', kind: 'chat', action: "Ask for the new home's postcode" },
          {
            key: 'confirm_move',
            kind: 'chat',
            action: 'Ask whether to close the account from the moving date',
          },
          { key: 'close', kind: 'tool', tool: 'close_account' },
          { key: 'close_checked', kind: 'fork' },
          {
            key: 'move_scheduled',
            kind: 'chat',
            action: 'Confirm the closure with its date and reference, and what happens next',
          },
          {
            key: 'move_date_refused',
            kind: 'chat',
            action: 'Say the account cannot be closed from that date and why, and ask for the date',
          },
          { key: 'not_closed', kind: 'chat', action: 'Say the account was not closed' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_account',
            to: 'check',
            condition: 'the customer gives their account number',
          },
          {
            from: 'ask_account',
            to: 'not_closed',
            condition: 'the customer decides not to close the account',
          },
          { from: 'check', to: 'check_checked' },
          {
            from: 'check_checked',
            to: 'ask_date',
            condition: 'the account was found',
            when: { path: 'find_account.status', equals: 'found' },
          },
          {
            from: 'check_checked',
            to: 'account_not_found',
            condition: 'no account has that number',
            when: { path: 'find_account.status', equals: 'not_found' },
          },
          {
            from: 'account_not_found',
            to: 'check',
            condition: 'the customer gives another account number',
          },
          {
            from: 'account_not_found',
            to: 'not_closed',
            condition: 'the customer gives up',
          },
          {
            from: 'ask_date',
            to: 'ask_postcode',
            condition: 'the customer gives the date they move out',
          },
          {
            from: 'ask_date',
            to: 'not_closed',
            condition: 'the customer decides not to close the account',
          },
          {
            from: 'ask_postcode',
            to: 'confirm_move',
            condition: "the customer gives their new home's postcode",
          },
          {
            from: 'ask_postcode',
            to: 'not_closed',
            condition: 'the customer decides not to close the account',
          },
          {
            from: 'confirm_move',
            to: 'close',
            condition: 'the customer agrees to close the account',
          },
          {
            from: 'confirm_move',
            to: 'not_closed',
            condition: 'the customer does not want to close it now',
          },
          { from: 'close', to: 'close_checked' },
          {
            from: 'close_checked',
            to: 'move_scheduled',
            condition: 'the closure was booked',
            when: { path: 'close_account.status', equals: 'scheduled' },
          },
          {
            from: 'close_checked',
            to: 'move_date_refused',
            condition: 'the moving date is too far in the past or the future',
            when: { path: 'close_account.status', equals: 'refused' },
          },
          {
            from: 'move_date_refused',
            to: 'close',
            condition: 'the customer gives another moving date',
          },
          {
            from: 'move_date_refused',
            to: 'not_closed',
            condition: 'the customer does not want to go on',
          },
          { from: 'move_scheduled', to: 'done' },
          { from: 'not_closed', to: 'done' },
        ],
      },
    ],
    cannedResponses: Object.values(greenwayTemplates).map((template) => ({ template })),
  });
}
