import {
  createBrightsmileDental,
  brightsmileTemplates as reply,
} from './agents/brightsmile-dental';
import type { EvaluationSuite } from './evaluation-suite-types';

// Labelled before any run: each expectation is what a competent receptionist, answering only
// with the clinic's canned responses, would do. Unless a scenario says otherwise it happens on
// Monday 15 June 2026 at 09:00 UTC, so "tomorrow" is Tuesday 16 June (fully booked), "the day
// after tomorrow" Wednesday 17 June, "this Saturday" 20 June, "this Sunday" 21 June (closed)
// and "the 23rd" Tuesday 23 June.

const booking = (state: string) => ({ journey: 'book_appointment', state });
const cancelling = (state: string) => ({ journey: 'cancel_appointment', state });
const moving = (state: string) => ({ journey: 'reschedule_appointment', state });

/** The Brightsmile Dental assistant and its labelled conversations. */
export const brightsmileDentalSuite: EvaluationSuite = {
  name: 'Brightsmile Dental',
  agent: createBrightsmileDental(),
  scenarios: [
    {
      name: 'evening greeting, opening hours and a follow-up',
      at: '2026-06-15T18:45:00Z',
      turns: [
        { customer: 'good evening!', expect: { cannedResponse: reply.greeting, tools: [] } },
        {
          customer: 'what time do u open tomorrow morning',
          expect: { cannedResponse: reply.openingHours, journey: null },
        },
        // Leans on the turn before: still the opening hours.
        { customer: 'and on saturdays?', expect: { cannedResponse: reply.openingHours } },
        { customer: 'great thanks, bye!', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'address and parking',
      turns: [
        { customer: 'hiya', expect: { cannedResponse: reply.greeting } },
        {
          customer: 'where exactly is the practice?',
          expect: { cannedResponse: reply.location, guidelines: ['location'] },
        },
        {
          customer: 'can I leave my car somewhere close by?',
          expect: { cannedResponse: reply.location },
        },
        { customer: 'cheers', expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'prices with follow-ups',
      turns: [
        {
          customer: 'how much do you charge for a scale and polish',
          expect: {
            cannedResponse: reply.prices,
            guidelines: ['prices'],
            tools: [],
            journey: null,
          },
        },
        { customer: 'and whitening?', expect: { cannedResponse: reply.prices } },
        // "that" is the whitening: the insurance answer is the closest a canned reply gets.
        { customer: 'would my Denplan cover that?', expect: { cannedResponse: reply.insurance } },
      ],
    },
    {
      name: 'insurance and the NHS',
      turns: [
        {
          customer: 'do u accept vitality dental insurance',
          expect: { cannedResponse: reply.insurance, guidelines: ['insurance'] },
        },
        {
          customer: 'Can I get treated on the NHS with you?',
          expect: { cannedResponse: reply.insurance },
        },
        {
          customer: 'ok, what does a checkup cost then?',
          expect: { cannedResponse: reply.prices },
        },
      ],
    },
    {
      name: 'knocked-out tooth',
      turns: [
        {
          customer: 'help, my son fell off his bike and one of his front teeth came out',
          expect: {
            cannedResponse: reply.emergency,
            guidelines: ['dental_emergency'],
            tools: [],
            journey: null,
          },
        },
        // The emergency reply already covers the out-of-hours case.
        { customer: "what if it's after you close?", expect: { cannedResponse: reply.emergency } },
      ],
    },
    {
      name: 'swelling on a Saturday night',
      at: '2026-06-20T22:10:00Z',
      turns: [
        {
          customer: "my jaw is throbbing and my cheek has swollen up, I can't sleep",
          expect: { cannedResponse: reply.emergency, guidelines: ['dental_emergency'] },
        },
      ],
    },
    {
      name: 'a family registering',
      turns: [
        {
          customer: 'we just moved to Edinburgh, can the whole family sign up with you?',
          expect: {
            cannedResponse: reply.newPatients,
            guidelines: ['new_patients'],
            journey: null,
          },
        },
        {
          customer: "and what's the price of that first visit",
          expect: { cannedResponse: reply.prices },
        },
        {
          customer: 'my daughter is 4, is she too young?',
          expect: { cannedResponse: reply.newPatients },
        },
      ],
    },
    {
      name: 'out of scope',
      turns: [
        {
          customer: 'can you recommend a good toothpaste brand?',
          expect: { fallback: true, tools: [], journey: null },
        },
        { customer: 'do you do botox?', expect: { fallback: true, journey: null } },
        { customer: "what's the weather like in Edinburgh today", expect: { fallback: true } },
        { customer: 'Do you sell gift vouchers?', expect: { fallback: true } },
      ],
    },
    {
      name: 'booking step by step, a free slot',
      turns: [
        {
          customer: "I'd like to make an appointment please",
          expect: {
            cannedResponse: reply.askTreatment,
            tools: [],
            journey: booking('ask_treatment'),
          },
        },
        {
          customer: 'just a routine check up',
          expect: { cannedResponse: reply.askDay, tools: [], journey: booking('ask_day') },
        },
        {
          customer: 'the day after tomorrow if possible',
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'checkup', date: '2026-06-17' },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: 'yes please book it',
          expect: {
            cannedResponse: reply.booked,
            tools: [
              { name: 'book_appointment', arguments: { treatment: 'checkup', date: '2026-06-17' } },
            ],
            journey: booking('booked'),
          },
        },
        {
          customer: 'perfect, thank you so much!',
          expect: { cannedResponse: reply.goodbye, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'booking with treatment and day in the first message',
      // A Wednesday: "next Tuesday" is 23 June.
      at: '2026-06-17T14:00:00Z',
      turns: [
        {
          customer: "I'd like to book a hygiene appointment for next Tuesday",
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'hygiene', date: '2026-06-23' },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: 'yep that works',
          expect: {
            cannedResponse: reply.booked,
            tools: [
              { name: 'book_appointment', arguments: { treatment: 'hygiene', date: '2026-06-23' } },
            ],
            journey: booking('booked'),
          },
        },
      ],
    },
    {
      name: 'booking a filling, tomorrow is full',
      turns: [
        {
          customer: 'I need a filling, can you fit me in?',
          expect: { cannedResponse: reply.askDay, tools: [], journey: booking('ask_day') },
        },
        {
          customer: 'tomorrow',
          expect: {
            cannedResponse: reply.dayFull,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'filling', date: '2026-06-16' },
              },
            ],
            journey: booking('day_full'),
          },
        },
        {
          customer: 'ok wednesday then',
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'filling', date: '2026-06-17' },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: 'great, book me in',
          expect: {
            cannedResponse: reply.booked,
            tools: [
              { name: 'book_appointment', arguments: { treatment: 'filling', date: '2026-06-17' } },
            ],
            journey: booking('booked'),
          },
        },
      ],
    },
    {
      name: 'booking whitening with side questions',
      turns: [
        {
          customer: 'can I book teeth whitening?',
          expect: { cannedResponse: reply.askDay, tools: [], journey: booking('ask_day') },
        },
        {
          customer: 'before I pick a day, do you take AXA insurance?',
          expect: { cannedResponse: reply.insurance, tools: [], journey: booking('ask_day') },
        },
        {
          customer: 'Friday the 19th',
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'whitening', date: '2026-06-19' },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: "actually what's your address again?",
          expect: { cannedResponse: reply.location, tools: [], journey: booking('offer_slot') },
        },
        {
          customer: 'ok go ahead and book it',
          expect: {
            cannedResponse: reply.booked,
            tools: [
              {
                name: 'book_appointment',
                arguments: { treatment: 'whitening', date: '2026-06-19' },
              },
            ],
            journey: booking('booked'),
          },
        },
      ],
    },
    {
      name: 'booking on a Sunday, then not booking',
      turns: [
        {
          customer: 'Do you have anything this Sunday for a check-up?',
          expect: {
            cannedResponse: reply.dayFull,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'checkup', date: '2026-06-21' },
              },
            ],
            journey: booking('day_full'),
          },
        },
        {
          customer: 'saturday the 20th then',
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'checkup', date: '2026-06-20' },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: "hmm, no, I'll leave it for now",
          expect: { cannedResponse: reply.notBooked, tools: [], journey: booking('not_booked') },
        },
      ],
    },
    {
      name: 'booking by date of the month, then another day',
      turns: [
        {
          customer: "I'd like an appointment with one of your dentists",
          expect: {
            cannedResponse: reply.askTreatment,
            tools: [],
            journey: booking('ask_treatment'),
          },
        },
        {
          customer: 'a check-up on the 23rd',
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'checkup', date: '2026-06-23' },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: 'no, can you do the 25th instead?',
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'checkup', date: '2026-06-25' },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: 'yes that one',
          expect: {
            cannedResponse: reply.booked,
            tools: [
              { name: 'book_appointment', arguments: { treatment: 'checkup', date: '2026-06-25' } },
            ],
            journey: booking('booked'),
          },
        },
      ],
    },
    {
      name: 'booking for two children',
      turns: [
        {
          customer: 'could I book check-ups for my two boys this Saturday?',
          expect: {
            cannedResponse: reply.slotFree,
            tools: [
              {
                name: 'check_availability',
                arguments: { treatment: 'checkup', date: '2026-06-20', patients: 2 },
              },
            ],
            journey: booking('offer_slot'),
          },
        },
        {
          customer: 'lovely, yes please',
          expect: {
            cannedResponse: reply.booked,
            tools: [
              {
                name: 'book_appointment',
                arguments: { treatment: 'checkup', date: '2026-06-20', patients: 2 },
              },
            ],
            journey: booking('booked'),
          },
        },
      ],
    },
    {
      name: 'cancelling with the reference up front',
      turns: [
        {
          customer: 'I need to cancel my appointment BS-1042, something came up at work',
          expect: {
            cannedResponse: reply.confirmCancel,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1042' } }],
            journey: cancelling('confirm_cancel'),
          },
        },
        {
          // The reply names the day and time the lookup of the turn before found.
          customer: 'yes cancel it',
          expect: {
            cannedResponse: reply.cancelled,
            tools: [{ name: 'cancel_appointment', arguments: { reference: 'BS-1042' } }],
            journey: cancelling('cancelled'),
          },
        },
        {
          customer: 'brill, thanks. bye for now',
          expect: { cannedResponse: reply.goodbye, journey: null },
        },
      ],
    },
    {
      name: 'cancelling: a mistyped reference, then keeping it',
      turns: [
        {
          customer: "I won't be able to make it to my appointment, can I cancel?",
          expect: {
            cannedResponse: reply.askReference,
            tools: [],
            journey: cancelling('ask_reference'),
          },
        },
        {
          customer: "it's BS-1024",
          expect: {
            cannedResponse: reply.appointmentNotFound,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1024' } }],
            journey: cancelling('not_found'),
          },
        },
        {
          customer: 'sorry, typo, BS-1057',
          expect: {
            cannedResponse: reply.confirmCancel,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1057' } }],
            journey: cancelling('confirm_cancel'),
          },
        },
        {
          customer: "actually no, I'll keep it",
          expect: { cannedResponse: reply.keptAppointment, tools: [], journey: cancelling('kept') },
        },
        {
          customer: 'by the way, how much is the hygienist?',
          expect: { cannedResponse: reply.prices, tools: [], journey: null },
        },
      ],
    },
    {
      name: 'moving an appointment: the new day is full, then one that is free',
      turns: [
        {
          customer: 'can I move my appointment to another day? ref bs-1063',
          expect: {
            cannedResponse: reply.askNewDay,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1063' } }],
            journey: moving('ask_new_day'),
          },
        },
        {
          customer: 'tomorrow afternoon would be ideal',
          expect: {
            cannedResponse: reply.newDayFull,
            tools: [
              { name: 'move_appointment', arguments: { reference: 'BS-1063', date: '2026-06-16' } },
            ],
            journey: moving('new_day_full'),
          },
        },
        {
          customer: 'then thursday',
          expect: {
            cannedResponse: reply.moved,
            tools: [
              { name: 'move_appointment', arguments: { reference: 'BS-1063', date: '2026-06-18' } },
            ],
            journey: moving('moved'),
          },
        },
      ],
    },
    {
      name: 'moving a hygiene visit, with an out-of-scope question on the way',
      turns: [
        {
          customer: 'I need to change the date of my hygiene visit',
          expect: {
            cannedResponse: reply.askReference,
            tools: [],
            journey: moving('ask_reference'),
          },
        },
        {
          customer: 'BS-1057',
          expect: {
            cannedResponse: reply.askNewDay,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1057' } }],
            journey: moving('ask_new_day'),
          },
        },
        {
          customer: 'is it ok to eat right before a cleaning?',
          expect: { fallback: true, tools: [], journey: moving('ask_new_day') },
        },
        {
          customer: "ok, let's say monday the 22nd",
          expect: {
            cannedResponse: reply.moved,
            tools: [
              { name: 'move_appointment', arguments: { reference: 'BS-1057', date: '2026-06-22' } },
            ],
            journey: moving('moved'),
          },
        },
      ],
    },
    {
      name: 'moving an appointment: an unknown reference, then the right one',
      turns: [
        {
          customer: "I'd like to reschedule BS-1142 please",
          expect: {
            cannedResponse: reply.appointmentNotFound,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1142' } }],
            journey: moving('not_found'),
          },
        },
        {
          customer: 'my bad, BS-1042',
          expect: {
            cannedResponse: reply.askNewDay,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1042' } }],
            journey: moving('ask_new_day'),
          },
        },
        {
          customer: 'Saturday morning please',
          expect: {
            cannedResponse: reply.moved,
            tools: [
              { name: 'move_appointment', arguments: { reference: 'BS-1042', date: '2026-06-20' } },
            ],
            journey: moving('moved'),
          },
        },
      ],
    },
    {
      name: 'checking an appointment',
      turns: [
        {
          customer: "what time's my check-up on thursday? the reference is BS-1042",
          expect: {
            cannedResponse: reply.appointmentFound,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1042' } }],
            guidelines: ['appointment_details'],
            journey: null,
          },
        },
        {
          customer: 'and where do I need to go?',
          expect: { cannedResponse: reply.location, tools: [] },
        },
      ],
    },
    {
      name: 'checking an appointment: reference asked, unknown, then found',
      turns: [
        {
          customer: "Could you remind me when I'm booked in?",
          expect: { cannedResponse: reply.askReference, tools: [], journey: null },
        },
        {
          customer: 'BS-9999',
          expect: {
            cannedResponse: reply.appointmentNotFound,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-9999' } }],
          },
        },
        {
          customer: "oh hang on, it's BS-1063",
          expect: {
            cannedResponse: reply.appointmentFound,
            tools: [{ name: 'lookup_appointment', arguments: { reference: 'BS-1063' } }],
          },
        },
      ],
    },
    {
      name: 'short hello and goodbye',
      turns: [
        { customer: 'Morning!', expect: { cannedResponse: reply.greeting } },
        { customer: "ok that's everything, bye!", expect: { cannedResponse: reply.goodbye } },
      ],
    },
    {
      name: 'a nervous patient',
      turns: [
        {
          customer: "Hello, I'm a nervous patient, do you offer sedation?",
          expect: { fallback: true },
        },
        {
          customer: 'ok. how do I get to you by tram?',
          expect: { cannedResponse: reply.location },
        },
        {
          customer: 'and what time do you shut on friday?',
          expect: { cannedResponse: reply.openingHours },
        },
      ],
    },
  ],
};
