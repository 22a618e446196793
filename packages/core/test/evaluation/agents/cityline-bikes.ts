import { z } from 'zod';
import { type AgentDefinition, defineAgent } from '../../../src/definition/define-agent';
import { type ToolDefinition, tool } from '../../../src/tools/tool';

// Cityline Bikes, a fictional bike-share scheme in central Nottingham: the help chat in its
// app and on its website. Written as the scheme's customer-care manager would write it, by
// someone who never read the engine, for an evaluation of the no-LLM mode on an agent the
// engine's constants were not tuned on. The fake data is dated around the suites' fixed
// clock, Monday 15 June 2026; the tools only ever see ISO dates, never a clock of their own.

/** The agent's name: what a sync finds it by. */
export const citylineAgentName = 'Cityline Bikes Help';

/**
 * What the assistant says when nothing it knows fits (the engine's `fallbackReply` option: a
 * definition has no field for it). Not a canned response, so no template competes with it.
 */
export const citylineFallbackReply =
  "Sorry, that's not something I can help with here. I can tell you about prices and passes, unlocking a bike, finding a dock, your rides, refunds, your account and the app, sell you a pass, and take a report of a damaged or stolen bike.";

/** Every canned response of the agent, by what it is for: suites name the one they expect. */
export const citylineTemplates = {
  greeting:
    "Hi there, this is Cityline Bikes! Ask me about prices and passes, unlocking a bike, finding a dock, a ride you've taken, refunds, your account or the app. I can also sell you a pass and take a report of a damaged bike. What can I do for you?",
  goodbye: 'Any time! Thanks for riding with Cityline Bikes, and have a safe trip.',
  prices:
    'Paying as you ride costs {{prices.unlock}} to unlock, then {{prices.perMinute}} a minute. Or take a pass: a day pass is {{passes.day}}, a week pass {{passes.weekly}}, a month pass {{passes.monthly}} and an annual pass {{passes.annual}}. With a pass, every ride of up to {{prices.includedMinutes}} minutes is included; past that, each extra minute is {{prices.perMinute}}.',
  unlock:
    "To take a bike, open the Cityline app, tap Scan and point the camera at the QR code on the handlebars: the dock lets go of the bike within a few seconds and its light turns green. No phone with you? Key your 6-digit PIN (it's in the app and on your member card) and the bike's number into the keypad on the dock. To finish, push the bike firmly into any free dock until it beeps: the ride ends there.",
  askPostcode: "Which postcode are you near? For example NG1 5FS, and I'll find the closest dock.",
  dockFound:
    'The closest dock to {{find_docks.dock.postcode}} is {{find_docks.dock.name}}, {{find_docks.dock.where}}, about {{find_docks.dock.walk}} on foot. Right now it has {{find_docks.dock.bikes}} bikes and {{find_docks.dock.spaces}} free spaces. The map in the app shows every dock live.',
  noDockNearby:
    "There's no Cityline dock near {{find_docks.none.postcode}}, sorry: our docks are in central Nottingham, in the NG1, NG2 and NG7 postcodes. The map in the app shows every one of them.",
  askRideId:
    "Which ride is it? Please give me its ride ID: CB and six digits, like CB-123456. You'll find it on the receipt email and in the app under Rides.",
  rideFound:
    'Ride {{lookup_ride.ride.id}} was on {{lookup_ride.ride.day}}: from {{lookup_ride.ride.from}} at {{lookup_ride.ride.start}} to {{lookup_ride.ride.to}}, {{lookup_ride.ride.minutes}} minutes in all. You were charged {{lookup_ride.ride.charge}}.',
  rideNotFound:
    "I can't find a ride with the ID {{lookup_ride.notFound.rideId}}. Could you check it on the receipt email or under Rides in the app? Ride IDs look like CB-123456.",
  refunds:
    "If a ride went wrong (a faulty bike, or a dock that wouldn't take the bike back), we refund it in full: email {{support.email}} with the ride ID within {{refunds.rideWindow}}. A pass you haven't used yet can be refunded within {{refunds.passWindow}} of buying it. The money goes back to your card within {{refunds.payoutTime}}.",
  account:
    'You can manage your account in the app, under Profile: change your email address or phone number, replace your payment card, and switch off the automatic renewal of a pass. To close your account for good, email {{support.email}} from the address you signed up with and we will do it within two working days.',
  appProblems:
    "Sorry the app is giving you trouble. First update it to the latest version, close it completely and open it again. If it still won't work, sign out and back in, and check that location access is on for Cityline. Still stuck? Call us on {{support.phone}}, {{support.hours}}; meanwhile you can take a bike with your PIN on the dock's keypad.",
  stolenBike:
    "Sorry to hear that. Please call us right away on {{support.phone}} and report the theft to the police on 101, who will give you a crime reference number. Once you've reported it to us, the ride stops and you pay nothing for the bike; a bike that goes missing and isn't reported within {{theft.reportHours}} hours may be charged at {{theft.fee}}.",
  // report_damage journey
  askBikeNumber:
    'Thanks for telling us. Which bike is it? Its number is the five digits on the sticker under the saddle, like 10482.',
  askFault:
    "Got it. What's wrong with it: the brakes, a tyre or wheel, the chain, the lights, the saddle, or the battery?",
  damageLogged:
    "Thank you: I've logged report {{log_damage.report.number}} for bike {{log_damage.report.bike}} ({{log_damage.report.fault}}). The bike is now locked out of service, and our mechanics will pick it up within 24 hours.",
  bikeNotFound:
    "Hmm, I can't find bike {{log_damage.unknownBike.bikeNumber}} in our fleet. Could you check the five digits on the sticker under the saddle again?",
  // buy_pass journey
  askPassType:
    'Happy to set you up with a pass. Which one would you like: a day pass ({{passes.day}}), a week pass ({{passes.weekly}}), a month pass ({{passes.monthly}}) or an annual pass ({{passes.annual}})?',
  askStartDate: 'And from which day should the pass start?',
  passQuote:
    'The {{quote_pass.quote.pass}} you asked for would cover {{quote_pass.quote.covers}} and costs {{quote_pass.quote.price}}. Shall I buy it with the card saved on your account?',
  startUnavailable:
    'Sorry, no pass can start on {{quote_pass.unavailable.day}}: {{quote_pass.unavailable.reason}}. The first day one can start is {{quote_pass.nextStart.day}}. Which day would you like it to start instead?',
  passBought:
    "All done: your {{buy_pass.pass.pass}} covers {{buy_pass.pass.covers}}, reference {{buy_pass.pass.reference}}, and {{buy_pass.pass.price}} has been taken from your card. You'll find it in the app under Passes.",
  passNotBought:
    "No problem, I haven't bought anything. You can get a pass here or in the app whenever you're ready.",
} as const;

// ---------------------------------------------------------------------------------------------
// Fake scheme data
// ---------------------------------------------------------------------------------------------

const passTypes = ['day', 'weekly', 'monthly', 'annual'] as const;
type PassType = (typeof passTypes)[number];

/** Each pass: its name, price and how many days it covers from its first day. */
const passCatalogue: Record<PassType, { name: string; price: string; days: number }> = {
  day: { name: 'day pass', price: '£6', days: 1 },
  weekly: { name: 'week pass', price: '£15', days: 7 },
  monthly: { name: 'month pass', price: '£25', days: 30 },
  annual: { name: 'annual pass', price: '£120', days: 365 },
};

/** Days on which no pass can start, and why. */
const noStartDays: Record<string, string> = {
  '2026-06-21':
    'every city-centre dock is closed that day for the Riverside Festival, so passes are not sold for it',
};

const faults = ['brakes', 'tyre', 'chain', 'lights', 'saddle', 'battery'] as const;
type Fault = (typeof faults)[number];

const faultWords: Record<Fault, string> = {
  brakes: 'brakes',
  tyre: 'tyre or wheel',
  chain: 'chain',
  lights: 'lights',
  saddle: 'saddle',
  battery: 'battery or motor',
};

/** The fleet: every bike is numbered from 10001 to 13500. */
const fleet = { first: 10001, last: 13500 };

/** Docks, by the outward code of the postcodes they serve. */
const docks: Record<
  string,
  { name: string; where: string; walk: string; bikes: number; spaces: number }
> = {
  NG1: {
    name: 'Old Market Square',
    where: 'in front of the Council House on South Parade',
    walk: '3 minutes',
    bikes: 9,
    spaces: 11,
  },
  NG2: {
    name: 'Trent Bridge',
    where: 'by the river steps next to the bridge',
    walk: '6 minutes',
    bikes: 4,
    spaces: 16,
  },
  NG7: {
    name: 'University Park',
    where: 'at the East Drive entrance, opposite the lake',
    walk: '5 minutes',
    bikes: 12,
    spaces: 8,
  },
};

/** Rides taken, by ride ID. */
const rides: Record<
  string,
  { date: string; start: string; from: string; to: string; minutes: number; charge: string }
> = {
  'CB-204518': {
    date: '2026-06-13',
    start: '17:05',
    from: 'Old Market Square',
    to: 'Trent Bridge',
    minutes: 14,
    charge: '£2.40',
  },
  'CB-204733': {
    date: '2026-06-14',
    start: '10:20',
    from: 'Trent Bridge',
    to: 'University Park',
    minutes: 32,
    charge: 'nothing: the ride was covered by your day pass',
  },
  'CB-205190': {
    date: '2026-06-14',
    start: '14:45',
    from: 'Canal Street',
    to: 'Old Market Square',
    minutes: 187,
    charge: '£19.70',
  },
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

/** "Tuesday 16 June", or "Tuesday 15 June 2027" when the year differs from `yearOf`'s. */
function spoken(iso: string, yearOf = iso): string {
  const date = parseIso(iso);
  const words = `${weekdayNames[date.getUTCDay()]} ${date.getUTCDate()} ${monthNames[date.getUTCMonth()]}`;
  return iso.slice(0, 4) === yearOf.slice(0, 4) ? words : `${words} ${iso.slice(0, 4)}`;
}

/** What a pass starting on a day covers and costs, or why it cannot start that day. */
function quotePass(passType: PassType, startDate: string) {
  const reason = noStartDays[startDate];
  if (reason !== undefined) {
    let next = addDays(startDate, 1);
    while (noStartDays[next] !== undefined) next = addDays(next, 1);
    return {
      available: false as const,
      unavailable: { date: startDate, day: spoken(startDate), reason },
      nextStart: { date: next, day: spoken(next) },
    };
  }
  const pass = passCatalogue[passType];
  const endDate = addDays(startDate, pass.days - 1);
  return {
    available: true as const,
    quote: {
      passType,
      pass: pass.name,
      startDate,
      endDate,
      covers:
        pass.days === 1
          ? spoken(startDate)
          : `${spoken(startDate)} to ${spoken(endDate, startDate)}`,
      price: pass.price,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

const rideId = z
  .string()
  .regex(/^CB-\d{6}$/)
  .describe('The ride ID from the receipt email or the Rides tab, like CB-123456');

const postcode = z
  .string()
  .regex(/^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/)
  .describe('The postcode the customer is near, in capitals, like NG1 5FS');

const bikeNumber = z
  .string()
  .regex(/^\d{5}$/)
  .describe('The bike number: the five digits on the sticker under the saddle, like 10482');

const fault = z.enum(faults).meta({
  description: 'What is wrong with the bike',
  extract: {
    synonyms: {
      brakes: ['brake', 'brakes', 'stopping', "won't stop"],
      tyre: ['tyre', 'tire', 'flat', 'puncture', 'wheel'],
      chain: ['chain', 'gears', 'pedal', 'pedals'],
      lights: ['light', 'lights', 'lamp'],
      saddle: ['saddle', 'seat', 'seat post'],
      battery: ['battery', 'motor', 'electric assist', 'power'],
    },
  },
});

const passType = z.enum(passTypes).meta({
  description: 'Which pass',
  extract: {
    synonyms: {
      day: ['day pass', 'day', '24 hour', '24-hour', 'one day', 'daily'],
      weekly: ['week pass', 'week', 'weekly', '7 day', 'seven day'],
      monthly: ['month pass', 'month', 'monthly', '30 day', 'thirty day'],
      annual: ['annual pass', 'annual', 'year', 'yearly', '12 month', 'twelve month'],
    },
  },
});

const startDate = z.iso.date().describe('The first day the pass is valid');

/**
 * The scheme's fake systems: `find_docks`, `lookup_ride`, `log_damage`, `quote_pass` and
 * `buy_pass`, each result one shape per outcome (`{ found: true, dock }` / `{ found: false,
 * none }`, `{ logged: true, report }` / `{ logged: false, unknownBike }`, `{ available: true,
 * quote }` / `{ available: false, unavailable, nextStart }`…). Deterministic: reports and
 * purchases are answered, not stored, so every scenario starts from the same data.
 */
export function createCitylineTools(): ToolDefinition[] {
  const findDocks = tool({
    name: 'find_docks',
    description:
      'Finds the dock closest to a postcode, with how many bikes and free spaces it has now.',
    parameters: z.object({ postcode }),
    handler: ({ postcode }) => {
      const outward = postcode.replace(/\s+/g, '').slice(0, -3);
      const dock = docks[outward];
      return dock
        ? { found: true, dock: { ...dock, postcode } }
        : { found: false, none: { postcode } };
    },
  });

  const lookupRide = tool({
    name: 'lookup_ride',
    description:
      'Finds a ride by its ride ID, like CB-123456: when, where, how long, what it cost.',
    parameters: z.object({ rideId }),
    handler: ({ rideId }) => {
      const ride = rides[rideId];
      if (!ride) return { found: false, notFound: { rideId } };
      return { found: true, ride: { id: rideId, ...ride, day: spoken(ride.date) } };
    },
  });

  const logDamage = tool({
    name: 'log_damage',
    description: 'Logs a damage report for a bike by its number and takes the bike out of service.',
    parameters: z.object({ bikeNumber, fault }),
    handler: ({ bikeNumber, fault }) => {
      const number = Number(bikeNumber);
      if (number < fleet.first || number > fleet.last) {
        return { logged: false, unknownBike: { bikeNumber } };
      }
      return {
        logged: true,
        report: {
          number: `DR-${bikeNumber}-${faults.indexOf(fault) + 1}`,
          bike: bikeNumber,
          fault: faultWords[fault],
        },
      };
    },
  });

  const quotePassTool = tool({
    name: 'quote_pass',
    description:
      'Says what a pass starting on a given day covers and costs, or why no pass can start that day.',
    parameters: z.object({ passType, startDate }),
    handler: ({ passType, startDate }) => quotePass(passType, startDate),
  });

  const buyPass = tool({
    name: 'buy_pass',
    description: "Buys a pass starting on a given day with the card on the customer's account.",
    parameters: z.object({ passType, startDate }),
    handler: ({ passType, startDate }) => {
      const quoted = quotePass(passType, startDate);
      if (!quoted.available) return { bought: false, unavailable: quoted.unavailable };
      return {
        bought: true,
        pass: {
          ...quoted.quote,
          reference: `CP-${startDate.slice(5).replace('-', '')}${passTypes.indexOf(passType) + 1}`,
        },
      };
    },
  });

  return [findDocks, lookupRide, logDamage, quotePassTool, buyPass];
}

// ---------------------------------------------------------------------------------------------
// The agent
// ---------------------------------------------------------------------------------------------

/**
 * The Cityline Bikes help assistant: prices and passes, unlocking, docks by postcode, rides by
 * ride ID, refunds, the account, the app, stolen bikes, and two journeys (report a damaged
 * bike, buy a pass). Replies come from its canned responses only (`canned_strict`).
 */
export function createCitylineBikes(): AgentDefinition {
  return defineAgent({
    name: citylineAgentName,
    description:
      "The help assistant of Cityline Bikes, Nottingham's bike-share scheme: prices and passes, unlocking, docks, rides, refunds, accounts, the app, and reports of damaged or stolen bikes.",
    compositionMode: 'canned_strict',
    tools: createCitylineTools(),
    variables: [
      {
        name: 'prices',
        description: 'What riding costs without a pass, and what a pass includes',
        defaultValue: { unlock: '£1', perMinute: '10p', includedMinutes: 45 },
      },
      {
        name: 'passes',
        description: 'The price of each pass',
        defaultValue: {
          day: passCatalogue.day.price,
          weekly: passCatalogue.weekly.price,
          monthly: passCatalogue.monthly.price,
          annual: passCatalogue.annual.price,
        },
      },
      {
        name: 'refunds',
        description: 'How long customers have to ask for a refund, and how long it takes',
        defaultValue: {
          rideWindow: '30 days',
          passWindow: '14 days',
          payoutTime: '3 to 5 working days',
        },
      },
      {
        name: 'support',
        description: 'How to reach the customer-care team',
        defaultValue: {
          phone: '0115 496 0710',
          hours: 'every day from 7:00 to 22:00',
          email: 'help@citylinebikes.co.uk',
        },
      },
      {
        name: 'theft',
        description: 'What happens when a bike is stolen or lost during a ride',
        defaultValue: { reportHours: 24, fee: '£350' },
      },
    ],
    terms: [
      {
        name: 'ride ID',
        description: 'The code of a ride, CB and six digits like CB-123456, on the receipt email.',
        synonyms: ['ride number', 'trip ID', 'journey number'],
      },
      {
        name: 'bike number',
        description: 'The five digits on the sticker under the saddle of every bike, like 10482.',
        synonyms: ['bike ID', 'frame number'],
      },
      {
        name: 'dock',
        description: 'A docking station where bikes are taken and returned.',
        synonyms: ['docking station', 'station', 'rack', 'bay'],
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
        action: 'say they are welcome and wish them a good ride',
        examples: ['thanks a lot', 'bye', 'that is all, thank you'],
      },
      {
        key: 'prices_passes',
        condition: 'the customer asks how much riding costs or what passes there are',
        action: 'give the pay-as-you-ride price and the price of each pass',
        examples: [
          'how much does a ride cost?',
          'what passes do you have?',
          'how much is a day pass?',
          'is there a monthly option?',
        ],
      },
      {
        key: 'unlock_bike',
        condition: 'the customer asks how to unlock or take a bike, or how to end a ride',
        action: 'explain unlocking with the app or the PIN, and how to dock the bike',
        examples: [
          'how do I unlock a bike?',
          'how do I release a bike from the dock?',
          'can I ride without a smartphone?',
          'how do I return the bike?',
        ],
      },
      {
        key: 'find_dock',
        condition: 'the customer asks where the nearest dock or docking station is',
        action: 'find the closest dock to their postcode and say how many bikes and spaces it has',
        tools: ['find_docks'],
        examples: [
          'where is the nearest dock?',
          'is there a docking station near NG7 2RD?',
          'where can I pick up a bike?',
        ],
      },
      {
        key: 'ride_details',
        condition: 'the customer asks about a ride they took: when, how long, or what it cost',
        action: 'look the ride up by its ride ID and give its details and charge',
        tools: ['lookup_ride'],
        examples: [
          'can you check my ride CB-204518?',
          'how long was my last ride?',
          'what was I charged for my ride?',
        ],
      },
      {
        key: 'refunds',
        condition: 'the customer asks for a refund or their money back for a ride or a pass',
        action: 'explain the refund rules for rides and unused passes and how long refunds take',
        examples: [
          'can I get a refund?',
          'I was overcharged for a ride',
          "how do I get my money back for a pass I didn't use?",
        ],
      },
      {
        key: 'account_membership',
        condition:
          'the customer wants to change their account details, payment card or auto-renewal, or close their account',
        action: 'explain where to change account details and how to close the account',
        examples: [
          'how do I change my email address?',
          'how do I update my card details?',
          'how do I stop my pass renewing automatically?',
          'I want to close my account',
        ],
      },
      {
        key: 'app_problems',
        condition: "the customer's app won't open, crashes, or they can't log in",
        action: 'give the troubleshooting steps and the support phone line',
        examples: ["the app won't open", 'the app keeps crashing', "I can't log in to the app"],
      },
      {
        key: 'stolen_bike',
        condition: 'the customer says a bike they hired was stolen or lost',
        action: 'tell them to call us and the police, and what they may be charged',
        criticality: 'high',
        examples: [
          'my bike was stolen',
          'someone took the bike while I was in a shop',
          "I've lost the bike I hired",
        ],
      },
    ],
    journeys: [
      {
        key: 'report_damage',
        title: 'Report a damaged bike',
        description:
          'Takes a damage report: which bike and what is wrong with it, then takes the bike out of service.',
        conditions: [
          'the customer wants to report a damaged or faulty bike',
          'something is broken on a bike: the brakes, a tyre, the chain, the lights, the saddle or the battery',
        ],
        initialState: 'ask_bike',
        states: [
          {
            key: 'ask_bike',
            kind: 'chat',
            action: 'Thank them and ask for the bike number on the sticker under the saddle',
          },
          {
            key: 'ask_fault',
            kind: 'chat',
            action: 'Ask what is wrong with the bike',
          },
          { key: 'log', kind: 'tool', tool: 'log_damage' },
          { key: 'log_checked', kind: 'fork' },
          {
            key: 'logged',
            kind: 'chat',
            action: 'Give the report number and say the bike is out of service until collected',
          },
          {
            key: 'unknown_bike',
            kind: 'chat',
            action: 'Say no bike has that number and ask them to check the sticker',
          },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_bike',
            to: 'ask_fault',
            condition: 'the customer gives the bike number, five digits',
          },
          {
            from: 'ask_fault',
            to: 'log',
            condition:
              'the customer says what is wrong: brakes, a tyre or wheel, the chain, lights, the saddle or the battery',
          },
          { from: 'log', to: 'log_checked' },
          {
            from: 'log_checked',
            to: 'logged',
            condition: 'the report was logged',
            when: { path: 'log_damage.logged', equals: true },
          },
          {
            from: 'log_checked',
            to: 'unknown_bike',
            condition: 'no bike in the fleet has that number',
            when: { path: 'log_damage.logged', equals: false },
          },
          {
            from: 'unknown_bike',
            to: 'log',
            condition: 'the customer gives another bike number',
          },
          { from: 'logged', to: 'done' },
        ],
      },
      {
        key: 'buy_pass',
        title: 'Buy or renew a pass',
        description:
          'Sells a day, week, month or annual pass from the day the customer chooses, after telling the price.',
        conditions: [
          'the customer wants to buy a pass',
          'the customer wants to renew their pass or get a membership',
        ],
        initialState: 'ask_pass',
        states: [
          {
            key: 'ask_pass',
            kind: 'chat',
            action: 'Ask which pass they want: day, week, month or annual, with the prices',
          },
          { key: 'ask_start', kind: 'chat', action: 'Ask which day the pass should start' },
          { key: 'quote', kind: 'tool', tool: 'quote_pass' },
          { key: 'quote_checked', kind: 'fork' },
          {
            key: 'confirm_purchase',
            kind: 'chat',
            action: 'Say what the pass covers and costs, and ask whether to buy it',
          },
          {
            key: 'start_unavailable',
            kind: 'chat',
            action:
              'Say no pass can start that day and why, give the first possible day, and ask for another day',
          },
          { key: 'buy', kind: 'tool', tool: 'buy_pass' },
          {
            key: 'bought',
            kind: 'chat',
            action: 'Confirm the pass is bought, with the days it covers and its reference',
          },
          { key: 'not_bought', kind: 'chat', action: 'Say nothing was bought' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_pass',
            to: 'ask_start',
            condition: 'the customer says which pass: a day, week, month or annual pass',
          },
          {
            from: 'ask_pass',
            to: 'not_bought',
            condition: 'the customer decides not to buy a pass',
          },
          {
            from: 'ask_start',
            to: 'quote',
            condition:
              'the customer says which day the pass should start: a date, a weekday, tomorrow',
          },
          { from: 'quote', to: 'quote_checked' },
          {
            from: 'quote_checked',
            to: 'confirm_purchase',
            condition: 'the pass can start that day',
            when: { path: 'quote_pass.available', equals: true },
          },
          {
            from: 'quote_checked',
            to: 'start_unavailable',
            condition: 'no pass can start that day',
            when: { path: 'quote_pass.available', equals: false },
          },
          {
            from: 'confirm_purchase',
            to: 'buy',
            condition: 'the customer agrees: yes, buy it',
          },
          {
            from: 'confirm_purchase',
            to: 'quote',
            condition:
              'the customer would rather have another pass or another start day, and says which',
          },
          {
            from: 'confirm_purchase',
            to: 'not_bought',
            condition: 'the customer does not want to buy it after all',
          },
          {
            from: 'start_unavailable',
            to: 'quote',
            condition: 'the customer names another start day',
          },
          {
            from: 'start_unavailable',
            to: 'not_bought',
            condition: 'the customer does not want a pass after all',
          },
          { from: 'buy', to: 'bought' },
          { from: 'bought', to: 'done' },
          { from: 'not_bought', to: 'done' },
        ],
      },
    ],
    cannedResponses: Object.values(citylineTemplates).map((template) => ({ template })),
  });
}
