/** A date found in a text, and where. */
export interface DateInWords {
  /** The calendar date, `YYYY-MM-DD`. */
  date: string;
  start: number;
  end: number;
}

const weekdays = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const months = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const smallNumbers: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5 };

/** Today's calendar date in a time zone, as a UTC midnight. */
function todayIn(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  return new Date(`${parts}T00:00:00Z`);
}

const addDays = (day: Date, days: number) => new Date(day.getTime() + days * 86_400_000);
const iso = (day: Date) => day.toISOString().slice(0, 10);

/**
 * The first date a customer's text names, relative to `now` in `timeZone`: today, tomorrow,
 * the day after tomorrow, yesterday, a weekday (the next one after today; "next Friday" the
 * same), "in 3 days" / "in two weeks", "12 March" / "March 12" / "the 12th" (the next such
 * day from today), "12/03" and "12/03/2027" (day first, month first for en-US), ISO dates.
 */
export function parseDateInWords(
  text: string,
  options: { now: Date; locale?: string | undefined; timeZone?: string | undefined },
): DateInWords | null {
  const today = todayIn(options.now, options.timeZone ?? 'UTC');
  const lower = text.toLowerCase();
  const found: DateInWords[] = [];
  const at = (match: RegExpExecArray | RegExpMatchArray, day: Date | null) => {
    if (day && !Number.isNaN(day.getTime()) && match.index !== undefined)
      found.push({ date: iso(day), start: match.index, end: match.index + match[0].length });
  };
  for (const match of lower.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g))
    at(match, new Date(`${match[1]}-${match[2]}-${match[3]}T00:00:00Z`));
  for (const match of lower.matchAll(/\bthe day after tomorrow\b/g)) at(match, addDays(today, 2));
  for (const match of lower.matchAll(/\b(today|tonight|this evening)\b/g)) at(match, today);
  for (const match of lower.matchAll(/\b(?<!after )tomorrow\b/g)) at(match, addDays(today, 1));
  for (const match of lower.matchAll(/\byesterday\b/g)) at(match, addDays(today, -1));
  for (const match of lower.matchAll(/\bin (\d+|a|one|two|three|four|five) (day|week)s?\b/g)) {
    const count = smallNumbers[match[1] as string] ?? Number(match[1]);
    at(match, addDays(today, count * (match[2] === 'week' ? 7 : 1)));
  }
  for (const match of lower.matchAll(/\ba week from today\b/g)) at(match, addDays(today, 7));
  for (const match of lower.matchAll(
    /\b(?:(?:next|this|on|coming)\s+)?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)s?\b/g,
  )) {
    const wanted = weekdays.indexOf(match[1] as string);
    const ahead = (wanted - today.getUTCDay() + 7) % 7 || 7;
    at(match, addDays(today, ahead));
  }
  const monthPattern = months
    .map((month) => `${month.slice(0, 3)}(?:${month.slice(3)})?`)
    .join('|');
  const dayMonth = new RegExp(
    `\\b(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+of)?\\s+(${monthPattern})\\b|\\b(${monthPattern})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`,
    'g',
  );
  for (const match of lower.matchAll(dayMonth)) {
    const day = Number(match[1] ?? match[4]);
    const monthName = (match[2] ?? match[3]) as string;
    const month = months.findIndex((candidate) => candidate.startsWith(monthName.slice(0, 3)));
    at(match, nextOccurrence(today, month, day));
  }
  for (const match of lower.matchAll(/\bthe (\d{1,2})(?:st|nd|rd|th)\b/g)) {
    const day = Number(match[1]);
    let candidate = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), day));
    if (candidate < today)
      candidate = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, day));
    if (candidate.getUTCDate() === day) at(match, candidate);
  }
  const monthFirst = (options.locale ?? 'en-GB').toLowerCase() === 'en-us';
  for (const match of lower.matchAll(/\b(\d{1,2})\/(\d{1,2})(?:\/(\d{4}))?\b/g)) {
    const first = Number(match[1]);
    const second = Number(match[2]);
    const [day, month] = monthFirst ? [second, first] : [first, second];
    if (month < 1 || month > 12) continue;
    at(
      match,
      match[3]
        ? validDate(Number(match[3]), month - 1, day)
        : nextOccurrence(today, month - 1, day),
    );
  }
  found.sort((left, right) => left.start - right.start);
  return found[0] ?? null;
}

function validDate(year: number, month: number, day: number): Date | null {
  const date = new Date(Date.UTC(year, month, day));
  return date.getUTCMonth() === month && date.getUTCDate() === day ? date : null;
}

/** The next `day` of `month` from today (this year's, or next year's when it has passed). */
function nextOccurrence(today: Date, month: number, day: number): Date | null {
  const thisYear = validDate(today.getUTCFullYear(), month, day);
  if (thisYear && thisYear >= today) return thisYear;
  return validDate(today.getUTCFullYear() + 1, month, day);
}
