import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ArgumentExtractionInput, extractArguments } from './extract-arguments';

const monday = new Date('2026-06-15T09:00:00Z'); // Monday 15 June 2026

/** The JSON Schema a Parley tool carries for these parameters (see `tool.ts`). */
const schemaOf = (shape: z.ZodRawShape): Record<string, unknown> =>
  JSON.parse(JSON.stringify(z.toJSONSchema(z.object(shape), { io: 'input' })));

const extract = (
  schema: Record<string, unknown>,
  text: string,
  more: Partial<ArgumentExtractionInput> = {},
) => extractArguments({ schema, text, now: monday, ...more });

describe('extractArguments: enums', () => {
  const rooms = schemaOf({
    room: z.enum(['single', 'double', 'family_suite']).meta({
      extract: { synonyms: { double: ['twin', 'two beds'], family_suite: ['room for the kids'] } },
    }),
  });

  it('finds the value whose words the text has, in any case, plural or with spaces for _', () => {
    expect(extract(rooms, 'A DOUBLE room, please').arguments).toEqual({ room: 'double' });
    expect(extract(rooms, 'do you have family suites?').arguments).toEqual({
      room: 'family_suite',
    });
    expect(extract(rooms, 'the family-suite').arguments).toEqual({ room: 'family_suite' });
    expect(extract(rooms, 'singles only').arguments).toEqual({ room: 'single' });
  });

  it('finds synonyms declared with .meta({ extract: { synonyms } })', () => {
    expect(rooms.properties).toMatchObject({
      room: { enum: ['single', 'double', 'family_suite'], extract: { synonyms: {} } },
    });
    expect(extract(rooms, 'a twin would be great').arguments).toEqual({ room: 'double' });
    expect(extract(rooms, 'one with two beds').arguments).toEqual({ room: 'double' });
    expect(extract(rooms, 'a room for the kids').arguments).toEqual({ room: 'family_suite' });
  });

  it('reads digits in a value or synonym as the customer may spell them', () => {
    const plans = schemaOf({
      plan: z.enum(['basic_50', 'fibre_900']).meta({
        extract: { synonyms: { fibre_900: ['fibre 900'] } },
      }),
    });
    expect(extract(plans, 'upgrade to fibre nine hundred please').arguments).toEqual({
      plan: 'fibre_900',
    });
    expect(extract(plans, 'the basic fifty one').arguments).toEqual({ plan: 'basic_50' });
    expect(extract(plans, 'fibre ninety').arguments).toEqual({});
  });

  it('matches whole words only', () => {
    const found = extract(rooms, 'I redoubled my efforts, singleton that I am');
    expect(found).toEqual({ arguments: {}, missing: ['room'], sources: {} });
  });

  it('takes no value when two are named, and does not fall back to earlier messages then', () => {
    const found = extract(rooms, 'single or double, which is cheaper?', {
      earlierTexts: ['I want a double'],
    });
    expect(found.arguments).toEqual({});
    expect(found.missing).toEqual(['room']);
  });

  it('leaves out a value the customer rules out, takes the one singled out, and decides nothing on a value ruled out alone', () => {
    expect(extract(rooms, 'not the single, a double please').arguments).toEqual({
      room: 'double',
    });
    expect(extract(rooms, 'a twin instead of a single').arguments).toEqual({ room: 'double' });
    expect(extract(rooms, "I don't want the family suite, single is fine").arguments).toEqual({
      room: 'single',
    });
    expect(extract(rooms, 'only the double please, the single was last time').arguments).toEqual({
      room: 'double',
    });
    const ruledOut = extract(rooms, 'actually not a double', { earlierTexts: ['a double'] });
    expect(ruledOut.arguments).toEqual({});
    expect(ruledOut.missing).toEqual(['room']);
  });

  it('counts a value inside a longer one only once', () => {
    const schema = {
      type: 'object',
      properties: { plan: { type: 'string', enum: ['fibre', 'fibre_plus'] } },
      required: ['plan'],
    };
    expect(extract(schema, 'Fibre Plus please').arguments).toEqual({ plan: 'fibre_plus' });
    expect(extract(schema, 'just fibre').arguments).toEqual({ plan: 'fibre' });
  });

  it('reads a nullable enum (anyOf with null)', () => {
    const schema = schemaOf({ room: z.enum(['single', 'double']).nullable() });
    expect(schema.properties).toMatchObject({
      room: { anyOf: [{ enum: ['single', 'double'] }, { type: 'null' }] },
    });
    expect(extract(schema, 'double').arguments).toEqual({ room: 'double' });
  });
});

describe('extractArguments: patterns', () => {
  const booking = schemaOf({ reference: z.string().regex(/^HX-\d{3,6}$/) });
  const bookingUppercased = schemaOf({
    reference: z
      .string()
      .regex(/^HX-\d{3,6}$/)
      .meta({ extract: { uppercase: true } }),
  });

  it('finds a match of the pattern with its anchors dropped', () => {
    expect(booking.properties).toMatchObject({ reference: { pattern: '^HX-\\d{3,6}$' } });
    expect(extract(booking, 'my booking is HX-4821, thanks').arguments).toEqual({
      reference: 'HX-4821',
    });
  });

  it('retries case-insensitively, in capitals when only they fit the schema', () => {
    expect(extract(booking, 'it is hx-4821').arguments).toEqual({ reference: 'HX-4821' });
    expect(extract(bookingUppercased, 'it is hx-4821').arguments).toEqual({
      reference: 'HX-4821',
    });
    // A match the schema's own pattern refuses even in capitals is not taken.
    const lowercase = {
      type: 'object',
      properties: { code: { type: 'string', pattern: '^hx-\\d+$' } },
    };
    expect(extract(lowercase, 'it is HX-12').arguments).toEqual({});
    expect(extract(lowercase, 'it is hx-12').arguments).toEqual({ code: 'hx-12' });
  });

  it('reads a reference typed with spaces between its letters and digits, as the schema writes it', () => {
    const card = schemaOf({ cardNumber: z.string().regex(/^HC\d{7}$/) });
    expect(extract(card, 'my card is hc 2051177').arguments).toEqual({ cardNumber: 'HC2051177' });
    expect(extract(card, 'HC 205 1177 thanks').arguments).toEqual({ cardNumber: 'HC2051177' });
    const account = schemaOf({ accountNumber: z.string().regex(/^GW-\d{6}$/) });
    expect(extract(account, 'gw 117590').arguments).toEqual({ accountNumber: 'GW-117590' });
    // Joined, it must still be the whole reference: no digits borrowed from a date or a count.
    expect(extract(card, 'hc 20511').arguments).toEqual({});
    expect(extract(card, 'on the 3rd, hc 2051177 or hc 2046813').arguments).toEqual({});
  });

  it('upper-cases a match the schema takes in either case only with extract.uppercase', () => {
    const schemaWith = (extract?: object) => ({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Za-z]{2}\\d{4}$', ...(extract && { extract }) },
      },
    });
    expect(extract(schemaWith(), 'code ab1234').arguments).toEqual({ code: 'ab1234' });
    expect(extract(schemaWith({ uppercase: true }), 'code ab1234').arguments).toEqual({
      code: 'AB1234',
    });
  });

  it('reads UK postcodes from a hand-written schema', () => {
    const schema = {
      type: 'object',
      properties: {
        postcode: {
          type: 'string',
          pattern: '^[A-Z]{1,2}\\d[A-Z\\d]? ?\\d[A-Z]{2}$',
          extract: { uppercase: true },
        },
      },
      required: ['postcode'],
    };
    expect(extract(schema, 'deliver to sw1a 1aa please').arguments).toEqual({
      postcode: 'SW1A 1AA',
    });
    expect(extract(schema, 'Deliver to M1 1AE.').arguments).toEqual({ postcode: 'M1 1AE' });
  });

  it('refuses a match glued to more letters or digits, and two different matches', () => {
    expect(extract(booking, 'HX-1234567').missing).toEqual(['reference']);
    expect(extract(booking, 'HX-111 or HX-222?').missing).toEqual(['reference']);
    expect(extract(booking, 'HX-111, yes HX-111').arguments).toEqual({ reference: 'HX-111' });
  });

  it('survives a pattern JavaScript cannot compile', () => {
    const schema = { type: 'object', properties: { code: { type: 'string', pattern: '([' } } };
    expect(extract(schema, 'code ([')).toEqual({ arguments: {}, missing: [], sources: {} });
  });
});

describe('extractArguments: dates', () => {
  const visit = schemaOf({ date: z.iso.date() });

  it('reads dates in words, ignoring the pattern zod emits beside format: date', () => {
    expect(visit.properties).toMatchObject({ date: { format: 'date', type: 'string' } });
    expect((visit.properties as { date: { pattern: string } }).date.pattern).toMatch(/^\^/);
    expect(extract(visit, 'can I come next Friday?').arguments).toEqual({ date: '2026-06-19' });
    expect(extract(visit, 'on the 12th of March').arguments).toEqual({ date: '2027-03-12' });
    expect(extract(visit, 'on 2026-12-24').arguments).toEqual({ date: '2026-12-24' });
    expect(extract(visit, 'in two weeks').arguments).toEqual({ date: '2026-06-29' });
  });

  it('reads a date without a year in the past tense as the latest such day', () => {
    // Monday 15 June 2026.
    expect(extract(visit, 'I moved out on 2 May').arguments).toEqual({ date: '2026-05-02' });
    expect(extract(visit, 'it was missed on the 12th').arguments).toEqual({ date: '2026-06-12' });
    expect(extract(visit, 'they came on Friday but missed it').arguments).toEqual({
      date: '2026-06-12',
    });
    expect(extract(visit, 'I moved in on 20 June').arguments).toEqual({ date: '2025-06-20' });
    // Polite, not past: the next one.
    expect(extract(visit, 'I was wondering if 2 May works').arguments).toEqual({
      date: '2027-05-02',
    });
    expect(extract(visit, 'I moved, and the new one starts next Friday').arguments).toEqual({
      date: '2026-06-19',
    });
  });

  it('reads numeric dates in the locale order', () => {
    expect(extract(visit, 'on 03/07').arguments).toEqual({ date: '2026-07-03' });
    expect(extract(visit, 'on 03/07', { locale: 'en-US' }).arguments).toEqual({
      date: '2027-03-07',
    });
  });

  it("counts from the customer's today in their time zone", () => {
    const lateEvening = new Date('2026-12-31T23:30:00Z');
    expect(extract(visit, 'today', { now: lateEvening, timeZone: 'Europe/Berlin' })).toEqual({
      arguments: { date: '2027-01-01' },
      missing: [],
      sources: { date: 'latest' },
    });
    expect(extract(visit, 'today', { now: lateEvening }).arguments).toEqual({
      date: '2026-12-31',
    });
  });

  it('takes no date when two different ones are named', () => {
    expect(extract(visit, 'Friday or Saturday?').missing).toEqual(['date']);
  });

  it('gives each date to the parameter whose words stand by it', () => {
    const stay = schemaOf({ checkIn: z.iso.date(), checkOut: z.iso.date() });
    expect(extract(stay, 'check in on the 20th and check out on the 23rd').arguments).toEqual({
      checkIn: '2026-06-20',
      checkOut: '2026-06-23',
    });
    // One date, two parameters and no word saying which: neither is guessed.
    expect(extract(stay, 'Friday').missing).toEqual(['checkIn', 'checkOut']);
  });
});

describe('extractArguments: times and emails', () => {
  const table = {
    type: 'object',
    properties: { time: { type: 'string', format: 'time' } },
    required: ['time'],
  };
  const timeIn = (text: string) => extract(table, text).arguments.time;

  it('reads times of day as HH:MM', () => {
    expect(timeIn('at 3pm')).toBe('15:00');
    expect(timeIn('at 3:30 p.m.')).toBe('15:30');
    expect(timeIn('11 am')).toBe('11:00');
    expect(timeIn('12am')).toBe('00:00');
    expect(timeIn('12pm')).toBe('12:00');
    expect(timeIn('15:30')).toBe('15:30');
    expect(timeIn('at noon')).toBe('12:00');
    expect(timeIn('midnight')).toBe('00:00');
    expect(timeIn('half past two in the afternoon')).toBe('14:30');
    expect(timeIn('quarter to eight tonight')).toBe('19:45');
    expect(timeIn("seven o'clock in the morning")).toBe('07:00');
  });

  it('does not guess the half of the day of a 12-hour time', () => {
    expect(timeIn('at 3')).toBeUndefined();
    expect(timeIn('half past two')).toBeUndefined();
    expect(timeIn('13pm')).toBeUndefined();
  });

  it("reads zod's z.iso.time(), which has only a pattern, with seconds when it asks for them", () => {
    const schema = schemaOf({ at: z.iso.time(), exactly: z.iso.time({ precision: 0 }) });
    expect(schema.properties).not.toMatchObject({ at: { format: 'time' } });
    expect(extract(schema, 'at 7pm, exactly 7pm').arguments).toEqual({
      at: '19:00',
      exactly: '19:00:00',
    });
  });

  it('reads an email address, and refuses a choice of two', () => {
    const contact = schemaOf({ email: z.email() });
    expect(contact.properties).toMatchObject({ email: { format: 'email' } });
    expect(extract(contact, 'reach me at Ana.Lima@example.co.uk.').arguments).toEqual({
      email: 'Ana.Lima@example.co.uk',
    });
    expect(extract(contact, 'ana@example.com or ana@work.example.com').missing).toEqual(['email']);
    expect(extract(contact, 'my email is ana at example').missing).toEqual(['email']);
  });

  it('reads no date or number inside an email address', () => {
    const schema = schemaOf({ email: z.email(), date: z.iso.date(), nights: z.int() });
    expect(extract(schema, 'friday@example.com, 2 nights').arguments).toEqual({
      email: 'friday@example.com',
      nights: 2,
    });
  });
});

describe('extractArguments: numbers', () => {
  const booking = schemaOf({
    nights: z.int().min(1).max(30),
    partySize: z.int().positive().describe('How many people'),
  });

  it('gives each number to the parameter named next to it', () => {
    expect(extract(booking, '3 nights for 4 people').arguments).toEqual({
      nights: 3,
      partySize: 4,
    });
    expect(extract(booking, 'a party of six, staying two nights').arguments).toEqual({
      nights: 2,
      partySize: 6,
    });
    // "nights" stands before 4 and after 3: the unit after a number wins.
    expect(extract(booking, '3 nights 4 people').arguments).toEqual({ nights: 3, partySize: 4 });
    expect(extract(booking, 'nights: 5, party size: 2').arguments).toEqual({
      nights: 5,
      partySize: 2,
    });
  });

  it('takes a lone number after a verb that gives it ("it says 23795"), not one counting a noun', () => {
    const meter = schemaOf({ reading: z.int().min(0).max(99999).describe('The meter reading') });
    expect(extract(meter, 'it says 23795').arguments).toEqual({ reading: 23795 });
    expect(extract(meter, 'it reads 20499 I think').arguments).toEqual({ reading: 20499 });
    expect(extract(meter, 'flat 12 on the corner').arguments).toEqual({});
  });

  it('reads numbers in words', () => {
    expect(extract(booking, 'twenty-one nights').arguments).toEqual({ nights: 21 });
    expect(extract(booking, 'a couple of nights').arguments).toEqual({ nights: 2 });
    expect(extract(booking, 'one night').arguments).toEqual({ nights: 1 });
  });

  it('uses extract.keywords', () => {
    const schema = schemaOf({
      guests: z.int().meta({ extract: { keywords: ['adults', 'guests'] } }),
      children: z.int(),
    });
    expect(extract(schema, '2 adults and 3 children').arguments).toEqual({
      guests: 2,
      children: 3,
    });
  });

  it('knows the words for people when a parameter counts people', () => {
    const appointment = schemaOf({
      patients: z.int().min(1).max(6).describe('How many people the appointment is for'),
    });
    expect(extract(appointment, 'check-ups for my two boys').arguments).toEqual({ patients: 2 });
    expect(extract(appointment, 'for 3 adults').arguments).toEqual({ patients: 3 });
    // A description's other nouns only count after the number, as its unit.
    expect(extract(appointment, 'an appointment with one of your dentists').arguments).toEqual({});
    expect(extract(appointment, 'two appointments').arguments).toEqual({ patients: 2 });
    const stay = schemaOf({ nights: z.int().min(1).max(30) });
    expect(extract(stay, 'for my two boys').arguments).toEqual({});
  });

  it("gives a number two parameters' words stand by alike to neither", () => {
    const schema = schemaOf({
      adults: z.int().meta({ extract: { keywords: ['people'] } }),
      children: z.int().meta({ extract: { keywords: ['people'] } }),
    });
    expect(extract(schema, '4 people').arguments).toEqual({});
    expect(extract(schema, '4 people: 3 adults').arguments).toEqual({ adults: 3 });
  });

  it('rejects numbers out of range, and fractions for integers', () => {
    expect(extract(booking, 'for 45 nights').missing).toEqual(['nights', 'partySize']);
    expect(extract(booking, '0 people').arguments).toEqual({});
    expect(extract(booking, '2.5 nights').arguments).toEqual({});
    const hours = {
      type: 'object',
      properties: { hours: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 8 } },
    };
    expect(extract(hours, '2.5 hours').arguments).toEqual({ hours: 2.5 });
    expect(extract(hours, '8 hours').arguments).toEqual({});
    const seats = { type: 'object', properties: { seats: { type: 'integer', enum: [2, 4] } } };
    expect(extract(seats, '4 seats').arguments).toEqual({ seats: 4 });
    expect(extract(seats, '3 seats').arguments).toEqual({});
  });

  it('takes a number with no keyword only where one parameter alone can hold it', () => {
    const stay = schemaOf({ nights: z.int().min(1).max(30) });
    expect(extract(stay, 'just 2 please').arguments).toEqual({ nights: 2 });
    expect(extract(stay, '3').arguments).toEqual({ nights: 3 });
    expect(extract(booking, 'for 2 please').arguments).toEqual({});
    // 40 fits no night count, so it can only be the party's size.
    expect(extract(booking, 'we are 40').arguments).toEqual({ partySize: 40 });
  });

  it('gives a bare number to the parameter the customer has not named elsewhere', () => {
    const found = extract(booking, '3', { earlierTexts: ['a table for 4 people'] });
    expect(found.arguments).toEqual({ nights: 3, partySize: 4 });
    expect(found.sources).toEqual({ nights: 'latest', partySize: 'earlier' });
  });

  it('guesses nothing from unrelated digits', () => {
    const stay = schemaOf({ nights: z.int().min(1).max(30) });
    expect(extract(stay, 'I have 2 kids').missing).toEqual(['nights']);
    expect(extract(stay, "I'm in room 12").missing).toEqual(['nights']);
    expect(extract(stay, 'call me on 07700 900123').missing).toEqual(['nights']);
    expect(extract(stay, 'the blue one').missing).toEqual(['nights']);
    expect(extract(stay, '2 or 3?').missing).toEqual(['nights']);
    expect(extract(stay, '2 nights or 3 nights?').missing).toEqual(['nights']);
  });

  it("never takes the digits of another parameter's match, an email or a date", () => {
    const order = schemaOf({
      orderNumber: z.string().regex(/^\d{6}$/),
      quantity: z.int().positive(),
    });
    expect(extract(order, 'order 123456').arguments).toEqual({ orderNumber: '123456' });
    expect(extract(order, "it's 123456").arguments).toEqual({ orderNumber: '123456' });
    expect(extract(order, 'order 123456, quantity 2').arguments).toEqual({
      orderNumber: '123456',
      quantity: 2,
    });
    const stay = schemaOf({
      reference: z.string().regex(/^HX-\d{3,6}$/),
      date: z.iso.date(),
      nights: z.int().positive(),
      email: z.email(),
    });
    const found = extract(stay, 'HX-999, from 12 March, in 3 days, mail ana2@example.com');
    expect(found.arguments).toEqual({
      reference: 'HX-999',
      email: 'ana2@example.com',
    });
    expect(found.missing).toEqual(['date', 'nights']); // two dates named
    expect(extract(stay, 'arriving in 3 days').arguments).toEqual({ date: '2026-06-18' });
    const trip = schemaOf({ arrival: z.iso.date(), days: z.int().positive() });
    expect(extract(trip, 'arriving in 3 days').arguments).toEqual({ arrival: '2026-06-18' });
    expect(extract(trip, 'arriving in 3 days, for 5 days').arguments).toEqual({
      arrival: '2026-06-18',
      days: 5,
    });
  });
});

describe('extractArguments: booleans and free text', () => {
  it('reads booleans only by their yes and no phrases', () => {
    const schema = schemaOf({
      breakfast: z.boolean().meta({
        extract: { yes: ['with breakfast', 'breakfast included'], no: ['without breakfast'] },
      }),
      newsletter: z.boolean(),
    });
    expect(extract(schema, 'With breakfast, yes').arguments).toEqual({ breakfast: true });
    expect(extract(schema, 'without breakfast').arguments).toEqual({ breakfast: false });
    expect(extract(schema, 'with breakfast or without breakfast?').arguments).toEqual({});
    // A plain boolean is never guessed, whatever the customer says.
    expect(extract(schema, 'yes, sign me up to the newsletter').missing).toEqual([
      'breakfast',
      'newsletter',
    ]);
  });

  it('reads free text only after an extract.after lead-in, up to punctuation', () => {
    const schema = schemaOf({
      name: z
        .string()
        .max(20)
        .meta({ extract: { after: ['my name is', 'called'] } }),
      note: z.string(),
    });
    expect(extract(schema, "Hi, my name is Ana Lima, and I'd like a room").arguments).toEqual({
      name: 'Ana Lima',
    });
    expect(extract(schema, "I'm called Bob.").arguments).toEqual({ name: 'Bob' });
    expect(extract(schema, 'my name is Bartholomew Fitzgerald-Smythe').arguments).toEqual({});
    expect(extract(schema, 'note: ring twice').missing).toEqual(['name', 'note']);
  });
});

describe('extractArguments: defaults, nesting and the order of search', () => {
  it('leaves defaults to the schema and never reports them missing', () => {
    const schema = schemaOf({
      guests: z.int().default(2),
      room: z.enum(['single', 'double']).default('single'),
    });
    expect(extract(schema, 'hello')).toEqual({ arguments: {}, missing: [], sources: {} });
    expect(extract(schema, 'a double for 3 guests').arguments).toEqual({
      guests: 3,
      room: 'double',
    });
    const handWritten = {
      type: 'object',
      properties: { size: { type: 'integer', default: 2 } },
      required: ['size'],
    };
    expect(extract(handWritten, 'hello').missing).toEqual([]);
  });

  it('reads no nested objects or arrays, reporting them missing when required', () => {
    const schema = schemaOf({
      address: z.object({ street: z.string() }),
      tags: z.array(z.string()),
      extras: z.array(z.string()).optional(),
    });
    expect(extract(schema, 'street: 1 High Street, tags: a, b')).toEqual({
      arguments: {},
      missing: ['address', 'tags'],
      sources: {},
    });
  });

  it('reads the latest text first, then earlier ones newest first', () => {
    const schema = schemaOf({
      reference: z.string().regex(/^HX-\d{3,6}$/),
      room: z.enum(['single', 'double']),
      nights: z.int().min(1).max(30),
    });
    const found = extract(schema, 'HX-333 please', {
      earlierTexts: ['make it a double, HX-222', 'a single for 2 nights, HX-111'],
    });
    expect(found.arguments).toEqual({ reference: 'HX-333', room: 'double', nights: 2 });
    expect(found.sources).toEqual({ reference: 'latest', room: 'earlier', nights: 'earlier' });
  });

  it('lets a value in the latest text win over an earlier one', () => {
    const schema = schemaOf({ nights: z.int().min(1).max(30) });
    const found = extract(schema, 'actually make it 4', { earlierTexts: ['3 nights'] });
    expect(found).toEqual({ arguments: { nights: 4 }, missing: [], sources: { nights: 'latest' } });
  });

  it('lists what is missing in the schema order', () => {
    const schema = {
      type: 'object',
      properties: {
        date: { type: 'string', format: 'date' },
        reference: { type: 'string', pattern: '^HX-\\d+$' },
        nights: { type: 'integer' },
      },
      required: ['nights', 'reference', 'date', 'unknown'],
    };
    expect(extract(schema, 'HX-12').missing).toEqual(['date', 'nights', 'unknown']);
  });

  it('reads nothing from a schema without properties', () => {
    expect(extract({ type: 'object' }, 'HX-12 tomorrow')).toEqual({
      arguments: {},
      missing: [],
      sources: {},
    });
  });
});
