import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import { findDatesInWords, parseDateInWords } from './parse-date-in-words';

const monday = new Date('2026-06-15T09:00:00Z'); // Monday 15 June 2026

const dateIn = (
  text: string,
  options: { now?: Date; locale?: string; timeZone?: string } = {},
): string | null =>
  parseDateInWords(text, { ...options, now: options.now ?? monday })?.date ?? null;

describe('parseDateInWords', () => {
  it('reads days named relative to today', () => {
    expect(dateIn('can I come today?')).toBe('2026-06-15');
    expect(dateIn('a table tonight')).toBe('2026-06-15');
    expect(dateIn('this evening works')).toBe('2026-06-15');
    expect(dateIn('Tomorrow please')).toBe('2026-06-16');
    expect(dateIn('the day after tomorrow')).toBe('2026-06-17');
    expect(dateIn('day after tomorrow')).toBe('2026-06-17');
    expect(dateIn('it arrived yesterday')).toBe('2026-06-14');
    expect(dateIn('the day before yesterday')).toBe('2026-06-13');
  });

  it('takes a weekday, bare or with next/this/on, as the first one after today', () => {
    expect(dateIn('Friday')).toBe('2026-06-19');
    expect(dateIn('on friday')).toBe('2026-06-19');
    expect(dateIn('this Friday')).toBe('2026-06-19');
    expect(dateIn('next Friday')).toBe('2026-06-19');
    expect(dateIn('coming Sunday')).toBe('2026-06-21');
    // Today is a Monday: "Monday" and "next Monday" are a week ahead, never today.
    expect(dateIn('Monday')).toBe('2026-06-22');
    expect(dateIn('next monday')).toBe('2026-06-22');
    expect(dateIn('last Friday')).toBe('2026-06-12');
  });

  it('counts days, weeks and months from today or tomorrow', () => {
    expect(dateIn('in 3 days')).toBe('2026-06-18');
    expect(dateIn('in two weeks')).toBe('2026-06-29');
    expect(dateIn('in a week')).toBe('2026-06-22');
    expect(dateIn("in a couple of days' time")).toBe('2026-06-17');
    expect(dateIn('in a fortnight')).toBe('2026-06-29');
    expect(dateIn('in a month')).toBe('2026-07-15');
    expect(dateIn('a week from today')).toBe('2026-06-22');
    expect(dateIn('2 days from tomorrow')).toBe('2026-06-18');
    expect(dateIn('a week today')).toBe('2026-06-22');
    expect(dateIn('in the next few days')).toBeNull();
  });

  it('keeps a month later within the month', () => {
    expect(dateIn('in a month', { now: new Date('2026-01-31T12:00:00Z') })).toBe('2026-02-28');
  });

  it('reads a day and a month name, this year or next, in either order', () => {
    expect(dateIn('on 12 March')).toBe('2027-03-12'); // passed this year
    expect(dateIn('March 12')).toBe('2027-03-12');
    expect(dateIn('the 12th of March')).toBe('2027-03-12');
    expect(parseDateInWords('on the 12th of March', { now: monday })).toEqual({
      date: '2027-03-12',
      start: 3,
      end: 20,
    });
    expect(dateIn('July 4th')).toBe('2026-07-04');
    expect(dateIn('sept 3')).toBe('2026-09-03');
    expect(dateIn('15 June')).toBe('2026-06-15'); // today still counts
    expect(dateIn('14 June')).toBe('2027-06-14');
    expect(dateIn('12 March 2028')).toBe('2028-03-12');
    expect(dateIn('March 12th, 2028')).toBe('2028-03-12');
    expect(dateIn('29 February')).toBe('2028-02-29');
    expect(dateIn('31 April')).toBeNull();
    expect(dateIn('may I come?')).toBeNull();
  });

  it('reads a weekday before a day of the month as one date', () => {
    expect(parseDateInWords('on Friday 19 June', { now: monday })).toEqual({
      date: '2026-06-19',
      start: 3,
      end: 17,
    });
    expect(findDatesInWords('Friday the 26th', { now: monday })).toEqual([
      { date: '2026-06-26', start: 0, end: 15 },
    ]);
  });

  it('reads "the 12th" as the next such day from today, skipping months too short', () => {
    expect(dateIn('the 20th')).toBe('2026-06-20');
    expect(dateIn('on the 2nd')).toBe('2026-07-02');
    expect(dateIn('the 15th')).toBe('2026-06-15');
    expect(dateIn('the 31st')).toBe('2026-07-31'); // June has 30 days
    expect(dateIn('the 30th', { now: new Date('2026-01-31T12:00:00Z') })).toBe('2026-03-30');
    expect(dateIn('the 5th', { now: new Date('2026-12-20T12:00:00Z') })).toBe('2027-01-05');
  });

  it('reads numeric dates in the order of the locale', () => {
    expect(dateIn('on 03/07')).toBe('2026-07-03');
    expect(dateIn('on 03/07', { locale: 'de-DE' })).toBe('2026-07-03');
    expect(dateIn('on 03/07', { locale: 'en-US' })).toBe('2027-03-07');
    expect(dateIn('12/03/2027')).toBe('2027-03-12');
    expect(dateIn('12/03/2027', { locale: 'en-US' })).toBe('2027-12-03');
    expect(dateIn('12/03/27')).toBe('2027-03-12');
    expect(dateIn('12.03.2027')).toBe('2027-03-12');
    expect(dateIn('12-03-2027')).toBe('2027-03-12');
    expect(dateIn('12/01', { now: new Date('2026-12-20T12:00:00Z') })).toBe('2027-01-12');
  });

  it('refuses impossible numeric dates, and decimals', () => {
    expect(dateIn('31/02/2027')).toBeNull();
    expect(dateIn('13/13')).toBeNull();
    expect(dateIn('03/07', { locale: 'en-US', now: new Date('2026-01-01T00:00:00Z') })).toBe(
      '2026-03-07',
    );
    expect(dateIn('about 1.5 hours')).toBeNull();
  });

  it('reads ISO dates, and only real ones', () => {
    expect(dateIn('2026-12-24')).toBe('2026-12-24');
    expect(dateIn('on 2026-02-30')).toBeNull();
  });

  it("counts from the customer's own today, across the end of the year", () => {
    const lateEvening = new Date('2026-12-31T23:30:00Z'); // already 1 January in Berlin
    expect(dateIn('today', { now: lateEvening, timeZone: 'Europe/Berlin' })).toBe('2027-01-01');
    expect(dateIn('tomorrow', { now: lateEvening, timeZone: 'Europe/Berlin' })).toBe('2027-01-02');
    expect(dateIn('today', { now: lateEvening })).toBe('2026-12-31');
    expect(dateIn('tomorrow', { now: lateEvening })).toBe('2027-01-01');
    // 1 January 2027 is a Friday: in Berlin "Friday" is already a week ahead.
    expect(dateIn('Friday', { now: lateEvening, timeZone: 'Europe/Berlin' })).toBe('2027-01-08');
    expect(dateIn('Friday', { now: lateEvening })).toBe('2027-01-01');
    const earlyMorning = new Date('2027-01-01T03:00:00Z'); // still 31 December in New York
    expect(dateIn('today', { now: earlyMorning, timeZone: 'America/New_York' })).toBe('2026-12-31');
    expect(dateIn('in 3 days', { now: new Date('2026-12-30T12:00:00Z') })).toBe('2027-01-02');
    expect(dateIn('tomorrow', { now: new Date('2026-02-28T12:00:00Z') })).toBe('2026-03-01');
  });

  it('gives the first date found, with its place in the text', () => {
    expect(parseDateInWords('I arrive next Friday, thanks', { now: monday })).toEqual({
      date: '2026-06-19',
      start: 9,
      end: 20,
    });
    expect(dateIn('tomorrow or Friday')).toBe('2026-06-16');
    expect(
      findDatesInWords('tomorrow or Friday', { now: monday }).map((date) => date.date),
    ).toEqual(['2026-06-16', '2026-06-19']);
  });

  it('finds nothing in a text without a date', () => {
    expect(dateIn('how much is a room for 2 people?')).toBeNull();
    expect(dateIn('I would like 3 nights')).toBeNull();
    expect(dateIn('order 12345')).toBeNull();
  });

  it('refuses an unknown time zone or locale as a validation error', () => {
    expect(() => dateIn('today', { timeZone: 'Mars/Olympus' })).toThrow(ParleyError);
    try {
      dateIn('today', { locale: 'not a locale' });
      expect.unreachable();
    } catch (error) {
      expect(ParleyError.isInstance(error) && error.code).toBe('validation_failed');
    }
  });
});
