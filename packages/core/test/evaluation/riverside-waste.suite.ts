import { createRiversideWaste, riversideTemplates as reply } from './agents/riverside-waste';
import type { EvaluationSuite } from './evaluation-suite-types';

// Labelled before any run, by someone who had not read the engine: each expectation is what a
// competent council contact-centre adviser, answering only with the service's canned
// responses, would do. Unless a scenario says otherwise it happens on Monday 15 June 2026 at
// 09:00 UTC, so "tomorrow" is Tuesday 16 June, "thursday" 18 June (every bulky crew fully
// booked), "this friday" 19 June, "saturday" 20 June (no bulky crews at weekends) and "monday
// the 22nd" 2026-06-22. The fake rounds, as of that Monday: RS1 Tuesdays (last round 9 June:
// black, green, food), RS2 Wednesdays (10 June: blue, food), RS3 Thursdays (11 June: black,
// green, food), RS4 Fridays (12 June: blue, food); any other postcode is outside the council.

const missed = (state: string) => ({ journey: 'report_missed', state });
const bulky = (state: string) => ({ journey: 'book_bulky', state });

/** The Riverside Council bins and recycling assistant and its labelled conversations. */
export const riversideWasteSuite: EvaluationSuite = {
  name: 'Riverside Waste',
  agent: createRiversideWaste(),
  scenarios: [
    {
      name: 'a cheery hello, pizza boxes, a follow-up, goodbye',
      turns: [
        {
          customer: 'Morning! hope you can help',
          expect: { cannedResponse: reply.greeting, tools: [], journey: null },
        },
        {
          customer: 'where do i put pizza boxes? the greasy ones',
          expect: { cannedResponse: reply.binGuide, guidelines: ['which_bin'], tools: [] },
        },
        { customer: 'and yoghurt pots?', expect: { cannedResponse: reply.binGuide } },
        { customer: 'lovely, ta', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'bin day by postcode, then bank holidays and christmas',
      turns: [
        {
          customer: "what day do my bins go out? I'm at RS3 2PW",
          expect: {
            cannedResponse: reply.collectionDay,
            tools: [{ name: 'collection_day', arguments: { postcode: 'RS3 2PW' } }],
            guidelines: ['collection_day'],
            journey: null,
          },
        },
        {
          customer: 'and on bank holidays?',
          expect: { cannedResponse: reply.holidayCollections, journey: null },
        },
        {
          customer: 'what about christmas week',
          expect: { cannedResponse: reply.holidayCollections },
        },
      ],
    },
    {
      name: 'bin day: the postcode asked for, then given alone',
      turns: [
        {
          customer: 'when do the bin men come round my way',
          expect: { cannedResponse: reply.askCollectionPostcode, tools: [], journey: null },
        },
        {
          customer: 'rs1 4ab',
          expect: {
            cannedResponse: reply.collectionDay,
            tools: [{ name: 'collection_day', arguments: { postcode: 'RS1 4AB' } }],
            journey: null,
          },
        },
        { customer: 'thanks a million', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'bin day: a postcode outside the council, then the right one',
      turns: [
        {
          customer: 'whens my recycling collected, postcode S10 2TN',
          expect: {
            cannedResponse: reply.postcodeNotCovered,
            tools: [{ name: 'collection_day', arguments: { postcode: 'S10 2TN' } }],
            journey: null,
          },
        },
        {
          customer: 'sorry, typo, I meant RS4 1DX',
          expect: {
            cannedResponse: reply.collectionDay,
            tools: [{ name: 'collection_day', arguments: { postcode: 'RS4 1DX' } }],
            journey: null,
          },
        },
      ],
    },
    {
      name: "the tip's hours, where it is, christmas, and a van",
      turns: [
        {
          customer: 'what time does the tip shut today',
          expect: {
            cannedResponse: reply.recyclingCentre,
            guidelines: ['recycling_centre'],
            tools: [],
          },
        },
        { customer: 'where is it exactly?', expect: { cannedResponse: reply.recyclingCentre } },
        {
          // Asked about the tip: its own Christmas closing days answer it, not bin collections.
          customer: 'is it open over christmas?',
          expect: { cannedResponse: reply.recyclingCentre },
        },
        { customer: 'can i bring a van', expect: { cannedResponse: reply.recyclingCentre } },
      ],
    },
    {
      name: 'garden waste: the price, a second bin, signing up',
      turns: [
        {
          customer: 'how much is it for the garden waste bin this year?',
          expect: {
            cannedResponse: reply.gardenWaste,
            guidelines: ['garden_waste'],
            tools: [],
            journey: null,
          },
        },
        { customer: 'and if i want 2 of them?', expect: { cannedResponse: reply.gardenWaste } },
        { customer: 'how do i sign up', expect: { cannedResponse: reply.gardenWaste } },
      ],
    },
    {
      name: 'a stolen bin, what a new one costs, and a snapped lid',
      turns: [
        {
          customer: "someone's nicked my wheelie bin overnight",
          expect: {
            cannedResponse: reply.replaceBin,
            guidelines: ['damaged_stolen_bin'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'how much will a new one cost me',
          expect: { cannedResponse: reply.replaceBin },
        },
        {
          // A broken bin, not a missed one: no missed-collection report starts.
          customer: 'the lid on the recycling one has snapped too',
          expect: { cannedResponse: reply.replaceBin, journey: null },
        },
      ],
    },
    {
      name: 'a dumped sofa is fly-tipping, not a bulky booking',
      turns: [
        {
          customer:
            "someone's dumped an old sofa and a load of bin bags in the alley behind my house",
          expect: {
            cannedResponse: reply.flyTipping,
            guidelines: ['fly_tipping'],
            tools: [],
            journey: null,
          },
        },
        {
          // The fly-tipping reply already says not to touch it.
          customer: 'do i need to move it myself?',
          expect: { cannedResponse: reply.flyTipping, tools: [], journey: null },
        },
        { customer: 'ok cheers', expect: { cannedResponse: reply.goodbye, journey: null } },
      ],
    },
    {
      name: 'an assisted collection for an elderly dad',
      turns: [
        {
          customer: "my dad's 88 and can't get his bins down the drive anymore, is there any help?",
          expect: {
            cannedResponse: reply.assistedCollection,
            guidelines: ['assisted_collection'],
            tools: [],
            journey: null,
          },
        },
        // The assisted-collection reply already says it is free.
        {
          customer: 'does it cost anything?',
          expect: { cannedResponse: reply.assistedCollection },
        },
      ],
    },
    {
      name: 'missed black bin step by step, logged',
      turns: [
        {
          customer: "our bin didn't get emptied last week",
          expect: {
            cannedResponse: reply.askMissedPostcode,
            tools: [],
            journey: missed('ask_postcode'),
          },
        },
        {
          customer: 'RS1 7HG',
          expect: { cannedResponse: reply.askMissedBin, tools: [], journey: missed('ask_bin') },
        },
        {
          customer: 'the black one',
          expect: {
            cannedResponse: reply.missedLogged,
            tools: [
              {
                name: 'log_missed_collection',
                arguments: { postcode: 'RS1 7HG', bin: 'black' },
              },
            ],
            journey: missed('logged'),
          },
        },
        {
          customer: 'brilliant, thank you',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a black bin that was not due, everything in the first message',
      turns: [
        {
          // RS2's last round (Wednesday 10 June) was a blue-bin week.
          customer: 'they didnt take my black bin on wednesday, RS2 5LT',
          expect: {
            cannedResponse: reply.missedNotDue,
            tools: [
              {
                name: 'log_missed_collection',
                arguments: { postcode: 'RS2 5LT', bin: 'black' },
              },
            ],
            journey: missed('not_due'),
          },
        },
        {
          customer: 'oh fair enough, cheers',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a missed food caddy with everything in the first message, then a follow-up',
      turns: [
        {
          customer: "my food caddy wasn't emptied on thursday. postcode RS3 8JN",
          expect: {
            cannedResponse: reply.missedLogged,
            tools: [
              {
                name: 'log_missed_collection',
                arguments: { postcode: 'RS3 8JN', bin: 'food' },
              },
            ],
            journey: missed('logged'),
          },
        },
        {
          // The report reply already says when the crew comes back.
          customer: 'will they come today?',
          expect: { cannedResponse: reply.missedLogged, journey: null },
        },
      ],
    },
    {
      name: 'a missed green bin: a postcode outside the council, then the right one',
      turns: [
        {
          // Which bin is already said: only the postcode is missing.
          customer: 'my green bin was missed',
          expect: {
            cannedResponse: reply.askMissedPostcode,
            tools: [],
            journey: missed('ask_postcode'),
          },
        },
        {
          customer: 'RS7 2QA',
          expect: {
            cannedResponse: reply.missedPostcodeUnknown,
            tools: [
              {
                name: 'log_missed_collection',
                arguments: { postcode: 'RS7 2QA', bin: 'green' },
              },
            ],
            journey: missed('unknown_postcode'),
          },
        },
        {
          customer: "sorry I moved recently, it's RS3 6TB now",
          expect: {
            cannedResponse: reply.missedLogged,
            tools: [
              {
                name: 'log_missed_collection',
                arguments: { postcode: 'RS3 6TB', bin: 'green' },
              },
            ],
            journey: missed('logged'),
          },
        },
      ],
    },
    {
      name: 'a missed collection with a side question and a complaint on the way',
      turns: [
        {
          customer: 'The bin lorry skipped our street, nothing was collected',
          expect: {
            cannedResponse: reply.askMissedPostcode,
            tools: [],
            journey: missed('ask_postcode'),
          },
        },
        {
          customer: 'RS4 3EL',
          expect: { cannedResponse: reply.askMissedBin, tools: [], journey: missed('ask_bin') },
        },
        {
          customer:
            "while i've got you, can my neighbour get help with her bins, she's in a wheelchair",
          expect: {
            cannedResponse: reply.assistedCollection,
            tools: [],
            journey: missed('ask_bin'),
          },
        },
        {
          // Complaints about the crew: no canned response takes them, and it is no fly-tipping.
          customer: 'the crew also left rubbish all over the pavement, can I make a complaint?',
          expect: { fallback: true, tools: [], journey: missed('ask_bin') },
        },
        {
          customer: 'blue recycling bin',
          expect: {
            cannedResponse: reply.missedLogged,
            tools: [
              {
                name: 'log_missed_collection',
                arguments: { postcode: 'RS4 3EL', bin: 'blue' },
              },
            ],
            journey: missed('logged'),
          },
        },
      ],
    },
    {
      name: 'bulky furniture step by step, booked',
      turns: [
        {
          customer: 'I need to get rid of some big stuff, can you collect it?',
          expect: { cannedResponse: reply.askBulkyItem, tools: [], journey: bulky('ask_item') },
        },
        {
          customer: 'an old wardrobe and a bedside table',
          expect: { cannedResponse: reply.askBulkyDate, tools: [], journey: bulky('ask_date') },
        },
        {
          customer: 'this friday if poss',
          expect: {
            cannedResponse: reply.bulkyQuote,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'furniture', collectionDate: '2026-06-19' },
              },
            ],
            journey: bulky('confirm_booking'),
          },
        },
        {
          customer: 'yes please book it',
          expect: {
            cannedResponse: reply.bulkyBooked,
            tools: [
              {
                name: 'book_bulky',
                arguments: { itemType: 'furniture', collectionDate: '2026-06-19' },
              },
            ],
            journey: bulky('booked'),
          },
        },
        {
          customer: 'great stuff, bye',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a fridge freezer with the day in the first message',
      turns: [
        {
          customer: 'can you pick up an old fridge freezer tomorrow',
          expect: {
            cannedResponse: reply.bulkyQuote,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'fridge_freezer', collectionDate: '2026-06-16' },
              },
            ],
            journey: bulky('confirm_booking'),
          },
        },
        {
          customer: 'go on then',
          expect: {
            cannedResponse: reply.bulkyBooked,
            tools: [
              {
                name: 'book_bulky',
                arguments: { itemType: 'fridge_freezer', collectionDate: '2026-06-16' },
              },
            ],
            journey: bulky('booked'),
          },
        },
      ],
    },
    {
      name: 'a washing machine: a fully booked day, another, then not booking',
      turns: [
        {
          // What it is is already said: only the day is missing.
          customer: "I'd like a bulky collection for a washing machine",
          expect: { cannedResponse: reply.askBulkyDate, tools: [], journey: bulky('ask_date') },
        },
        {
          customer: 'thursday',
          expect: {
            cannedResponse: reply.bulkyDateUnavailable,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'appliance', collectionDate: '2026-06-18' },
              },
            ],
            journey: bulky('date_unavailable'),
          },
        },
        {
          customer: 'what about friday then',
          expect: {
            cannedResponse: reply.bulkyQuote,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'appliance', collectionDate: '2026-06-19' },
              },
            ],
            journey: bulky('confirm_booking'),
          },
        },
        {
          customer: "actually £30 is a bit steep, I'll leave it for now",
          expect: { cannedResponse: reply.bulkyNotBooked, tools: [], journey: bulky('not_booked') },
        },
        {
          customer: "when's the tip open then, might take it there myself",
          expect: { cannedResponse: reply.recyclingCentre, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'a mattress on a saturday, another day, then the sofa instead',
      turns: [
        {
          customer: 'can the council take away a mattress on saturday?',
          expect: {
            cannedResponse: reply.bulkyDateUnavailable,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'mattress', collectionDate: '2026-06-20' },
              },
            ],
            journey: bulky('date_unavailable'),
          },
        },
        {
          customer: 'monday the 22nd then',
          expect: {
            cannedResponse: reply.bulkyQuote,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'mattress', collectionDate: '2026-06-22' },
              },
            ],
            journey: bulky('confirm_booking'),
          },
        },
        {
          customer: 'actually make it the sofa instead',
          expect: {
            cannedResponse: reply.bulkyQuote,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'furniture', collectionDate: '2026-06-22' },
              },
            ],
            journey: bulky('confirm_booking'),
          },
        },
        {
          customer: 'yep book that',
          expect: {
            cannedResponse: reply.bulkyBooked,
            tools: [
              {
                name: 'book_bulky',
                arguments: { itemType: 'furniture', collectionDate: '2026-06-22' },
              },
            ],
            journey: bulky('booked'),
          },
        },
      ],
    },
    {
      name: 'a cooker for next wednesday with a tip question on the way, then not booked',
      // A Friday: "next wednesday" is 24 June.
      at: '2026-06-19T10:00:00Z',
      turns: [
        {
          customer: 'how do i book a bulky waste pickup',
          expect: { cannedResponse: reply.askBulkyItem, tools: [], journey: bulky('ask_item') },
        },
        {
          // The recycling-centre reply says it is free for residents.
          customer: 'is it cheaper to just take it to the tip?',
          expect: { cannedResponse: reply.recyclingCentre, tools: [], journey: bulky('ask_item') },
        },
        {
          customer: "it's a cooker",
          expect: { cannedResponse: reply.askBulkyDate, tools: [], journey: bulky('ask_date') },
        },
        {
          customer: 'next wednesday',
          expect: {
            cannedResponse: reply.bulkyQuote,
            tools: [
              {
                name: 'quote_bulky',
                arguments: { itemType: 'appliance', collectionDate: '2026-06-24' },
              },
            ],
            journey: bulky('confirm_booking'),
          },
        },
        {
          customer: "no, don't bother",
          expect: { cannedResponse: reply.bulkyNotBooked, tools: [], journey: bulky('not_booked') },
        },
      ],
    },
    {
      name: 'out of scope, sharing words with the service',
      turns: [
        {
          customer: 'do you sell compost bins?',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: 'how do i pay my council tax',
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: "there's a massive pothole on my road, where do i report it",
          expect: { fallback: true, tools: [], journey: null },
        },
        {
          customer: "when's the library open on bank holidays",
          expect: { fallback: true, journey: null },
        },
        { customer: "my street light's broken", expect: { fallback: true, journey: null } },
      ],
    },
    {
      name: 'a formal hello, the blue bin, glass jars, a formal goodbye',
      at: '2026-06-15T14:00:00Z',
      turns: [
        { customer: 'Good afternoon.', expect: { cannedResponse: reply.greeting, tools: [] } },
        {
          customer: 'Could you tell me what goes in the blue bin, please?',
          expect: { cannedResponse: reply.binGuide, guidelines: ['which_bin'] },
        },
        { customer: 'Are glass jars accepted?', expect: { cannedResponse: reply.binGuide } },
        {
          customer: 'Thank you for your help, goodbye.',
          expect: { cannedResponse: reply.goodbye },
        },
      ],
    },
    {
      name: 'a slang hello, batteries, old clothes, ta-ra',
      turns: [
        { customer: 'alright', expect: { cannedResponse: reply.greeting, tools: [] } },
        {
          customer: 'wat do i do with old batteries',
          expect: { cannedResponse: reply.binGuide, guidelines: ['which_bin'], journey: null },
        },
        { customer: 'and old clothes n shoes', expect: { cannedResponse: reply.binGuide } },
        { customer: 'nice one ta-ra', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'a bin day, then a missed bin at the same postcode',
      turns: [
        {
          customer: "what day's collection for RS2 9NF?",
          expect: {
            cannedResponse: reply.collectionDay,
            tools: [{ name: 'collection_day', arguments: { postcode: 'RS2 9NF' } }],
            journey: null,
          },
        },
        {
          // The postcode was just given: a good adviser does not ask for it again.
          customer: 'right, well the blue bin wasnt emptied last wednesday',
          expect: {
            cannedResponse: reply.missedLogged,
            tools: [
              {
                name: 'log_missed_collection',
                arguments: { postcode: 'RS2 9NF', bin: 'blue' },
              },
            ],
            journey: missed('logged'),
          },
        },
      ],
    },
    {
      name: 'garden waste with typos, then a stolen green bin',
      turns: [
        {
          customer: 'how much is garden wast colection',
          expect: { cannedResponse: reply.gardenWaste, guidelines: ['garden_waste'], tools: [] },
        },
        {
          customer: 'my green bin got stolen last month tho, do i have to pay for a new one',
          expect: {
            cannedResponse: reply.replaceBin,
            guidelines: ['damaged_stolen_bin'],
            tools: [],
            journey: null,
          },
        },
      ],
    },
    {
      name: 'christmas collections, the tree, and the tip on boxing day',
      // A Monday in December, a week and a half before Christmas.
      at: '2026-12-14T10:00:00Z',
      turns: [
        {
          customer: 'are bin days changing over christmas?',
          expect: {
            cannedResponse: reply.holidayCollections,
            guidelines: ['holiday_collections'],
            tools: [],
            journey: null,
          },
        },
        {
          customer: 'what do i do with the real tree after',
          expect: { cannedResponse: reply.holidayCollections },
        },
        {
          customer: 'and is the tip open on boxing day',
          expect: { cannedResponse: reply.recyclingCentre },
        },
      ],
    },
  ],
};
