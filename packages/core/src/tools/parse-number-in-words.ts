/** A number found in a text, in digits or in English words, with where it stands. */
export interface NumberInWords {
  value: number;
  /** Index of its first character in the text. */
  start: number;
  /** Index just past its last character. */
  end: number;
  /** Whether it was written in words ("two", "a couple of") rather than digits. */
  inWords: boolean;
}

const units: Readonly<Record<string, number>> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};

const tens: Readonly<Record<string, number>> = {
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};

const idioms: Readonly<Record<string, number>> = {
  'a couple': 2,
  'a couple of': 2,
  'a dozen': 12,
};

const digitUnits = 'one|two|three|four|five|six|seven|eight|nine';
// Longest alternatives first, so "seventeen" is not read as "seven" and "twenty-one" as "twenty".
const unitWords = Object.keys(units)
  .sort((left, right) => right.length - left.length)
  .join('|');
const tenWords = Object.keys(tens).join('|');
const inWordsSource = `a\\s+couple(?:\\s+of)?|a\\s+dozen|(?:${tenWords})(?:[\\s-]+(?:${digitUnits}))?|${unitWords}`;
const inWordsPattern = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${inWordsSource})(?![\\p{L}\\p{N}])`,
  'giu',
);
const wholeInWords = new RegExp(`^(?:${inWordsSource})$`, 'iu');
const digitsPattern = /(-)?(\d+(?:,\d{3})*(?:\.\d+)?)/g;

/**
 * The number a whole phrase spells: `'21'`, `'2.5'`, `'twenty-one'`, `'Twenty one'`,
 * `'a couple of'` (2), `'a dozen'` (12); `null` for anything else. English words up to
 * ninety-nine only: larger amounts come in digits in chat.
 */
export function parseNumberInWords(phrase: string): number | null {
  const trimmed = phrase.trim();
  if (/^-?\d+(?:,\d{3})*(?:\.\d+)?$/.test(trimmed)) return Number(trimmed.replaceAll(',', ''));
  if (!wholeInWords.test(trimmed)) return null;
  const words = trimmed.toLowerCase().replace(/\s+/g, ' ');
  const idiom = idioms[words];
  if (idiom !== undefined) return idiom;
  const [first = '', second] = words.split(/[\s-]+/);
  const ten = tens[first];
  if (ten !== undefined) return ten + (second === undefined ? 0 : (units[second] ?? 0));
  return units[first] ?? null;
}

/**
 * Every number standing on its own in the text, in order: digits (`3`, `-2`, `1,500`, `2.5`,
 * `£40`, `3-night`) and words (see {@link parseNumberInWords}). Digits glued to letters or to
 * other digits by `/`, `:`, `.` or `-` are not numbers of their own (`HX-999`, `3pm`, `12th`,
 * `12/03`, `15:30`, `2026-12-24`, `A12`): they belong to a reference, a time or a date.
 */
export function findNumbersInWords(text: string): NumberInWords[] {
  const found: NumberInWords[] = [];
  for (const match of text.matchAll(digitsPattern)) {
    const sign = match[1] ?? '';
    const digits = match[2] ?? '';
    const start = match.index;
    const end = start + match[0].length;
    if (sign) {
      // A minus is a sign only where it starts a word; "HX-999" is a reference.
      if (start > 0 && !/\s/.test(text[start - 1] ?? '')) continue;
    } else if (/[\p{L}\p{N}_./:,-]/u.test(text[start - 1] ?? '')) {
      continue;
    }
    const after = text.slice(end, end + 2);
    if (/^[\p{L}\p{N}_]/u.test(after) || /^[/:.,-]\d/.test(after)) continue;
    found.push({
      value: Number(`${sign}${digits.replaceAll(',', '')}`),
      start,
      end,
      inWords: false,
    });
  }
  for (const match of text.matchAll(inWordsPattern)) {
    const value = parseNumberInWords(match[0]);
    if (value === null) continue;
    found.push({ value, start: match.index, end: match.index + match[0].length, inWords: true });
  }
  return found.sort((left, right) => left.start - right.start);
}

const unitNames = Object.fromEntries(Object.entries(units).map(([word, value]) => [value, word]));
const tenNames = Object.fromEntries(Object.entries(tens).map(([word, value]) => [value, word]));

/**
 * A regular expression source (no flags, no anchors) matching a whole number below 10,000
 * spelled in English words, as a customer types it: 900 as "nine hundred", 350 as "three
 * hundred and fifty" or "three hundred fifty", 21 as "twenty-one" or "twenty one", 1000 as
 * "a thousand" or "one thousand". `null` for any other number. Used where an option's name
 * holds digits ("Fibre 900") and the customer spells them.
 */
export function spelledNumberSource(value: number): string | null {
  if (!Number.isInteger(value) || value < 0 || value >= 10_000) return null;
  const separator = '[\\s-]+';
  const belowHundred = (number: number): string => {
    if (number < 20) return unitNames[number] as string;
    const ten = tenNames[number - (number % 10)] as string;
    return number % 10 === 0 ? ten : `${ten}${separator}${unitNames[number % 10]}`;
  };
  const withRest = (head: string, rest: number, restSource: (number: number) => string) =>
    rest === 0 ? head : `${head}${separator}(?:and${separator})?${restSource(rest)}`;
  const belowThousand = (number: number): string => {
    if (number < 100) return belowHundred(number);
    const hundreds = Math.floor(number / 100);
    const head = `(?:${hundreds === 1 ? 'a|one' : unitNames[hundreds]})${separator}hundred`;
    return withRest(head, number % 100, belowHundred);
  };
  if (value < 1000) return `(?:${belowThousand(value)})`;
  const thousands = Math.floor(value / 1000);
  const head = `(?:${thousands === 1 ? 'a|one' : unitNames[thousands]})${separator}thousand`;
  return `(?:${withRest(head, value % 1000, belowThousand)})`;
}
