import { parseDateInWords } from './parse-date-in-words';

/** What {@link extractArguments} reads. */
export interface ArgumentExtractionInput {
  /** The tool's parameters as JSON Schema: an object schema with `properties` and `required`. */
  schema: Record<string, unknown>;
  /** The customer's latest message. */
  text: string;
  /** Earlier customer messages of the session, newest first: searched after `text` for values it lacks. */
  earlierTexts?: readonly string[];
  /** Now, for dates in words ("tomorrow", "next Friday"). */
  now: Date;
  /** BCP 47 locale; decides the day/month order of dates like 03/04 (en-US: month first). Default 'en-GB'. */
  locale?: string;
  /** IANA time zone the customer's "today" is in; default 'UTC'. */
  timeZone?: string;
}

/** The arguments found, and the required ones that were not. */
export interface ArgumentExtraction {
  /** The values found, by parameter name, in the schema's types (dates as 'YYYY-MM-DD'). */
  arguments: Record<string, unknown>;
  /** Required parameters no value was found for, in the schema's order. */
  missing: string[];
  /** Where each value found came from. */
  sources: Record<string, 'latest' | 'earlier'>;
}

/** A JSON Schema property, as far as extraction reads it. */
interface Property {
  type?: string | string[];
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  description?: string;
  default?: unknown;
  /** Parley's extension (zod: `.meta({ extract: {…} })`). */
  extract?: {
    synonyms?: Record<string, string[]>;
    keywords?: string[];
    uppercase?: boolean;
  };
}

const numberWords: Record<string, number> = {
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
  a: 1,
  an: 1,
  couple: 2,
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words of a parameter's name (`partySize` → party, size) and description, for finding its number. */
function keywordsOf(name: string, property: Property): string[] {
  const split = (text: string) =>
    text
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z]+/)
      .filter((word) => word.length > 2);
  return [
    ...(property.extract?.keywords ?? []),
    ...split(name),
    ...split(property.description ?? ''),
  ];
}

/**
 * Fills a tool's arguments from the customer's words without a model, driven by each
 * parameter's JSON Schema: `enum` values (and `extract.synonyms`), a `pattern` (references,
 * postcodes), `format: "date"` (dates in words, relative to `now`), `format: "email"`, and
 * numbers in digits or words next to the parameter's name or `extract.keywords`. Plain strings
 * are never guessed. The latest text is read first, then the earlier ones, newest first.
 */
export function extractArguments(input: ArgumentExtractionInput): ArgumentExtraction {
  const properties = (input.schema.properties ?? {}) as Record<string, Property>;
  const required = new Set((input.schema.required ?? []) as string[]);
  const texts: Array<{ text: string; source: 'latest' | 'earlier' }> = [
    { text: input.text, source: 'latest' },
    ...(input.earlierTexts ?? []).map((text) => ({ text, source: 'earlier' as const })),
  ];
  const found: Record<string, unknown> = {};
  const sources: Record<string, 'latest' | 'earlier'> = {};
  for (const { text, source } of texts) {
    // Spans other parameters took in this text: their digits are not numbers of their own.
    const taken: Array<[number, number]> = [];
    const names = Object.keys(properties).sort(
      (left, right) => rank(properties[right] as Property) - rank(properties[left] as Property),
    );
    for (const name of names) {
      if (name in found) continue;
      const property = properties[name] as Property;
      const value = extractOne(name, property, text, taken, input);
      if (value !== undefined) {
        found[name] = value;
        sources[name] = source;
      }
    }
  }
  const missing = Object.keys(properties).filter(
    (name) => required.has(name) && !(name in found) && properties[name]?.default === undefined,
  );
  return { arguments: found, missing, sources };
}

/** Patterns and dates first: the numbers inside them are not counts. */
function rank(property: Property): number {
  if (property.pattern && property.format !== 'date') return 3;
  if (property.format === 'date' || property.format === 'email') return 2;
  if (property.enum) return 1;
  return 0;
}

function extractOne(
  name: string,
  property: Property,
  text: string,
  taken: Array<[number, number]>,
  input: ArgumentExtractionInput,
): unknown {
  if (Array.isArray(property.enum)) return extractEnum(property, text);
  if (property.format === 'date') {
    const date = parseDateInWords(text, {
      now: input.now,
      locale: input.locale,
      timeZone: input.timeZone,
    });
    if (!date) return undefined;
    taken.push([date.start, date.end]);
    return date.date;
  }
  if (property.format === 'email') return /[^\s@]+@[^\s@]+\.[a-z]{2,}/i.exec(text)?.[0];
  if (property.pattern) {
    const source = property.pattern.replace(/^\^/, '').replace(/\$$/, '');
    let pattern: RegExp;
    try {
      pattern = new RegExp(source);
    } catch {
      return undefined;
    }
    const exact = pattern.exec(text);
    if (exact) {
      taken.push([exact.index, exact.index + exact[0].length]);
      return property.extract?.uppercase ? exact[0].toUpperCase() : exact[0];
    }
    // "lc-101" for LC-\d+: taken in the pattern's own capitals when that makes it match.
    const loose = new RegExp(source, 'i').exec(text);
    if (!loose || !pattern.test(loose[0].toUpperCase())) return undefined;
    taken.push([loose.index, loose.index + loose[0].length]);
    return loose[0].toUpperCase();
  }
  const type = Array.isArray(property.type) ? property.type : [property.type];
  if (type.includes('integer') || type.includes('number'))
    return extractNumber(name, property, text, taken, type.includes('integer'));
  return undefined;
}

function extractEnum(property: Property, text: string): unknown {
  const mentioned = new Set<unknown>();
  for (const value of property.enum ?? []) {
    if (typeof value !== 'string') continue;
    const phrases = [value.replace(/[_-]+/g, ' '), ...(property.extract?.synonyms?.[value] ?? [])];
    const said = phrases.some((phrase) =>
      new RegExp(
        `\\b${escapeRegExp(phrase.toLowerCase()).replace(/ /g, '[\\s_-]+')}s?\\b`,
        'i',
      ).test(text),
    );
    if (said) mentioned.add(value);
  }
  // Two values named ("fibre 300 or fibre 900?"): the customer has not chosen yet.
  return mentioned.size === 1 ? [...mentioned][0] : undefined;
}

function extractNumber(
  name: string,
  property: Property,
  text: string,
  taken: Array<[number, number]>,
  integer: boolean,
): number | undefined {
  const candidates: Array<{ value: number; start: number; end: number }> = [];
  for (const match of text.matchAll(/\d+(?:[.,]\d+)?/g)) {
    candidates.push({
      value: Number(match[0].replace(',', '.')),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  for (const match of text.matchAll(/\b[a-z]+\b/gi)) {
    const value = numberWords[match[0].toLowerCase()];
    // "a" and "an" count only before a keyword ("a week"): handled by proximity below.
    if (value !== undefined)
      candidates.push({ value, start: match.index, end: match.index + match[0].length });
  }
  const inRange = candidates.filter(
    (candidate) =>
      !taken.some(([start, end]) => candidate.start < end && candidate.end > start) &&
      (!integer || Number.isInteger(candidate.value)) &&
      (property.minimum === undefined || candidate.value >= property.minimum) &&
      (property.maximum === undefined || candidate.value <= property.maximum) &&
      (property.exclusiveMinimum === undefined || candidate.value > property.exclusiveMinimum) &&
      (property.exclusiveMaximum === undefined || candidate.value < property.exclusiveMaximum),
  );
  const keywords = keywordsOf(name, property);
  const near = inRange.filter((candidate) => {
    const after = text.slice(candidate.end, candidate.end + 24).toLowerCase();
    const before = text.slice(Math.max(0, candidate.start - 24), candidate.start).toLowerCase();
    return keywords.some((keyword) => {
      const stem = keyword.replace(/s$/, '');
      return (
        new RegExp(`^\\s*(more\\s+|extra\\s+)?${escapeRegExp(stem)}`).test(after) ||
        before.includes(stem)
      );
    });
  });
  if (near.length > 0) return near[0]?.value;
  // Without a keyword, only a lone digit-written number is taken (never "a" or "one").
  const digits = inRange.filter((candidate) =>
    /\d/.test(text.slice(candidate.start, candidate.end)),
  );
  return digits.length === 1 ? digits[0]?.value : undefined;
}
