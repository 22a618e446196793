import { z } from 'zod';
import { type AgentDefinition, defineAgent } from '../../../src/definition/define-agent';
import { type ToolDefinition, tool } from '../../../src/tools/tool';

// Brightsmile Dental, a fictional clinic in Edinburgh: the assistant on its website. Written as
// the clinic's owner would write it, for an evaluation of the no-LLM mode on an agent nobody
// tuned the engine to. Its fake data is dated around the suites' fixed clock, Monday 15 June
// 2026: the customer says "tomorrow", the engine's clock turns it into a date, and the tools
// only ever see ISO dates, so they need no clock of their own.

/** The agent's name: what a sync finds it by. */
export const brightsmileAgentName = 'Brightsmile Dental Assistant';

/**
 * What the assistant says when nothing it knows fits (the engine's `fallbackReply` option: a
 * definition has no field for it). Not a canned response, so no template competes with it.
 */
export const brightsmileFallbackReply =
  "Sorry, I can't help with that here. I can tell you about our opening hours, address, prices and insurance, help in a dental emergency, and book, move or cancel an appointment.";

/** Every canned response of the agent, by what it is for: suites name the one they expect. */
export const brightsmileTemplates = {
  greeting:
    'Hello, and welcome to Brightsmile Dental! I can help with opening hours, prices, insurance and dental emergencies, and book, move or cancel an appointment. How can I help?',
  goodbye: "You're welcome! Thanks for contacting Brightsmile Dental. Take care, and keep smiling!",
  openingHours:
    'We are open {{hours.weekdays}} Monday to Friday and {{hours.saturday}} on Saturday; on Sunday we are {{hours.sunday}}.',
  location:
    'Brightsmile Dental is at {{clinic.address}}, {{clinic.directions}}. If you come by car, there are {{clinic.parking}}.',
  prices:
    'Our prices: a check-up is {{prices.checkup}}, a hygiene appointment (scale and polish) {{prices.hygiene}}, teeth whitening {{prices.whitening}} and a white filling {{prices.filling}}.',
  insurance:
    "We accept {{insurance.accepted}}: bring your policy details and we claim for you. We are a private practice, so we don't provide NHS treatment.",
  emergency:
    "I'm sorry you're in pain. Call our emergency line on {{clinic.emergencyPhone}}: we keep same-day emergency appointments every day we are open. Outside our opening hours, call NHS 24 on 111. If a tooth has been knocked out, hold it by the crown, keep it in milk and come in within the hour. If swelling makes it hard to breathe or swallow, go to A&E.",
  newPatients:
    "Yes, we welcome new patients of every age, children too. There's nothing to fill in beforehand: your first visit is a check-up ({{prices.checkup}}), and I can book it for you right here.",
  askReference:
    'What is your appointment reference? It starts with BS, like BS-1042, and is in your confirmation email or text.',
  appointmentFound:
    'Your {{lookup_appointment.appointment.treatment}} (reference {{lookup_appointment.appointment.reference}}) is on {{lookup_appointment.appointment.day}} at {{lookup_appointment.appointment.time}} with {{lookup_appointment.appointment.clinician}}.',
  appointmentNotFound:
    "Sorry, I couldn't find an appointment with the reference {{lookup_appointment.notFound.reference}}. Please check it in your confirmation email or text: it looks like BS-1042.",
  // book_appointment journey
  askTreatment:
    'Happy to book you in. Which treatment is it for: a check-up, a hygiene appointment, teeth whitening or a filling?',
  askDay: 'Which day would suit you? We are open Monday to Saturday.',
  slotFree:
    'Good news: {{check_availability.slot.day}} at {{check_availability.slot.time}} is free for {{check_availability.slot.what}} with {{check_availability.slot.clinician}} ({{check_availability.slot.price}}). Shall I book it for you?',
  dayFull:
    'Sorry, {{check_availability.full.day}} is not possible: {{check_availability.full.reason}}. The first free day is {{check_availability.nextFree.day}}, at {{check_availability.nextFree.time}}. Which other day would suit you?',
  booked:
    "You're booked in: {{book_appointment.appointment.what}} on {{book_appointment.appointment.day}} at {{book_appointment.appointment.time}} with {{book_appointment.appointment.clinician}}. Your reference is {{book_appointment.appointment.reference}}; we'll text you a reminder the day before.",
  slotTaken:
    'Sorry, that slot has just been taken: {{book_appointment.full.day}} is no longer free. The first free day is {{book_appointment.nextFree.day}}. Which other day would suit you?',
  notBooked: "No problem, I haven't booked anything. Just ask whenever you'd like an appointment.",
  // cancel_appointment journey
  confirmCancel:
    'I found your {{lookup_appointment.appointment.treatment}} on {{lookup_appointment.appointment.day}} at {{lookup_appointment.appointment.time}}. Shall I cancel it?',
  cancelled:
    "Done: your {{lookup_appointment.appointment.treatment}} on {{lookup_appointment.appointment.day}} at {{lookup_appointment.appointment.time}} ({{cancel_appointment.reference}}) is cancelled. If you'd like a new appointment, just ask.",
  keptAppointment: 'No problem, your appointment stays as it is. See you then!',
  // reschedule_appointment journey
  askNewDay:
    'Your {{lookup_appointment.appointment.treatment}} is on {{lookup_appointment.appointment.day}} at {{lookup_appointment.appointment.time}}. Which day would you like to move it to?',
  moved:
    'Done: your {{lookup_appointment.appointment.treatment}} is moved from {{lookup_appointment.appointment.day}} to {{move_appointment.appointment.day}} at {{move_appointment.appointment.time}}. Your reference stays {{lookup_appointment.appointment.reference}}.',
  newDayFull:
    'Sorry, {{move_appointment.full.day}} is not possible: {{move_appointment.full.reason}}. The first free day is {{move_appointment.nextFree.day}}, at {{move_appointment.nextFree.time}}. Which day would you like instead?',
} as const;

// ---------------------------------------------------------------------------------------------
// Fake clinic data
// ---------------------------------------------------------------------------------------------

const treatments = ['checkup', 'hygiene', 'whitening', 'filling'] as const;
type Treatment = (typeof treatments)[number];

const treatmentNames: Record<Treatment, { one: string; many: string; price: number }> = {
  checkup: { one: 'check-up', many: 'check-ups', price: 45 },
  hygiene: { one: 'hygiene appointment', many: 'hygiene appointments', price: 65 },
  whitening: { one: 'teeth whitening session', many: 'teeth whitening sessions', price: 295 },
  filling: { one: 'white filling', many: 'white fillings', price: 95 },
};

/** Days on which every chair is taken (a Tuesday and a Friday after the suites' Monday). */
const fullyBooked = new Set(['2026-06-16', '2026-06-26']);

/** The first free time of a weekday (0 = Sunday, closed); whitening has its own afternoon slot. */
const firstFreeTime = ['', '08:45', '11:15', '10:30', '09:15', '16:00', '09:30'] as const;

/** Booked appointments, by reference. */
const appointments: Record<
  string,
  { treatment: Treatment; date: string; time: string; patient: string }
> = {
  'BS-1042': { treatment: 'checkup', date: '2026-06-18', time: '10:00', patient: 'James Fraser' },
  'BS-1057': { treatment: 'hygiene', date: '2026-06-16', time: '15:30', patient: 'Morag Stewart' },
  'BS-1063': { treatment: 'filling', date: '2026-06-19', time: '11:00', patient: 'Ravi Menon' },
};

const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const months = [
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

const dayMs = 86_400_000;
const dateOf = (iso: string) => new Date(`${iso}T00:00:00Z`);
const isoOf = (date: Date) => date.toISOString().slice(0, 10);

/** "Wednesday 17 June", as the clinic writes a day. */
function dayName(iso: string): string {
  const date = dateOf(iso);
  return `${weekdays[date.getUTCDay()]} ${date.getUTCDate()} ${months[date.getUTCMonth()]}`;
}

function clinicianFor(treatment: Treatment, iso: string): string {
  if (treatment === 'hygiene') return 'Lucy Brennan, our hygienist';
  return dateOf(iso).getUTCDay() <= 3 ? 'Dr Amira Okafor' : 'Dr Tomasz Nowak';
}

function timeFor(treatment: Treatment, iso: string): string {
  const weekday = dateOf(iso).getUTCDay();
  if (treatment === 'whitening') return weekday === 6 ? '11:00' : '14:00';
  return firstFreeTime[weekday] ?? '';
}

/** Why nothing is free on a day, or null when something is. */
function closedReason(iso: string): string | null {
  if (dateOf(iso).getUTCDay() === 0) return 'we are closed on Sundays';
  if (fullyBooked.has(iso)) return 'every slot that day is already taken';
  return null;
}

function nextFreeAfter(iso: string, treatment: Treatment) {
  let date = isoOf(new Date(dateOf(iso).getTime() + dayMs));
  while (closedReason(date) !== null) {
    date = isoOf(new Date(dateOf(date).getTime() + dayMs));
  }
  return { date, day: dayName(date), time: timeFor(treatment, date) };
}

/** The free slot of a day for some patients, back to back, or why there is none. */
function availability(treatment: Treatment, date: string, patients: number) {
  const reason = closedReason(date);
  if (reason !== null) {
    return {
      available: false as const,
      full: { date, day: dayName(date), reason },
      nextFree: nextFreeAfter(date, treatment),
    };
  }
  const names = treatmentNames[treatment];
  return {
    available: true as const,
    slot: {
      date,
      day: dayName(date),
      time: timeFor(treatment, date),
      treatment,
      patients,
      what:
        patients === 1 ? `a ${names.one}` : `${names.many} for ${patients} people, back to back`,
      clinician: clinicianFor(treatment, date),
      price: patients === 1 ? `£${names.price}` : `£${names.price * patients} in total`,
    },
  };
}

/** An appointment as the templates show it. */
function describeAppointment(reference: string) {
  const appointment = appointments[reference];
  if (!appointment) return null;
  return {
    reference,
    treatment: treatmentNames[appointment.treatment].one,
    date: appointment.date,
    day: dayName(appointment.date),
    time: appointment.time,
    clinician: clinicianFor(appointment.treatment, appointment.date),
  };
}

// ---------------------------------------------------------------------------------------------
// Tools
// ---------------------------------------------------------------------------------------------

const reference = z
  .string()
  .regex(/^BS-\d{4}$/)
  .describe('The appointment reference, like BS-1042');

const day = z.iso.date().describe('The day of the appointment');

const treatment = z.enum(treatments).meta({
  description: 'The treatment',
  extract: {
    synonyms: {
      checkup: ['check-up', 'check up', 'checkup', 'examination', 'exam', 'routine visit'],
      hygiene: ['hygienist', 'scale and polish', 'cleaning', 'clean', 'hygiene'],
      whitening: ['teeth whitening', 'whitening', 'whiten', 'bleaching'],
      filling: ['filling', 'white filling', 'cavity'],
    },
  },
});

const patients = z
  .number()
  .int()
  .min(1)
  .max(6)
  .default(1)
  .describe('How many people the appointment is for (a family gets back-to-back slots)');

/**
 * The clinic's fake diary: `check_availability`, `book_appointment`, `lookup_appointment`,
 * `cancel_appointment` and `move_appointment`, each result one shape per outcome
 * (`{ available: true, slot }` / `{ available: false, full, nextFree }`, `{ found: true,
 * appointment }` / `{ found: false, notFound }`…). Deterministic: bookings, cancellations and
 * moves are answered, not stored, so every scenario starts from the same diary.
 */
export function createBrightsmileTools(): ToolDefinition[] {
  const checkAvailability = tool({
    name: 'check_availability',
    description:
      'Finds the first free slot for a treatment on a day, or says why the day is not possible and which day is the first free one.',
    parameters: z.object({ treatment, date: day, patients }),
    handler: ({ treatment, date, patients }) => availability(treatment, date, patients),
  });

  const bookAppointment = tool({
    name: 'book_appointment',
    description: 'Books the free slot of a day for a treatment and gives its reference.',
    parameters: z.object({ treatment, date: day, patients }),
    handler: ({ treatment, date, patients }) => {
      const found = availability(treatment, date, patients);
      if (!found.available) return { booked: false, full: found.full, nextFree: found.nextFree };
      const day = String(dateOf(date).getUTCDate()).padStart(2, '0');
      return {
        booked: true,
        appointment: {
          ...found.slot,
          reference: `BS-2${day}${treatments.indexOf(treatment)}`,
        },
      };
    },
  });

  const lookupAppointment = tool({
    name: 'lookup_appointment',
    description: 'Finds a booked appointment by its reference, like BS-1042.',
    parameters: z.object({ reference }),
    handler: ({ reference }) => {
      const appointment = describeAppointment(reference);
      return appointment ? { found: true, appointment } : { found: false, notFound: { reference } };
    },
  });

  const cancelAppointment = tool({
    name: 'cancel_appointment',
    description: 'Cancels a booked appointment by its reference.',
    parameters: z.object({ reference }),
    handler: ({ reference }) =>
      appointments[reference]
        ? { cancelled: true, reference }
        : { cancelled: false, notFound: { reference } },
  });

  const moveAppointment = tool({
    name: 'move_appointment',
    description:
      'Moves a booked appointment to the free slot of another day, or says why that day is not possible.',
    parameters: z.object({ reference, date: day }),
    handler: ({ reference, date }) => {
      const booked = appointments[reference];
      if (!booked) return { moved: false, notFound: { reference } };
      const found = availability(booked.treatment, date, 1);
      if (!found.available) return { moved: false, full: found.full, nextFree: found.nextFree };
      return {
        moved: true,
        appointment: {
          reference,
          date,
          day: found.slot.day,
          time: found.slot.time,
          clinician: found.slot.clinician,
        },
      };
    },
  });

  return [
    checkAvailability,
    bookAppointment,
    lookupAppointment,
    cancelAppointment,
    moveAppointment,
  ];
}

// ---------------------------------------------------------------------------------------------
// The agent
// ---------------------------------------------------------------------------------------------

/**
 * The Brightsmile Dental assistant: opening hours, address, prices, insurance, emergencies,
 * new patients, checking an appointment, and three journeys (book, cancel, reschedule). Replies
 * come from its canned responses only (`canned_strict`).
 */
export function createBrightsmileDental(): AgentDefinition {
  return defineAgent({
    name: brightsmileAgentName,
    description:
      'The assistant of Brightsmile Dental, a private dental clinic in Edinburgh: opening hours, address, prices, insurance, dental emergencies and appointments.',
    compositionMode: 'canned_strict',
    tools: createBrightsmileTools(),
    variables: [
      {
        name: 'clinic',
        description: 'Where the clinic is and how to reach it',
        defaultValue: {
          address: '24 Elm Row, Edinburgh EH7 4AA',
          directions: 'at the top of Leith Walk, a 5-minute walk from the Picardy Place tram stop',
          parking: 'pay-and-display bays on London Road, 2 minutes away',
          phone: '0131 496 0123',
          emergencyPhone: '0131 496 0199',
        },
      },
      {
        name: 'hours',
        description: 'Opening hours of the clinic',
        defaultValue: { weekdays: '8:00 to 18:00', saturday: '9:00 to 13:00', sunday: 'closed' },
      },
      {
        name: 'prices',
        description: 'Prices of the treatments',
        defaultValue: {
          checkup: '£45',
          hygiene: '£65',
          whitening: '£295',
          filling: 'from £95',
        },
      },
      {
        name: 'insurance',
        description: 'Dental insurance and plans the clinic accepts',
        defaultValue: { accepted: 'Bupa Dental, Denplan, AXA Health, Simplyhealth and Vitality' },
      },
    ],
    terms: [
      {
        name: 'hygiene appointment',
        description: 'A scale and polish with our hygienist, 30 minutes.',
        synonyms: ['scale and polish', 'cleaning', 'hygienist'],
      },
      {
        name: 'appointment reference',
        description: 'The code of a booking, like BS-1042, in the confirmation email or text.',
        synonyms: ['booking reference', 'reference number'],
      },
    ],
    guidelines: [
      {
        key: 'greeting',
        condition: 'the customer greets the assistant or says hello',
        action: 'greet them and say what you can help with',
        examples: ['hello', 'hi there', 'good morning'],
      },
      {
        key: 'thanks_goodbye',
        condition: 'the customer thanks the assistant or says goodbye',
        action: 'say they are welcome and say goodbye',
        examples: ['thank you', 'thanks, bye', "that's all, goodbye"],
      },
      {
        key: 'opening_hours',
        condition: 'the customer asks when the clinic is open',
        action: 'give the opening hours',
        examples: [
          'what are your opening hours?',
          'are you open on Saturdays?',
          'what time do you close?',
        ],
      },
      {
        key: 'location',
        condition: 'the customer asks where the clinic is, how to get there or where to park',
        action: 'give the address, directions and parking',
        examples: ['what is your address?', 'where are you located?', 'is there parking nearby?'],
      },
      {
        key: 'prices',
        condition: 'the customer asks how much a treatment costs',
        action: 'give the prices of the treatments',
        examples: [
          'how much is a check-up?',
          'what are your prices?',
          'how much does teeth whitening cost?',
          'price of a filling',
        ],
      },
      {
        key: 'insurance',
        condition:
          'the customer asks which dental insurance or plans the clinic accepts, or about NHS treatment',
        action: 'name the insurers accepted and say the clinic is private, not NHS',
        examples: [
          'which insurance do you accept?',
          'do you take Bupa?',
          'are you an NHS dentist?',
        ],
      },
      {
        key: 'dental_emergency',
        condition:
          'the customer has a dental emergency: severe toothache, swelling, bleeding, a broken or knocked-out tooth',
        action: 'give the emergency line, the out-of-hours number and what to do right now',
        criticality: 'high',
        examples: [
          'I have terrible toothache',
          'my tooth got knocked out',
          'my face is swollen and it hurts',
          'I broke a tooth',
        ],
      },
      {
        key: 'new_patients',
        condition: 'the customer asks whether the clinic takes new patients or children',
        action: 'say new patients of every age are welcome and the first visit is a check-up',
        examples: ['are you taking new patients?', 'do you see children?', 'how do I register?'],
      },
      {
        key: 'appointment_details',
        condition: 'the customer asks when their appointment is or wants to check its details',
        action: 'look the appointment up by its reference and tell its day, time and clinician',
        tools: ['lookup_appointment'],
        examples: [
          'when is my appointment?',
          'can you check my booking BS-1042?',
          'what time is my appointment',
        ],
      },
    ],
    journeys: [
      {
        key: 'book_appointment',
        title: 'Book an appointment',
        description:
          'Finds a free slot for a treatment on the day the customer wants, and books it.',
        conditions: [
          'the customer wants to book an appointment',
          'the customer wants to see a dentist or the hygienist',
          'the customer asks "can I make an appointment?" or "do you have a slot on Friday?"',
        ],
        initialState: 'ask_treatment',
        states: [
          {
            key: 'ask_treatment',
            kind: 'chat',
            action: 'Ask which treatment it is for: check-up, hygiene, whitening or filling',
          },
          { key: 'ask_day', kind: 'chat', action: 'Ask which day suits them' },
          { key: 'check_day', kind: 'tool', tool: 'check_availability' },
          { key: 'day_checked', kind: 'fork' },
          {
            key: 'offer_slot',
            kind: 'chat',
            action: 'Offer the free slot and ask whether to book it',
          },
          {
            key: 'day_full',
            kind: 'chat',
            action:
              'Say the day is not possible and why, give the first free day, and ask which other day suits them',
          },
          { key: 'book', kind: 'tool', tool: 'book_appointment' },
          { key: 'booking_checked', kind: 'fork' },
          {
            key: 'booked',
            kind: 'chat',
            action: 'Confirm the booking with its day, time and reference',
          },
          {
            key: 'slot_taken',
            kind: 'chat',
            action: 'Say the slot was just taken and ask which other day suits them',
          },
          { key: 'not_booked', kind: 'chat', action: 'Say nothing was booked' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_treatment',
            to: 'ask_day',
            condition:
              'the customer says which treatment: a check-up, hygiene, whitening or a filling',
          },
          {
            from: 'ask_day',
            to: 'check_day',
            condition: 'the customer says which day: a date, a weekday, tomorrow',
          },
          { from: 'check_day', to: 'day_checked' },
          {
            from: 'day_checked',
            to: 'offer_slot',
            condition: 'a slot is free that day',
            when: { path: 'check_availability.available', equals: true },
          },
          {
            from: 'day_checked',
            to: 'day_full',
            condition: 'the day is fully booked or the clinic is closed',
            when: { path: 'check_availability.available', equals: false },
          },
          {
            from: 'offer_slot',
            to: 'book',
            condition: 'the customer accepts the slot: yes, book it',
          },
          {
            from: 'offer_slot',
            to: 'check_day',
            condition: 'the customer would rather have another day, and says which',
          },
          {
            from: 'offer_slot',
            to: 'not_booked',
            condition: 'the customer does not want to book after all',
          },
          {
            from: 'day_full',
            to: 'check_day',
            condition: 'the customer names another day',
          },
          {
            from: 'day_full',
            to: 'not_booked',
            condition: 'the customer does not want to book after all',
          },
          { from: 'book', to: 'booking_checked' },
          {
            from: 'booking_checked',
            to: 'booked',
            condition: 'the appointment is booked',
            when: { path: 'book_appointment.booked', equals: true },
          },
          {
            from: 'booking_checked',
            to: 'slot_taken',
            condition: 'the slot was taken in the meantime',
            when: { path: 'book_appointment.booked', equals: false },
          },
          {
            from: 'slot_taken',
            to: 'check_day',
            condition: 'the customer names another day',
          },
          {
            from: 'slot_taken',
            to: 'not_booked',
            condition: 'the customer does not want to book after all',
          },
          { from: 'booked', to: 'done' },
          { from: 'not_booked', to: 'done' },
        ],
      },
      {
        key: 'cancel_appointment',
        title: 'Cancel an appointment',
        description:
          'Finds an appointment by its reference and cancels it once the customer confirms.',
        conditions: [
          'the customer wants to cancel an appointment',
          'the customer cannot come to their appointment and wants to call it off',
        ],
        initialState: 'ask_reference',
        states: [
          { key: 'ask_reference', kind: 'chat', action: 'Ask for the appointment reference' },
          { key: 'lookup', kind: 'tool', tool: 'lookup_appointment' },
          { key: 'lookup_checked', kind: 'fork' },
          {
            key: 'confirm_cancel',
            kind: 'chat',
            action: 'Tell which appointment was found and ask whether to cancel it',
          },
          {
            key: 'not_found',
            kind: 'chat',
            action: 'Say no appointment has that reference and ask them to check it',
          },
          { key: 'cancel', kind: 'tool', tool: 'cancel_appointment' },
          { key: 'cancelled', kind: 'chat', action: 'Confirm the appointment is cancelled' },
          { key: 'kept', kind: 'chat', action: 'Say the appointment stays as it is' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_reference',
            to: 'lookup',
            condition: 'the customer gives the reference, like BS-1042',
          },
          { from: 'lookup', to: 'lookup_checked' },
          {
            from: 'lookup_checked',
            to: 'confirm_cancel',
            condition: 'the appointment was found',
            when: { path: 'lookup_appointment.found', equals: true },
          },
          {
            from: 'lookup_checked',
            to: 'not_found',
            condition: 'no appointment has that reference',
            when: { path: 'lookup_appointment.found', equals: false },
          },
          {
            from: 'not_found',
            to: 'lookup',
            condition: 'the customer gives another reference',
          },
          {
            from: 'confirm_cancel',
            to: 'cancel',
            condition: 'the customer confirms: yes, cancel it',
          },
          {
            from: 'confirm_cancel',
            to: 'kept',
            condition: 'the customer wants to keep the appointment after all',
          },
          { from: 'cancel', to: 'cancelled' },
          { from: 'cancelled', to: 'done' },
          { from: 'kept', to: 'done' },
        ],
      },
      {
        key: 'reschedule_appointment',
        title: 'Move an appointment',
        description: 'Finds an appointment by its reference and moves it to another day.',
        conditions: [
          'the customer wants to move, change or reschedule an appointment to another day',
          'the customer asks "can I change the date of my appointment?"',
        ],
        initialState: 'ask_reference',
        states: [
          { key: 'ask_reference', kind: 'chat', action: 'Ask for the appointment reference' },
          { key: 'lookup', kind: 'tool', tool: 'lookup_appointment' },
          { key: 'lookup_checked', kind: 'fork' },
          {
            key: 'ask_new_day',
            kind: 'chat',
            action: 'Tell when the appointment is now and ask which day to move it to',
          },
          {
            key: 'not_found',
            kind: 'chat',
            action: 'Say no appointment has that reference and ask them to check it',
          },
          { key: 'move', kind: 'tool', tool: 'move_appointment' },
          { key: 'move_checked', kind: 'fork' },
          { key: 'moved', kind: 'chat', action: 'Confirm the new day and time' },
          {
            key: 'new_day_full',
            kind: 'chat',
            action:
              'Say the day is not possible and why, give the first free day, and ask which day they would like instead',
          },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          {
            from: 'ask_reference',
            to: 'lookup',
            condition: 'the customer gives the reference, like BS-1042',
          },
          { from: 'lookup', to: 'lookup_checked' },
          {
            from: 'lookup_checked',
            to: 'ask_new_day',
            condition: 'the appointment was found',
            when: { path: 'lookup_appointment.found', equals: true },
          },
          {
            from: 'lookup_checked',
            to: 'not_found',
            condition: 'no appointment has that reference',
            when: { path: 'lookup_appointment.found', equals: false },
          },
          {
            from: 'not_found',
            to: 'lookup',
            condition: 'the customer gives another reference',
          },
          {
            from: 'ask_new_day',
            to: 'move',
            condition: 'the customer says which day: a date, a weekday, tomorrow',
          },
          { from: 'move', to: 'move_checked' },
          {
            from: 'move_checked',
            to: 'moved',
            condition: 'the appointment was moved',
            when: { path: 'move_appointment.moved', equals: true },
          },
          {
            from: 'move_checked',
            to: 'new_day_full',
            condition: 'the day is fully booked or the clinic is closed',
            when: { path: 'move_appointment.moved', equals: false },
          },
          {
            from: 'new_day_full',
            to: 'move',
            condition: 'the customer names another day',
          },
          { from: 'moved', to: 'done' },
        ],
      },
    ],
    cannedResponses: Object.values(brightsmileTemplates).map((template) => ({ template })),
  });
}
