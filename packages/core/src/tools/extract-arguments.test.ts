import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { extractArguments } from './extract-arguments';
import { parseDateInWords } from './parse-date-in-words';

const now = new Date('2026-06-15T09:00:00Z'); // a Monday
const schemaOf = (shape: z.ZodRawShape) =>
  z.toJSONSchema(z.object(shape), { io: 'input' }) as Record<string, unknown>;
const extract = (schema: Record<string, unknown>, text: string, earlierTexts: string[] = []) =>
  extractArguments({ schema, text, earlierTexts, now });

describe('extractArguments', () => {
  const booking = schemaOf({
    reference: z.string().regex(/^HX-\d{3,6}$/),
    nights: z.number().int().min(1).max(30),
    date: z.iso.date(),
    room: z.enum(['single', 'double', 'family_suite']).meta({
      extract: { synonyms: { family_suite: ['suite for the kids'] } },
    }),
    note: z.string().optional(),
  });

  it('reads references, dates in words, counts next to their name and enum values', () => {
    const found = extract(booking, 'Is hx-4821 a double for 3 nights from next Friday?');
    expect(found.arguments).toEqual({
      reference: 'HX-4821',
      nights: 3,
      date: '2026-06-19',
      room: 'double',
    });
    expect(found.missing).toEqual([]);
    expect(found.sources).toMatchObject({ reference: 'latest', nights: 'latest' });
  });

  it('never takes the digits of a reference or a date as a count, and never guesses plain text', () => {
    const found = extract(booking, 'booking HX-999 on 2026-07-01 please');
    expect(found.arguments).toEqual({ reference: 'HX-999', date: '2026-07-01' });
    expect(found.missing).toEqual(['nights', 'room']);
  });

  it('refuses numbers out of range and a choice between two enum values', () => {
    const found = extract(booking, 'single or double, for 45 nights');
    expect(found.arguments.nights).toBeUndefined();
    expect(found.arguments.room).toBeUndefined();
  });

  it('reads synonyms, and earlier messages for what the latest does not say', () => {
    const found = extract(booking, 'a suite for the kids please', ['my booking is HX-1234']);
    expect(found.arguments).toMatchObject({ room: 'family_suite', reference: 'HX-1234' });
    expect(found.sources).toMatchObject({ room: 'latest', reference: 'earlier' });
  });

  it('reads numbers in words', () => {
    expect(extract(booking, 'two nights, thanks').arguments.nights).toBe(2);
  });

  it('leaves parameters with a default out, and never reports them missing', () => {
    const schema = schemaOf({ size: z.number().int().default(2) });
    expect(extract(schema, 'hello')).toEqual({ arguments: {}, missing: [], sources: {} });
  });
});

describe('parseDateInWords', () => {
  const date = (text: string, options: { now?: Date; locale?: string; timeZone?: string } = {}) =>
    parseDateInWords(text, { now: options.now ?? now, ...options })?.date ?? null;

  it('reads days relative to today', () => {
    expect(date('can I come tomorrow?')).toBe('2026-06-16');
    expect(date('the day after tomorrow')).toBe('2026-06-17');
    expect(date('today if possible')).toBe('2026-06-15');
    expect(date('in 3 days')).toBe('2026-06-18');
    expect(date('in two weeks')).toBe('2026-06-29');
  });

  it('takes a weekday as the next one after today', () => {
    expect(date('on Tuesday')).toBe('2026-06-16');
    expect(date('next monday')).toBe('2026-06-22');
  });

  it('reads dates with month names, ordinals and numbers in the locale order', () => {
    expect(date('on 12 March')).toBe('2027-03-12');
    expect(date('July 4th')).toBe('2026-07-04');
    expect(date('the 23rd')).toBe('2026-06-23');
    expect(date('the 2nd')).toBe('2026-07-02');
    expect(date('on 03/07')).toBe('2026-07-03');
    expect(date('on 03/07', { locale: 'en-US' })).toBe('2027-03-07');
    expect(date('31/02/2027')).toBeNull();
  });

  it("counts from the customer's own today, in their time zone", () => {
    const lateEvening = new Date('2026-12-31T23:30:00Z');
    expect(date('tomorrow', { now: lateEvening, timeZone: 'Europe/Berlin' })).toBe('2027-01-02');
    expect(date('tomorrow', { now: lateEvening })).toBe('2027-01-01');
  });

  it('finds nothing in a text without a date', () => {
    expect(date('how much is a room?')).toBeNull();
  });
});
