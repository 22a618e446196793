import { ParleyError } from '../errors/parley-error';
import { parseNumberInWords } from './parse-number-in-words';

/** What {@link parseDateInWords} needs besides the text. */
export interface DateInWordsOptions {
  /** The moment "today", "tomorrow" and "next Friday" are counted from. */
  now: Date;
  /**
   * BCP 47 locale deciding the order of numeric dates: `03/04` is 3 April in `en-GB` and
   * March 4 in `en-US`. Default `'en-GB'`.
   */
  locale?: string;
  /** IANA time zone the speaker's "today" is in; default `'UTC'`. */
  timeZone?: string;
  /**
   * Whether the speaker speaks of the past ("I moved out on 2 May", "it was missed on the
   * 12th"): a date without a year, `next` or `last` is then the latest such day up to today,
   * not the next one. Default `false`.
   */
  past?: boolean;
}

/** A date found in a text: the calendar day as `YYYY-MM-DD`, and where its words stand. */
export interface DateInWords {
  date: string;
  /** Index of the first character of the words that name it. */
  start: number;
  /** Index just past their last character. */
  end: number;
}

/**
 * The first date a text names, relative to `now` in the speaker's time zone, or `null`.
 *
 * Understood, case-insensitively:
 * - `today`, `tonight`, `this morning|afternoon|evening`, `tomorrow`, `yesterday`,
 *   `the day after tomorrow`, `the day before yesterday`;
 * - weekdays: `Friday`, `on Friday`, `this Friday`, `next Friday`, `coming Friday` all name the
 *   first Friday *after* today (on a Friday, a week ahead), so "next" never skips a week;
 *   `last Friday` is the latest one before today;
 * - `in 3 days`, `in two weeks`, `in a fortnight`, `in a month`, `a week from today`,
 *   `2 days from tomorrow`, `a week today`;
 * - `12 March`, `12th of March`, `March 12`, `Friday 12 March`, with an optional year
 *   (`12 March 2027`, `March 12th, 2027`); without a year, the next 12 March from today on;
 * - `the 12th`, `on the 12th`, `Friday the 12th`: the next 12th of a month from today on;
 * - `12/03`, `12/03/2027`, `12/03/27`, `12.03.2027`, `12-03-2027`, in the locale's order;
 * - ISO `2026-12-24`.
 *
 * Not understood (no single day): `next week`, `next month`, `the weekend`. Impossible days
 * (`31/02`) are no date. A weekday written next to a day of the month (`Friday 12 March`) is
 * read as that day of the month, even when the two disagree.
 */
export function parseDateInWords(text: string, options: DateInWordsOptions): DateInWords | null {
  return findDatesInWords(text, options)[0] ?? null;
}

/**
 * Every date a text names, in order of appearance, none overlapping another (where two
 * readings overlap, the longer wins: "the day after tomorrow", not "tomorrow"). Same grammar as {@link parseDateInWords}.
 */
export function findDatesInWords(text: string, options: DateInWordsOptions): DateInWords[] {
  const context: DateContext = {
    today: todayIn(options.now, options.timeZone ?? 'UTC'),
    monthFirst: writesMonthFirst(options.locale ?? 'en-GB'),
    past: options.past ?? false,
  };
  const readings: DateInWords[] = [];
  for (const rule of rules) {
    for (const match of text.matchAll(rule.pattern)) {
      const day = rule.resolve(match.groups ?? {}, context);
      if (day === null) continue;
      readings.push({
        date: formatDay(day),
        start: match.index,
        end: match.index + match[0].length,
      });
    }
  }
  // Longest readings first: "on the 12th of March" is one date, not "on the 12th".
  readings.sort(
    (left, right) => right.end - right.start - (left.end - left.start) || left.start - right.start,
  );
  const dates: DateInWords[] = [];
  for (const reading of readings) {
    if (!dates.some((date) => reading.start < date.end && date.start < reading.end))
      dates.push(reading);
  }
  return dates.sort((left, right) => left.start - right.start);
}

/** A calendar day, as a `Date` at midnight UTC so that day arithmetic ignores time zones. */
type Day = Date;

interface DateContext {
  today: Day;
  monthFirst: boolean;
  past: boolean;
}

interface DateRule {
  pattern: RegExp;
  resolve(groups: Record<string, string | undefined>, context: DateContext): Day | null;
}

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const months: Readonly<Record<string, number>> = {
  january: 1,
  jan: 1,
  february: 2,
  feb: 2,
  march: 3,
  mar: 3,
  april: 4,
  apr: 4,
  may: 5,
  june: 6,
  jun: 6,
  july: 7,
  jul: 7,
  august: 8,
  aug: 8,
  september: 9,
  sept: 9,
  sep: 9,
  october: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

const wordStart = '(?<![\\p{L}\\p{N}])';
const wordEnd = '(?![\\p{L}\\p{N}])';
const weekday = `(?:${weekdays.join('|')})`;
const month = `(?<month>${Object.keys(months)
  .sort((left, right) => right.length - left.length)
  .join('|')})(?![\\p{L}])\\.?`;
const ordinal = '(?:st|nd|rd|th)';
const year = '(?:,?\\s+(?<year>\\d{4}))?';
// A count of days, weeks or months: digits, "a"/"an", or up to three words ("a couple of").
const amount = '(?<amount>\\d{1,3}|[\\p{L}]+(?:[\\s-]+[\\p{L}]+){0,2}?)';
const unit = '(?<unit>day|week|fortnight|month)s?';

function rule(source: string, resolve: DateRule['resolve']): DateRule {
  return { pattern: new RegExp(`${wordStart}${source}${wordEnd}`, 'giu'), resolve };
}

const rules: readonly DateRule[] = [
  rule('(?<year>\\d{4})-(?<month>\\d{2})-(?<day>\\d{2})', (groups) =>
    dayOf(Number(groups.year), Number(groups.month), Number(groups.day)),
  ),
  rule(
    '(?<![/.:-])(?<first>\\d{1,2})/(?<second>\\d{1,2})(?:/(?<year>\\d{4}|\\d{2}))?(?![/.:-]?\\p{N})',
    numericDate,
  ),
  // With dots or dashes only with a year: "1.5" is a number, "12.03.2027" a date.
  rule(
    '(?<![/.:-])(?<first>\\d{1,2})(?<separator>[.-])(?<second>\\d{1,2})\\k<separator>(?<year>\\d{4})(?![/.:-]?\\p{N})',
    numericDate,
  ),
  rule(
    `(?:${weekday},?\\s+)?(?:the\\s+)?(?<day>\\d{1,2})${ordinal}?(?:\\s+of)?\\s+${month}${year}`,
    dayOfMonthName,
  ),
  rule(
    `(?:${weekday},?\\s+)?${month}\\s+(?:the\\s+)?(?<day>\\d{1,2})${ordinal}?${year}`,
    dayOfMonthName,
  ),
  rule(
    `(?:${weekday},?\\s+(?:the\\s+)?|(?:on\\s+)?the\\s+|on\\s+)(?<day>\\d{1,2})${ordinal}`,
    (groups, { today, past }) =>
      past ? lastDayOfMonth(Number(groups.day), today) : nextDayOfMonth(Number(groups.day), today),
  ),
  rule('(?:the\\s+)?day\\s+after\\s+tomorrow', (_, { today }) => addDays(today, 2)),
  rule('(?:the\\s+)?day\\s+before\\s+yesterday', (_, { today }) => addDays(today, -2)),
  rule('today|tonight|this\\s+(?:morning|afternoon|evening)', (_, { today }) => today),
  rule('tomorrow', (_, { today }) => addDays(today, 1)),
  rule('yesterday', (_, { today }) => addDays(today, -1)),
  rule(
    `(?:(?<which>next|this|last|(?:this\\s+)?coming)\\s+)?(?<weekday>${weekday})`,
    (groups, { today, past }) => {
      const target = weekdays.indexOf(groups.weekday?.toLowerCase() ?? '');
      const ahead = (target - today.getUTCDay() + 7) % 7 || 7;
      const which = groups.which?.toLowerCase();
      if (which === 'last' || (past && which === undefined)) return addDays(today, ahead - 7);
      return addDays(today, ahead);
    },
  ),
  rule(`in\\s+${amount}\\s+${unit}(?:['’]?\\s+time)?`, (groups, { today }) =>
    afterAmount(today, groups),
  ),
  rule(
    `${amount}\\s+${unit}\\s+(?:from\\s+(?<base>now|today|tomorrow)|(?<after>today|tomorrow))`,
    (groups, { today }) => {
      const base = (groups.base ?? groups.after)?.toLowerCase() === 'tomorrow' ? 1 : 0;
      return afterAmount(addDays(today, base), groups);
    },
  ),
];

function numericDate(groups: Record<string, string | undefined>, context: DateContext) {
  const first = Number(groups.first);
  const second = Number(groups.second);
  const [monthNumber, day] = context.monthFirst ? [first, second] : [second, first];
  if (groups.year === undefined) return occurrence(monthNumber, day, context);
  const writtenYear = Number(groups.year);
  return dayOf(groups.year.length === 2 ? 2000 + writtenYear : writtenYear, monthNumber, day);
}

function dayOfMonthName(groups: Record<string, string | undefined>, context: DateContext) {
  const monthNumber = months[groups.month?.toLowerCase() ?? ''];
  if (monthNumber === undefined) return null;
  const day = Number(groups.day);
  if (groups.year === undefined) return occurrence(monthNumber, day, context);
  return dayOf(Number(groups.year), monthNumber, day);
}

function afterAmount(base: Day, groups: Record<string, string | undefined>): Day | null {
  const written = groups.amount?.toLowerCase() ?? '';
  const count = written === 'a' || written === 'an' ? 1 : parseNumberInWords(written);
  if (count === null || !Number.isInteger(count)) return null;
  switch (groups.unit?.toLowerCase()) {
    case 'day':
      return addDays(base, count);
    case 'week':
      return addDays(base, 7 * count);
    case 'fortnight':
      return addDays(base, 14 * count);
    default:
      return addMonths(base, count);
  }
}

/** A day and month without a year: the next one, or in the past tense the latest one. */
function occurrence(monthNumber: number, day: number, context: DateContext): Day | null {
  return context.past
    ? lastOccurrence(monthNumber, day, context.today)
    : nextOccurrence(monthNumber, day, context.today);
}

/** The given day of the month, this year if it has come (or is today), else last year. */
function lastOccurrence(monthNumber: number, day: number, today: Day): Day | null {
  for (let offset = 0; offset <= 8; offset++) {
    const candidate = dayOf(today.getUTCFullYear() - offset, monthNumber, day);
    if (candidate !== null && candidate <= today) return candidate;
  }
  return null;
}

/** The given day of the month, this year if it is still to come (or today), else next year. */
function nextOccurrence(monthNumber: number, day: number, today: Day): Day | null {
  // Eight years always reach a 29 February; a day no year has (31 April) is no date.
  for (let offset = 0; offset <= 8; offset++) {
    const candidate = dayOf(today.getUTCFullYear() + offset, monthNumber, day);
    if (candidate !== null && candidate >= today) return candidate;
  }
  return null;
}

/** The next date with this day of the month, from today on (the 31st skips short months). */
function nextDayOfMonth(day: number, today: Day): Day | null {
  for (let offset = 0; offset <= 12; offset++) {
    const first = addMonths(
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)),
      offset,
    );
    const candidate = dayOf(first.getUTCFullYear(), first.getUTCMonth() + 1, day);
    if (candidate !== null && candidate >= today) return candidate;
  }
  return null;
}

/** The latest date with this day of the month, up to today. */
function lastDayOfMonth(day: number, today: Day): Day | null {
  for (let offset = 0; offset <= 12; offset++) {
    const first = addMonths(
      new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1)),
      -offset,
    );
    const candidate = dayOf(first.getUTCFullYear(), first.getUTCMonth() + 1, day);
    if (candidate !== null && candidate <= today) return candidate;
  }
  return null;
}

function dayOf(yearNumber: number, monthNumber: number, day: number): Day | null {
  const candidate = new Date(Date.UTC(yearNumber, monthNumber - 1, day));
  const valid =
    candidate.getUTCFullYear() === yearNumber &&
    candidate.getUTCMonth() === monthNumber - 1 &&
    candidate.getUTCDate() === day;
  return valid ? candidate : null;
}

function addDays(day: Day, count: number): Day {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + count));
}

/** Whole months later, kept within the month: a month after 31 January is 28 (or 29) February. */
function addMonths(day: Day, count: number): Day {
  const target = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() + count, 1));
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  return new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day.getUTCDate(), lastDay)),
  );
}

function formatDay(day: Day): string {
  return day.toISOString().slice(0, 10);
}

/** The calendar day `now` falls on in the time zone. */
function todayIn(now: Date, timeZone: string): Day {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    }).formatToParts(now);
  } catch (cause) {
    throw new ParleyError('validation_failed', `Unknown time zone "${timeZone}"`, { cause });
  }
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((candidate) => candidate.type === type)?.value);
  return new Date(Date.UTC(part('year'), part('month') - 1, part('day')));
}

/**
 * Whether the locale writes the month before the day in numeric dates, as its own `Intl`
 * format does: en-US (and year-first locales such as ja) do; en-GB, de, fr do not.
 */
function writesMonthFirst(locale: string): boolean {
  let order: string[];
  try {
    order = new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(Date.UTC(2000, 10, 22, 12)))
      .map((part) => part.type);
  } catch (cause) {
    throw new ParleyError('validation_failed', `Unknown locale "${locale}"`, { cause });
  }
  return order.indexOf('month') < order.indexOf('day');
}
