import { createCitylineBikes, citylineTemplates as reply } from './agents/cityline-bikes';
import type { EvaluationSuite } from './evaluation-suite-types';

// Labelled before any run, by someone who had not read the engine: each expectation is what a
// competent customer-care agent, answering only with the scheme's canned responses, would do.
// Unless a scenario says otherwise it happens on Monday 15 June 2026 at 09:00 UTC, so
// "tomorrow" is Tuesday 16 June, "saturday" 20 June, "sunday the 21st" a day no pass can
// start (the Riverside Festival), and "the 1st of july" 2026-07-01. The fake data: docks in
// NG1 (Old Market Square), NG2 (Trent Bridge) and NG7 (University Park), none elsewhere; rides
// CB-204518, CB-204733 and CB-205190; bikes numbered 10001 to 13500.

const damage = (state: string) => ({ journey: 'report_damage', state });
const pass = (state: string) => ({ journey: 'buy_pass', state });

/** The Cityline Bikes help assistant and its labelled conversations. */
export const citylineBikesSuite: EvaluationSuite = {
  name: 'Cityline Bikes',
  agent: createCitylineBikes(),
  scenarios: [
    {
      name: 'evening hello, what riding costs, a follow-up, goodbye',
      at: '2026-06-15T18:30:00Z',
      turns: [
        { customer: 'hiya', expect: { cannedResponse: reply.greeting, tools: [] } },
        {
          customer: 'how much is it to hire one of your bikes?',
          expect: { cannedResponse: reply.prices, guidelines: ['prices_passes'], journey: null },
        },
        // Leans on the turn before: the per-minute price answers it.
        { customer: 'and if i keep it for 2 hours?', expect: { cannedResponse: reply.prices } },
        { customer: 'sound, ta', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'getting a bike out, with no phone, and ending the ride',
      turns: [
        {
          customer: 'how do i get a bike out of the rack??',
          expect: { cannedResponse: reply.unlock, guidelines: ['unlock_bike'], tools: [] },
        },
        {
          customer: "my phone's dead, is there another way",
          expect: { cannedResponse: reply.unlock },
        },
        { customer: 'and how do i finish the ride', expect: { cannedResponse: reply.unlock } },
      ],
    },
    {
      name: 'closest dock to two postcodes',
      turns: [
        {
          customer: "where's the closest docking point to NG1 5FS?",
          expect: {
            cannedResponse: reply.dockFound,
            tools: [{ name: 'find_docks', arguments: { postcode: 'NG1 5FS' } }],
            guidelines: ['find_dock'],
            journey: null,
          },
        },
        {
          customer: 'any near ng7 2rd as well? thats where i work',
          expect: {
            cannedResponse: reply.dockFound,
            tools: [{ name: 'find_docks', arguments: { postcode: 'NG7 2RD' } }],
          },
        },
        { customer: 'cheers', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'dock: the postcode asked for, outside the area, then inside',
      turns: [
        {
          customer: 'where can i drop the bike off when im done',
          expect: { cannedResponse: reply.askPostcode, tools: [], journey: null },
        },
        {
          customer: 'NG9 2WB',
          expect: {
            cannedResponse: reply.noDockNearby,
            tools: [{ name: 'find_docks', arguments: { postcode: 'NG9 2WB' } }],
          },
        },
        {
          customer: 'ok, what about NG2 6AG then',
          expect: {
            cannedResponse: reply.dockFound,
            tools: [{ name: 'find_docks', arguments: { postcode: 'NG2 6AG' } }],
          },
        },
      ],
    },
    {
      name: 'a ride looked up, then the pass prices',
      turns: [
        {
          customer: 'can u look up ride CB-204733 for me, want to know how long it was',
          expect: {
            cannedResponse: reply.rideFound,
            tools: [{ name: 'lookup_ride', arguments: { rideId: 'CB-204733' } }],
            guidelines: ['ride_details'],
            journey: null,
          },
        },
        {
          customer: 'wots a day pass cost these days',
          expect: { cannedResponse: reply.prices, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a ride: the ID asked for, a wrong one, then the right one',
      turns: [
        {
          customer: 'what did my ride on saturday cost me?',
          expect: { cannedResponse: reply.askRideId, tools: [], journey: null },
        },
        {
          customer: 'cb-204519',
          expect: {
            cannedResponse: reply.rideNotFound,
            tools: [{ name: 'lookup_ride', arguments: { rideId: 'CB-204519' } }],
          },
        },
        {
          customer: "sorry, it's CB-204518",
          expect: {
            cannedResponse: reply.rideFound,
            tools: [{ name: 'lookup_ride', arguments: { rideId: 'CB-204518' } }],
          },
        },
      ],
    },
    {
      name: 'a long ride, then a refund',
      turns: [
        {
          customer: 'why did ride CB-205190 cost so much',
          expect: {
            cannedResponse: reply.rideFound,
            tools: [{ name: 'lookup_ride', arguments: { rideId: 'CB-205190' } }],
            guidelines: ['ride_details'],
          },
        },
        {
          customer:
            "the dock wouldn't take the bike back, that's why it was so long. can i get a refund?",
          expect: { cannedResponse: reply.refunds, guidelines: ['refunds'], journey: null },
        },
        // The refund reply already says how long the money takes.
        {
          customer: 'how long till the money comes back',
          expect: { cannedResponse: reply.refunds },
        },
      ],
    },
    {
      name: 'an unused pass refunded, then auto-renewal',
      turns: [
        {
          customer: 'bought a week pass by mistake and never used it. can i have the money back?',
          expect: {
            cannedResponse: reply.refunds,
            guidelines: ['refunds'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'ok and how do i switch off the auto renew so it doesnt happen again',
          expect: {
            cannedResponse: reply.account,
            guidelines: ['account_membership'],
            journey: null,
          },
        },
      ],
    },
    {
      name: 'account changes',
      turns: [
        {
          customer: 'I got a new bank card, where do I put the new details in?',
          expect: {
            cannedResponse: reply.account,
            guidelines: ['account_membership'],
            journey: null,
          },
        },
        {
          customer: 'also want to change the email on my account',
          expect: { cannedResponse: reply.account },
        },
        {
          customer: 'actually just delete my account altogether',
          expect: { cannedResponse: reply.account },
        },
      ],
    },
    {
      name: 'the app will not load',
      turns: [
        {
          customer: 'ur app just shows a white screen and wont load',
          expect: { cannedResponse: reply.appProblems, guidelines: ['app_problems'], tools: [] },
        },
        {
          // "still broken" is the app, not a bike: no damage report starts.
          customer: 'tried all that, still broken. is there a number i can ring?',
          expect: { cannedResponse: reply.appProblems, journey: null },
        },
        { customer: 'ok thanks, bye then', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'a stolen bike',
      turns: [
        {
          customer: 'someone nicked the bike while i was in tesco, i only left it 2 mins',
          expect: {
            cannedResponse: reply.stolenBike,
            guidelines: ['stolen_bike'],
            tools: [],
            journey: null,
          },
        },
        // The theft reply already says what is charged.
        { customer: 'will i have to pay for it?', expect: { cannedResponse: reply.stolenBike } },
      ],
    },
    {
      name: 'damaged bike step by step',
      turns: [
        {
          customer: "I want to report a bike that's in bad shape",
          expect: { cannedResponse: reply.askBikeNumber, tools: [], journey: damage('ask_bike') },
        },
        {
          customer: 'number is 10538',
          expect: { cannedResponse: reply.askFault, tools: [], journey: damage('ask_fault') },
        },
        {
          customer: 'the chain keeps coming off when i pedal',
          expect: {
            cannedResponse: reply.damageLogged,
            tools: [{ name: 'log_damage', arguments: { bikeNumber: '10538', fault: 'chain' } }],
            journey: damage('logged'),
          },
        },
        {
          customer: 'great, thanks',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'damaged bike with the fault in the first message',
      turns: [
        {
          // What is wrong is already said: only the bike number is missing.
          customer: 'the brakes on this bike are totally shot',
          expect: { cannedResponse: reply.askBikeNumber, tools: [], journey: damage('ask_bike') },
        },
        {
          customer: '12007',
          expect: {
            cannedResponse: reply.damageLogged,
            tools: [{ name: 'log_damage', arguments: { bikeNumber: '12007', fault: 'brakes' } }],
            journey: damage('logged'),
          },
        },
      ],
    },
    {
      name: 'damaged bike with everything in the first message, then another bike',
      turns: [
        {
          customer: "bike 11350 has a flat tyre, don't think anyone should ride it",
          expect: {
            cannedResponse: reply.damageLogged,
            tools: [{ name: 'log_damage', arguments: { bikeNumber: '11350', fault: 'tyre' } }],
            journey: damage('logged'),
          },
        },
        {
          customer: 'how do i take a different one out then?',
          expect: { cannedResponse: reply.unlock, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'damaged bike: a number not in the fleet, then the right one',
      turns: [
        {
          customer: 'the saddle on my bike keeps sliding down, bike 61234',
          expect: {
            cannedResponse: reply.bikeNotFound,
            tools: [{ name: 'log_damage', arguments: { bikeNumber: '61234', fault: 'saddle' } }],
            journey: damage('unknown_bike'),
          },
        },
        {
          customer: 'oh wait its 13120, misread it',
          expect: {
            cannedResponse: reply.damageLogged,
            tools: [{ name: 'log_damage', arguments: { bikeNumber: '13120', fault: 'saddle' } }],
            journey: damage('logged'),
          },
        },
      ],
    },
    {
      name: 'damaged e-bike with an out-of-scope question on the way',
      turns: [
        {
          customer: 'one of your e-bikes has a dodgy battery, it cuts out all the time',
          expect: { cannedResponse: reply.askBikeNumber, tools: [], journey: damage('ask_bike') },
        },
        {
          // No canned response says whether a faulty bike may be ridden back.
          customer: 'is it still safe to ride it back to the dock?',
          expect: { fallback: true, tools: [], journey: damage('ask_bike') },
        },
        {
          customer: "it's bike 10977",
          expect: {
            cannedResponse: reply.damageLogged,
            tools: [{ name: 'log_damage', arguments: { bikeNumber: '10977', fault: 'battery' } }],
            journey: damage('logged'),
          },
        },
      ],
    },
    {
      name: 'buying a pass step by step',
      turns: [
        {
          customer: "I'd like to get a pass please",
          expect: { cannedResponse: reply.askPassType, tools: [], journey: pass('ask_pass') },
        },
        {
          customer: 'the week one',
          expect: { cannedResponse: reply.askStartDate, tools: [], journey: pass('ask_start') },
        },
        {
          customer: 'from tomorrow',
          expect: {
            cannedResponse: reply.passQuote,
            tools: [
              { name: 'quote_pass', arguments: { passType: 'weekly', startDate: '2026-06-16' } },
            ],
            journey: pass('confirm_purchase'),
          },
        },
        {
          customer: 'yep go for it',
          expect: {
            cannedResponse: reply.passBought,
            tools: [
              { name: 'buy_pass', arguments: { passType: 'weekly', startDate: '2026-06-16' } },
            ],
            journey: pass('bought'),
          },
        },
        {
          customer: 'ta very much',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a 24-hour pass with the day in the first message',
      turns: [
        {
          customer: 'can I buy a 24 hour pass for saturday?',
          expect: {
            cannedResponse: reply.passQuote,
            tools: [
              { name: 'quote_pass', arguments: { passType: 'day', startDate: '2026-06-20' } },
            ],
            journey: pass('confirm_purchase'),
          },
        },
        {
          customer: 'yes please',
          expect: {
            cannedResponse: reply.passBought,
            tools: [{ name: 'buy_pass', arguments: { passType: 'day', startDate: '2026-06-20' } }],
            journey: pass('bought'),
          },
        },
      ],
    },
    {
      name: 'renewing the monthly: a day no pass starts, another, then not buying',
      turns: [
        {
          customer: 'need to renew my monthly',
          expect: { cannedResponse: reply.askStartDate, tools: [], journey: pass('ask_start') },
        },
        {
          customer: 'sunday the 21st',
          expect: {
            cannedResponse: reply.startUnavailable,
            tools: [
              { name: 'quote_pass', arguments: { passType: 'monthly', startDate: '2026-06-21' } },
            ],
            journey: pass('start_unavailable'),
          },
        },
        {
          customer: 'monday 22nd then',
          expect: {
            cannedResponse: reply.passQuote,
            tools: [
              { name: 'quote_pass', arguments: { passType: 'monthly', startDate: '2026-06-22' } },
            ],
            journey: pass('confirm_purchase'),
          },
        },
        {
          customer: "hmm actually leave it, I'll sort it later",
          expect: { cannedResponse: reply.passNotBought, tools: [], journey: pass('not_bought') },
        },
      ],
    },
    {
      name: 'a year pass with a price question on the way',
      turns: [
        {
          customer: 'thinking of signing up for a whole year',
          expect: { cannedResponse: reply.askStartDate, tools: [], journey: pass('ask_start') },
        },
        {
          customer: 'remind me what the annual one costs?',
          expect: { cannedResponse: reply.prices, tools: [], journey: pass('ask_start') },
        },
        {
          customer: 'the 1st of july',
          expect: {
            cannedResponse: reply.passQuote,
            tools: [
              { name: 'quote_pass', arguments: { passType: 'annual', startDate: '2026-07-01' } },
            ],
            journey: pass('confirm_purchase'),
          },
        },
        {
          customer: 'go ahead',
          expect: {
            cannedResponse: reply.passBought,
            tools: [
              { name: 'buy_pass', arguments: { passType: 'annual', startDate: '2026-07-01' } },
            ],
            journey: pass('bought'),
          },
        },
      ],
    },
    {
      name: 'a day pass for next friday, switched to a week pass',
      // A Saturday: "next friday" is 26 June.
      at: '2026-06-20T10:00:00Z',
      turns: [
        {
          customer: 'can i get a day pass for next friday',
          expect: {
            cannedResponse: reply.passQuote,
            tools: [
              { name: 'quote_pass', arguments: { passType: 'day', startDate: '2026-06-26' } },
            ],
            journey: pass('confirm_purchase'),
          },
        },
        {
          customer: 'actually make it the week pass instead',
          expect: {
            cannedResponse: reply.passQuote,
            tools: [
              { name: 'quote_pass', arguments: { passType: 'weekly', startDate: '2026-06-26' } },
            ],
            journey: pass('confirm_purchase'),
          },
        },
        {
          customer: 'yes that one',
          expect: {
            cannedResponse: reply.passBought,
            tools: [
              { name: 'buy_pass', arguments: { passType: 'weekly', startDate: '2026-06-26' } },
            ],
            journey: pass('bought'),
          },
        },
      ],
    },
    {
      name: 'a pass asked about, then paying as you go',
      turns: [
        {
          customer: 'how do I buy a pass',
          expect: { cannedResponse: reply.askPassType, tools: [], journey: pass('ask_pass') },
        },
        {
          customer: 'how much is each one?',
          expect: { cannedResponse: reply.prices, tools: [], journey: pass('ask_pass') },
        },
        {
          customer: "nah too pricey, i'll just pay as i go",
          expect: { cannedResponse: reply.passNotBought, tools: [], journey: pass('not_bought') },
        },
        {
          customer: 'so how do i unlock one without a pass',
          expect: { cannedResponse: reply.unlock, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'out of scope',
      turns: [
        {
          customer: 'do you rent out tandems?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: "what's the best cycle route to the forest ground",
          expect: { fallback: true, journey: null },
        },
        { customer: 'can i bring my dog in a basket', expect: { fallback: true } },
        { customer: 'is it going to rain this afternoon?', expect: { fallback: true } },
      ],
    },
    {
      name: 'a hello with a typo, the app logging out, goodbye',
      turns: [
        { customer: 'helo', expect: { cannedResponse: reply.greeting } },
        {
          customer: 'the app keeps logging me out every time i open it',
          expect: { cannedResponse: reply.appProblems, guidelines: ['app_problems'] },
        },
        { customer: "that's everything, cheers", expect: { cannedResponse: reply.goodbye } },
      ],
    },
  ],
};
