import { findDatesInWords } from './parse-date-in-words';
import { findNumbersInWords, spelledNumberSource } from './parse-number-in-words';

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
  /** BCP 47 locale; decides day/month order of numeric dates like 03/04 (en-US month first, others day first). Default 'en-GB'. */
  locale?: string;
  /** IANA time zone the customer's "today" is in; default 'UTC'. */
  timeZone?: string;
}

/** The arguments found, and the required ones that were not. */
export interface ArgumentExtraction {
  /** The values found, by parameter name, already in the JSON Schema's type (numbers as numbers, dates as 'YYYY-MM-DD'). */
  arguments: Record<string, unknown>;
  /** Required parameters no value was found for, in the schema's order. */
  missing: string[];
  /** For each value found: where it came from ('latest' | 'earlier'). */
  sources: Record<string, 'latest' | 'earlier'>;
}

/**
 * Parley's `extract` keyword on a parameter's JSON Schema, telling {@link extractArguments}
 * how the customer may say its value. With zod: `z.enum([...]).meta({ extract: {...} })`
 * (zod 4 copies `.meta()` keys into the JSON Schema).
 */
export interface ArgumentExtractionHints {
  /** Other words for enum values: `{ double: ['twin', 'two beds'] }`. */
  synonyms?: Record<string, string[]>;
  /** Words a number, date, time or email is said next to (`['nights']`), besides the name's. */
  keywords?: string[];
  /** Upper-case a `pattern` match (`hx-123` → `HX-123`). */
  uppercase?: boolean;
  /** Phrases meaning `true` for a boolean parameter; without them a boolean is never guessed. */
  yes?: string[];
  /** Phrases meaning `false` for a boolean parameter. */
  no?: string[];
  /** Lead-ins of a free-text string (`['my name is', 'called']`): the words after, up to punctuation. */
  after?: string[];
}

/**
 * Fills a tool's arguments from the customer's words, without a language model, by what each
 * parameter of its JSON Schema declares:
 *
 * - `enum`: the value whose words the text contains (`family_suite` also as "family suite",
 *   plurals too), or one of its `extract.synonyms`;
 * - `pattern`: the pattern's match (anchors dropped; case-sensitive first, then not), upper-cased
 *   with `extract.uppercase`, or when only its capitals fit the schema (`bs-1063` for
 *   `^BS-\d{4}$`); a match the schema's own pattern refuses either way is not taken;
 * - `format: "date"`: a date in words, relative to `now` in `timeZone` (see
 *   `parseDateInWords`); the `pattern` zod adds beside it is not used;
 * - `format: "time"` (or zod's `z.iso.time()` pattern): `3pm`, `15:30`, `noon`,
 *   `half past two in the afternoon`, as `HH:MM`;
 * - `format: "email"`: an email address;
 * - `integer` / `number`: digits or words ("two", "twenty-one", "a couple of"), within
 *   `minimum` / `maximum` / `exclusiveMinimum` / `exclusiveMaximum`;
 * - `boolean`: only by `extract.yes` / `extract.no` phrases;
 * - other strings: only after an `extract.after` lead-in ("my name is …").
 *
 * Where several parameters could take a number, date, time or email, each value goes to the
 * parameter whose keywords (`extract.keywords`, the words of its name, `partySize` → party,
 * size, and of its `description`; a parameter counting people also knows "adults", "kids",
 * "boys"…) stand next to it: "3 nights for 2 people". A value with no keyword beside it
 * ("for 2") is taken only when one such parameter alone can hold it, and a number counting
 * something else ("2 kids", "room 12") never. Digits inside another parameter's match (the 999
 * of `HX-999`), an email or a date are never a number.
 *
 * Never guessed: a value named twice differently in one text ("single or double?", "HX-1 or
 * HX-2"): the customer has not chosen, so that parameter is left out, and earlier messages
 * are not asked either, since the newest words reopened the choice. Defaults are left to the
 * schema (zod applies them), and a parameter with one is never missing. Nested objects and
 * arrays are not read. The latest text is read first; earlier ones, newest first, only for
 * what it lacks, so a value in the latest text always wins.
 *
 * Pure and deterministic. Throws a `validation_failed` ParleyError for an unknown `timeZone`
 * or `locale` when the schema has a date to read.
 */
export function extractArguments(input: ArgumentExtractionInput): ArgumentExtraction {
  const properties = asRecord(input.schema.properties) ?? {};
  const parameters = Object.entries(properties).map(([name, raw]) => parameterOf(name, raw));
  const texts = [input.text, ...(input.earlierTexts ?? [])];
  const readings = texts.map((text) => readText(text, parameters, input));
  // Parameters the customer named somewhere: a bare value is not theirs to take.
  const spokenFor = new Set(readings.flatMap((reading) => [...reading.values.keys()]));

  const found: Record<string, unknown> = {};
  const sources: Record<string, 'latest' | 'earlier'> = {};
  const settled = new Set<string>();
  const settle = (name: string, value: unknown, index: number) => {
    found[name] = value;
    sources[name] = index === 0 ? 'latest' : 'earlier';
    settled.add(name);
  };
  readings.forEach((reading, index) => {
    for (const parameter of parameters) {
      if (settled.has(parameter.name)) continue;
      if (reading.blocked.has(parameter.name)) settled.add(parameter.name);
      else if (reading.values.has(parameter.name))
        settle(parameter.name, reading.values.get(parameter.name), index);
    }
    for (const [kind, values] of reading.bare) {
      const distinct = distinctValues(values);
      if (distinct.length !== 1) continue;
      const [value] = distinct;
      const takers = parameters.filter(
        (parameter) =>
          parameter.kind === kind &&
          !settled.has(parameter.name) &&
          parameter.accept(value) !== undefined,
      );
      const unnamed = takers.filter((parameter) => !spokenFor.has(parameter.name));
      const taker = takers.length === 1 ? takers[0] : unnamed.length === 1 ? unnamed[0] : null;
      if (taker) settle(taker.name, taker.accept(value), index);
    }
  });

  const required = Array.isArray(input.schema.required)
    ? input.schema.required.filter((name): name is string => typeof name === 'string')
    : [];
  const byName = new Map(parameters.map((parameter) => [parameter.name, parameter]));
  const order = [...parameters.map((parameter) => parameter.name), ...required];
  const missing = [...new Set(order)].filter(
    (name) => required.includes(name) && !(name in found) && !byName.get(name)?.hasDefault,
  );
  return { arguments: found, missing, sources };
}

/** A JSON Schema property, as far as extraction reads it. */
interface Property {
  type?: unknown;
  enum?: unknown;
  pattern?: unknown;
  format?: unknown;
  minimum?: unknown;
  maximum?: unknown;
  exclusiveMinimum?: unknown;
  exclusiveMaximum?: unknown;
  minLength?: unknown;
  maxLength?: unknown;
  description?: unknown;
  default?: unknown;
  anyOf?: unknown;
  oneOf?: unknown;
  extract?: ArgumentExtractionHints;
}

/** How a parameter's value is looked for. The slot kinds compete for the same kind of value. */
type Kind = SlotKind | 'enum' | 'pattern' | 'boolean' | 'after' | 'none';
type SlotKind = 'number' | 'date' | 'time' | 'email';

interface Keyword {
  stem: string;
  /** Added to the distance: description words count a little less than names and keywords. */
  weight: number;
  /**
   * Whether it counts before the value too ("party of 6"), or only after it, as its unit ("6
   * people"): a description's other nouns ("the appointment with one of…") say nothing.
   */
  before: boolean;
}

interface Parameter {
  name: string;
  kind: Kind;
  property: Property;
  hasDefault: boolean;
  keywords: Keyword[];
  /** The value in the schema's type if the schema allows it, else `undefined`. */
  accept(value: unknown): unknown;
}

/** What one text says: values by parameter, parameters it leaves undecided, and bare values. */
interface TextReading {
  values: Map<string, unknown>;
  blocked: Set<string>;
  bare: Map<SlotKind, unknown[]>;
}

interface Span {
  start: number;
  end: number;
}

interface Candidate extends Span {
  value: unknown;
  /** May be taken without a keyword next to it. */
  bare: boolean;
}

// zod's `z.iso.time()` emits no `format`, only this pattern (with or without seconds).
const zodTimePattern = '^(?:[01]\\d|2[0-3]):[0-5]\\d';

function parameterOf(name: string, raw: unknown): Parameter {
  const property = unwrapNullable(asRecord(raw) ?? {});
  const hints = asRecord(property.extract) ?? {};
  const types = typesOf(property);
  const kind = kindOf(property, types, hints);
  return {
    name,
    kind,
    property,
    hasDefault: property.default !== undefined,
    keywords: keywordsOf(name, property, hints),
    accept: (value) => acceptValue(kind, property, types, value),
  };
}

function kindOf(property: Property, types: string[], hints: ArgumentExtractionHints): Kind {
  if (Array.isArray(property.enum) && property.enum.some((value) => typeof value === 'string'))
    return 'enum';
  const isString = types.length === 0 || types.includes('string');
  if (isString && types.length <= 1) {
    if (property.format === 'date') return 'date';
    if (
      property.format === 'time' ||
      (typeof property.pattern === 'string' && property.pattern.startsWith(zodTimePattern))
    )
      return 'time';
    if (property.format === 'email') return 'email';
    if (typeof property.pattern === 'string') return 'pattern';
    if (stringsOf(hints.after).length > 0) return 'after';
  }
  if (types.length === 1 && (types[0] === 'integer' || types[0] === 'number')) return 'number';
  if (
    types.length === 1 &&
    types[0] === 'boolean' &&
    stringsOf(hints.yes).length + stringsOf(hints.no).length > 0
  )
    return 'boolean';
  return 'none';
}

/** `type: ['string', 'null']` and `anyOf: [{…}, { type: 'null' }]` read as the non-null type. */
function unwrapNullable(property: Property): Property {
  const branches = property.anyOf ?? property.oneOf;
  if (Array.isArray(branches)) {
    const others = branches
      .map(asRecord)
      .filter((branch): branch is Record<string, unknown> => branch !== undefined)
      .filter((branch) => branch.type !== 'null');
    if (others.length !== 1) return property;
    const { anyOf: _anyOf, oneOf: _oneOf, ...outer } = property;
    return unwrapNullable({ ...(others[0] as Property), ...outer });
  }
  return property;
}

function typesOf(property: Property): string[] {
  const types = Array.isArray(property.type) ? property.type : [property.type];
  return types.filter((type): type is string => typeof type === 'string' && type !== 'null');
}

function acceptValue(kind: Kind, property: Property, types: string[], value: unknown): unknown {
  if (kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    if (types[0] === 'integer' && !Number.isInteger(value)) return undefined;
    if (Array.isArray(property.enum) && !property.enum.includes(value)) return undefined;
    const bound = (key: keyof Property) =>
      typeof property[key] === 'number' ? (property[key] as number) : undefined;
    const [minimum, maximum] = [bound('minimum'), bound('maximum')];
    const [above, below] = [bound('exclusiveMinimum'), bound('exclusiveMaximum')];
    if (minimum !== undefined && value < minimum) return undefined;
    if (maximum !== undefined && value > maximum) return undefined;
    if (above !== undefined && value <= above) return undefined;
    if (below !== undefined && value >= below) return undefined;
    return value;
  }
  if (typeof value === 'boolean') return kind === 'boolean' ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const minLength = typeof property.minLength === 'number' ? property.minLength : 0;
  const maxLength = typeof property.maxLength === 'number' ? property.maxLength : Infinity;
  if (value.length < minLength || value.length > maxLength) return undefined;
  if (kind === 'date') return value;
  if (kind === 'time') {
    if (typeof property.pattern !== 'string') return value;
    // A schema asking for seconds gets them: "15:30" as "15:30:00".
    return [value, `${value}:00`].find((written) => matchesPattern(property.pattern, written));
  }
  if (typeof property.pattern === 'string' && !matchesPattern(property.pattern, value))
    return undefined;
  return value;
}

// Words that say nothing of what a number counts: "for 2", "make it 3 please".
const functionWords = new Set(
  (
    'a an the of for to in on at by with and or but so then than as if is are was were be am ' +
    "it its it’s it's that that's this these those there here i we us me you my our your " +
    'just only about around roughly maybe perhaps probably exactly like need want book ' +
    'reserve take make get have has had do say please thanks thank yes yeah ok okay sure ' +
    'total altogether all each how many much what which when who number num count amount ' +
    'value says said reads showing shows showed displays display think reckon guess'
  ).split(' '),
);
// Words of a parameter's name that name nothing ("numberOfNights" → nights).
const emptyNameWords = new Set(['a', 'an', 'the', 'of', 'number', 'num', 'count', 'amount']);

function keywordsOf(name: string, property: Property, hints: ArgumentExtractionHints): Keyword[] {
  const words = (text: string) =>
    text
      .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
  const keywords: Keyword[] = [
    ...stringsOf(hints.keywords).flatMap(words),
    ...words(name).filter((word) => !emptyNameWords.has(word)),
  ].map((word) => ({ stem: stemOf(word), weight: 0, before: true }));
  const description = typeof property.description === 'string' ? property.description : '';
  for (const word of words(description)) {
    if (word.length >= 3 && !functionWords.has(word))
      keywords.push({ stem: stemOf(word), weight: 0.25, before: false });
  }
  // A count of people is said with any word for people: "my two boys", "4 adults".
  if (keywords.some((keyword) => personWords.has(keyword.stem)))
    for (const stem of personWords) keywords.push({ stem, weight: 0.25, before: false });
  return keywords;
}

// Stems of words for people, one family of keywords.
const personWords = new Set(
  (
    'people person guest adult child children kid boy girl patient passenger traveller ' +
    'traveler diner visitor member friend attendee participant'
  ).split(' '),
);

/** Singular, lower-case: "Nights" and "night" are one keyword. */
function stemOf(word: string): string {
  const lower = word.toLowerCase().replace(/['’]s$/, '');
  return lower.length > 3 && lower.endsWith('s') && !lower.endsWith('ss')
    ? lower.slice(0, -1)
    : lower;
}

/**
 * Everything one text says, read in an order that lets the most specific readings claim their
 * words first: references and emails, then enum values, then dates, times and numbers.
 */
function readText(
  text: string,
  parameters: readonly Parameter[],
  input: ArgumentExtractionInput,
): TextReading {
  const reading: TextReading = { values: new Map(), blocked: new Set(), bare: new Map() };
  const decide = (name: string, values: unknown[]) => {
    const distinct = distinctValues(values);
    if (distinct.length === 1) reading.values.set(name, distinct[0]);
    else if (distinct.length > 1) reading.blocked.add(name);
  };
  const ofKind = (kind: Kind) => parameters.filter((parameter) => parameter.kind === kind);
  // Spans whose digits belong to a reference, an email, a choice or a date: no counts inside.
  const claimed: Span[] = [];
  const unclaimed = <T extends Span>(spans: T[]) =>
    spans.filter((span) => !claimed.some((other) => overlaps(span, other)));

  for (const parameter of ofKind('pattern')) {
    const matches = findPatternMatches(text, String(parameter.property.pattern));
    claimed.push(...matches);
    const uppercase = parameter.property.extract?.uppercase === true;
    decide(
      parameter.name,
      matches
        .map((match) =>
          uppercase
            ? parameter.accept(match.value.toUpperCase())
            : // "bs-1063" for `^BS-\d{4}$`: in capitals when only they fit the schema.
              (parameter.accept(match.value) ?? parameter.accept(match.value.toUpperCase())),
        )
        .filter((value) => value !== undefined),
    );
  }
  const emails = findEmails(text);
  claimed.push(...emails);
  for (const parameter of ofKind('enum')) {
    const hints = parameter.property.extract ?? {};
    const synonyms = asRecord(hints.synonyms) ?? {};
    const entries = (parameter.property.enum as unknown[])
      .filter((value): value is string => typeof value === 'string')
      .flatMap((value) =>
        [value, ...stringsOf(synonyms[value])].map((phrase) => ({ value, phrase })),
      );
    const mentions = findPhrases(text, entries, true);
    claimed.push(...mentions);
    // "not the book, the DVD": a choice ruled out is no choice; ruled out alone, it leaves
    // the parameter undecided.
    const ruledOut = mentions.filter((mention) => negated(text, mention.start));
    const kept = mentions.filter((mention) => !ruledOut.includes(mention));
    if (kept.length === 0 && ruledOut.length > 0) reading.blocked.add(parameter.name);
    // "only the dvd please, I'm taking the books back": the one singled out is the choice.
    const singledOut = kept.filter((mention) => singled(text, mention.start));
    decide(
      parameter.name,
      (singledOut.length > 0 ? singledOut : kept).map((mention) => mention.value),
    );
  }
  for (const parameter of ofKind('boolean')) {
    const hints = parameter.property.extract ?? {};
    const entries = [
      ...stringsOf(hints.yes).map((phrase) => ({ value: true, phrase })),
      ...stringsOf(hints.no).map((phrase) => ({ value: false, phrase })),
    ];
    decide(
      parameter.name,
      findPhrases(text, entries, false).map((mention) => mention.value),
    );
  }
  for (const parameter of ofKind('after')) {
    const leadIns = stringsOf(parameter.property.extract?.after);
    decide(
      parameter.name,
      findAfterLeadIns(text, leadIns)
        .map((value) => parameter.accept(value))
        .filter((value) => value !== undefined),
    );
  }

  const words = wordsOf(text);
  const slot = (kind: SlotKind, candidates: Candidate[]) => {
    const competitors = ofKind(kind);
    if (competitors.length === 0) return;
    const assigned = assignSlots(words, candidates, competitors);
    for (const [name, values] of assigned.values) decide(name, values);
    if (assigned.bare.length > 0) reading.bare.set(kind, assigned.bare);
  };
  slot(
    'email',
    emails.map((email) => ({ ...email, bare: true })),
  );
  if (ofKind('date').length > 0) {
    const dates = unclaimed(
      findDatesInWords(text, {
        now: input.now,
        locale: input.locale,
        timeZone: input.timeZone,
        past: speaksOfThePast(text),
      }),
    );
    claimed.push(...dates);
    slot(
      'date',
      dates.map((date) => ({ value: date.date, start: date.start, end: date.end, bare: true })),
    );
  }
  if (ofKind('time').length > 0) {
    const times = unclaimed(findTimes(text));
    claimed.push(...times);
    slot(
      'time',
      times.map((time) => ({ ...time, bare: true })),
    );
  }
  if (ofKind('number').length > 0) {
    const numbers = unclaimed(findNumbersInWords(text));
    slot(
      'number',
      numbers.map((number) => ({
        value: number.value,
        start: number.start,
        end: number.end,
        // "one" is too often no number ("the blue one") to be taken without its keyword.
        bare:
          countsNothingElse(words, number) &&
          text.slice(number.start, number.end).toLowerCase() !== 'one',
      })),
    );
  }
  return reading;
}

interface Word extends Span {
  /** The word's stem, or `null` for punctuation that ends a clause. */
  stem: string | null;
  lower: string;
}

function wordsOf(text: string): Word[] {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[.,;!?()\n]/gu)].map((match) => {
    const lower = match[0].toLowerCase();
    const isWord = /[\p{L}\p{N}]/u.test(lower);
    return {
      start: match.index,
      end: match.index + match[0].length,
      stem: isWord ? stemOf(lower) : null,
      lower,
    };
  });
}

/** Up to this many words on either side of a value are searched for its keywords. */
const wordsAfter = 2;
const wordsBefore = 3;

/**
 * Gives each candidate value to the parameter whose keyword stands nearest it (a keyword after
 * the value, its unit, beats one before at the same distance); a value no keyword stands by is
 * returned as bare, if it may be taken bare at all.
 */
function assignSlots(
  words: readonly Word[],
  candidates: readonly Candidate[],
  parameters: readonly Parameter[],
): { values: Map<string, unknown[]>; bare: unknown[] } {
  const scored = new Map<string, Array<{ value: unknown; score: number }>>();
  const bare: unknown[] = [];
  for (const candidate of candidates) {
    const others = candidates.filter((other) => other !== candidate);
    const near = [
      ...neighbours(words, candidate, others, 'after').map((word, index) => ({
        word,
        distance: index + 1,
        before: false,
      })),
      ...neighbours(words, candidate, others, 'before').map((word, index) => ({
        word,
        distance: index + 1.5,
        before: true,
      })),
    ];
    let best: { names: Set<string>; score: number } | null = null;
    for (const parameter of parameters) {
      for (const { word, distance, before } of near) {
        for (const keyword of parameter.keywords) {
          if (keyword.stem !== word.stem || (before && !keyword.before)) continue;
          const score = distance + keyword.weight;
          if (best === null || score < best.score) best = { names: new Set(), score };
          if (score === best.score) best.names.add(parameter.name);
        }
      }
    }
    if (best === null) {
      if (candidate.bare) bare.push(candidate.value);
      continue;
    }
    // Nearer to two parameters' words alike: neither can claim it.
    if (best.names.size !== 1) continue;
    const [name = ''] = best.names;
    scored.set(name, [...(scored.get(name) ?? []), { value: candidate.value, score: best.score }]);
  }
  const values = new Map<string, unknown[]>();
  for (const parameter of parameters) {
    const accepted = (scored.get(parameter.name) ?? [])
      .map((entry) => ({ value: parameter.accept(entry.value), score: entry.score }))
      .filter((entry) => entry.value !== undefined);
    if (accepted.length === 0) continue;
    const nearest = Math.min(...accepted.map((entry) => entry.score));
    values.set(
      parameter.name,
      accepted.filter((entry) => entry.score === nearest).map((entry) => entry.value),
    );
  }
  return { values, bare };
}

/** The words beside a span, nearest first, within its clause and up to the next value. */
function neighbours(
  words: readonly Word[],
  span: Span,
  others: readonly Span[],
  side: 'before' | 'after',
): Word[] {
  const ordered =
    side === 'after'
      ? words.filter((word) => word.start >= span.end)
      : words.filter((word) => word.end <= span.start).reverse();
  const found: Word[] = [];
  for (const word of ordered) {
    if (word.stem === null || others.some((other) => overlaps(word, other))) break;
    found.push(word);
    if (found.length === (side === 'after' ? wordsAfter : wordsBefore)) break;
  }
  return found;
}

/** "for 2", "we are 4": no other noun beside the number says it counts something else. */
function countsNothingElse(words: readonly Word[], span: Span): boolean {
  const [after] = neighbours(words, span, [], 'after');
  const [before] = neighbours(words, span, [], 'before');
  return [after, before].every((word) => word === undefined || functionWords.has(word.lower));
}

interface Mention<T> extends Span {
  value: T;
}

/**
 * Where the phrases stand in the text, case-insensitively and as whole words (`_` and `-`
 * also as spaces, and with `plural` an added `s`/`es`); a mention inside a longer one ("single"
 * in "single plus") does not count.
 */
function findPhrases<T>(
  text: string,
  entries: ReadonlyArray<{ value: T; phrase: string }>,
  plural: boolean,
): Mention<T>[] {
  const mentions: Mention<T>[] = [];
  for (const { value, phrase } of entries) {
    // Digits in an option's words may be spelled by the customer: "fibre nine hundred".
    const words = phrase
      .split(/[\s_-]+/)
      .filter(Boolean)
      .map((word) => {
        const spelled = /^\d+$/.test(word) ? spelledNumberSource(Number(word)) : null;
        return spelled ? `(?:${word}|${spelled})` : escapeRegExp(word);
      });
    if (words.length === 0) continue;
    const source = `(?<![\\p{L}\\p{N}])${words.join('[\\s_-]+')}${plural ? '(?:s|es)?' : ''}(?![\\p{L}\\p{N}])`;
    for (const match of text.matchAll(new RegExp(source, 'giu')))
      mentions.push({ value, start: match.index, end: match.index + match[0].length });
  }
  return mentions.filter(
    (mention) =>
      !mentions.some(
        (other) =>
          other !== mention &&
          other.start <= mention.start &&
          other.end >= mention.end &&
          other.end - other.start > mention.end - mention.start,
      ),
  );
}

/**
 * Whether the words right before a position rule out what follows: "not the book", "no
 * DVDs", "instead of Northgate", "rather than a paperback", "I don't want the audiobook".
 */
function negated(text: string, start: number): boolean {
  return /(?<![\p{L}\p{N}])(?:not|no|never|instead of|rather than|other than|except|apart from|do ?n[o']?t (?:want|need))(?:\s+(?:the|a|an|my|that|this|any))?\s*$/iu.test(
    text.slice(0, start).replace(/’/g, "'"),
  );
}

/**
 * Whether a text speaks of the past ("I moved out on 2 May", "it was missed on the 12th"), so
 * its dates without a year are the latest such days, not the next; "I was wondering if…",
 * "was hoping to…" are no past.
 */
function speaksOfThePast(text: string): boolean {
  return /(?<![\p{L}'])(?:(?:was|were)(?!\s+(?:wondering|hoping|thinking|going|planning|looking|trying|about|meant)\b)|did|had|moved|went|left|happened|missed|paid|received|came|started|ago)(?![\p{L}'])/iu.test(
    text,
  );
}

/** Whether the words right before a position single out what follows: "only the DVD", "just books". */
function singled(text: string, start: number): boolean {
  return /(?<![\p{L}\p{N}])(?:only|just)(?:\s+(?:the|a|an|my|that|this|those|these))?\s*$/iu.test(
    text.slice(0, start),
  );
}

/** The words after each lead-in, up to the end of the clause: "my name is Ana Lima." → "Ana Lima". */
function findAfterLeadIns(text: string, leadIns: readonly string[]): string[] {
  const values: string[] = [];
  for (const leadIn of leadIns) {
    const words = leadIn.split(/\s+/).filter(Boolean).map(escapeRegExp);
    if (words.length === 0) continue;
    const source = `(?<![\\p{L}\\p{N}])${words.join('\\s+')}(?![\\p{L}\\p{N}])\\s*[:\\-–]?\\s*([^.,;!?\\n]+)`;
    for (const match of text.matchAll(new RegExp(source, 'giu'))) {
      const value = (match[1] ?? '').trim().replace(/^["'“‘]|["'”’]$/g, '');
      if (value) values.push(value);
    }
  }
  return values;
}

/**
 * Matches of a JSON Schema pattern anywhere in the text: its `^`/`$` anchors dropped, tried
 * case-sensitively, then, if nothing matched, not. A match glued to a letter or digit
 * (`HX-1234567` for `HX-\d{3,6}`) does not count.
 */
export function findPatternMatches(text: string, pattern: string): Mention<string>[] {
  const source = withoutAnchors(pattern);
  for (const flags of ['g', 'gi']) {
    const regExp = compile(source, flags);
    if (!regExp) return [];
    const matches: Mention<string>[] = [];
    for (const match of text.matchAll(regExp)) {
      const start = match.index;
      const end = start + match[0].length;
      if (end === start) continue;
      const glued = (inside: string | undefined, outside: string | undefined) =>
        /[\p{L}\p{N}]/u.test(inside ?? '') && /[\p{L}\p{N}]/u.test(outside ?? '');
      if (glued(text[start], text[start - 1]) || glued(text[end - 1], text[end])) continue;
      matches.push({ value: match[0], start, end });
    }
    if (matches.length > 0) return matches;
  }
  return spacedMatches(text, source);
}

/**
 * A reference typed with a space or hyphen between its letters and its digits, or among its
 * digits ("hc 2051177", "BS-10 42"), that the pattern takes written together ("HC2051177")
 * or with a hyphen after the letters ("gw 117590" → "GW-117590").
 * Tried only when nothing matched as typed.
 */
function spacedMatches(text: string, source: string): Mention<string>[] {
  const whole = compile(`^(?:${source})$`, 'i');
  if (!whole) return [];
  const spaced = /(?<![\p{L}\p{N}])(\p{L}{1,4})[ -]+(\d+(?:[ -]\d+)*)(?![\p{L}\p{N}])/gu;
  const matches: Mention<string>[] = [];
  for (const match of text.matchAll(spaced)) {
    const digits = (match[2] ?? '').replace(/[ -]/g, '');
    // Written together, or with the hyphen the pattern puts there ("gw 117590" → "GW-117590").
    const joined = [`${match[1]}${digits}`, `${match[1]}-${digits}`].find((value) =>
      whole.test(value),
    );
    if (joined)
      matches.push({ value: joined, start: match.index, end: match.index + match[0].length });
  }
  return matches;
}

/** The pattern without its `^` and `$` anchors (those outside character classes). */
function withoutAnchors(pattern: string): string {
  let result = '';
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index] as string;
    if (character === '\\') {
      result += pattern.slice(index, index + 2);
      index++;
      continue;
    }
    if (inClass) {
      if (character === ']') inClass = false;
    } else if (character === '[') {
      inClass = true;
    } else if (character === '^' || character === '$') {
      continue;
    }
    result += character;
  }
  return result;
}

/** The schema's pattern as JSON Schema means it: unicode-aware where the source allows. */
function compile(source: string, flags: string): RegExp | null {
  for (const unicode of ['u', '']) {
    try {
      return new RegExp(source, flags + unicode);
    } catch {
      // Not valid with the `u` flag (an identity escape such as `\'`): try without.
    }
  }
  return null;
}

function matchesPattern(pattern: unknown, value: string): boolean {
  return typeof pattern === 'string' && (compile(pattern, '')?.test(value) ?? false);
}

function findEmails(text: string): Mention<string>[] {
  const pattern =
    /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}(?![\p{L}\p{N}])/gu;
  return [...text.matchAll(pattern)].map((match) => ({
    value: match[0],
    start: match.index,
    end: match.index + match[0].length,
  }));
}

const hourWords = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve';
const timePatterns = [
  // "3pm", "3:30 p.m.", "half past two in the afternoon", "seven o'clock tonight".
  new RegExp(
    `(?<![\\p{L}\\p{N}:.])(?:(?<fraction>half|quarter)\\s+(?<relation>past|to)\\s+)?(?<hour>\\d{1,2}|${hourWords})(?:[.:](?<minute>[0-5]\\d))?(?:\\s+o['’]?clock)?(?:\\s*(?<meridiem>[ap])\\.?m\\.?(?![\\p{L}\\p{N}])|\\s+in\\s+the\\s+(?<dayPart>morning|afternoon|evening)(?![\\p{L}])|\\s+(?<night>at\\s+night|tonight)(?![\\p{L}]))`,
    'giu',
  ),
  // "15:30", "09:05": the 24-hour clock.
  /(?<![\p{L}\p{N}:./])(?<hour>[01]?\d|2[0-3]):(?<minute>[0-5]\d)(?::[0-5]\d)?(?![\p{L}\p{N}]|[:.]\p{N})/giu,
  /(?<![\p{L}\p{N}])(?<noon>noon|midday|midnight)(?![\p{L}\p{N}])/giu,
];

/**
 * Times of day as `HH:MM`, none overlapping. A 12-hour time needs its half of the day (`pm`,
 * `in the evening`, `tonight`): "at 3" and a bare "half past two" are not guessed.
 */
function findTimes(text: string): Mention<string>[] {
  const readings: Mention<string>[] = [];
  for (const pattern of timePatterns) {
    for (const match of text.matchAll(pattern)) {
      const value = timeOf(match.groups ?? {});
      if (value !== null)
        readings.push({ value, start: match.index, end: match.index + match[0].length });
    }
  }
  // Longest readings first: "3:30 pm" is one time, not "3:30".
  readings.sort(
    (left, right) => right.end - right.start - (left.end - left.start) || left.start - right.start,
  );
  const times: Mention<string>[] = [];
  for (const reading of readings)
    if (!times.some((time) => overlaps(reading, time))) times.push(reading);
  return times.sort((left, right) => left.start - right.start);
}

function timeOf(groups: Record<string, string | undefined>): string | null {
  const noon = groups.noon?.toLowerCase();
  if (noon) return noon === 'midnight' ? '00:00' : '12:00';
  const written = groups.hour?.toLowerCase() ?? '';
  let hour = /^\d+$/.test(written) ? Number(written) : hourWords.split('|').indexOf(written) + 1;
  let minute = groups.minute === undefined ? 0 : Number(groups.minute);
  const meridiem = groups.meridiem?.toLowerCase();
  const dayPart = groups.dayPart?.toLowerCase();
  // Only the 24-hour pattern matches without a half of the day.
  if (meridiem === undefined && dayPart === undefined && groups.night === undefined)
    return format(hour, minute);
  if (hour < 1 || hour > 12) return null;
  if (groups.fraction) {
    if (groups.minute !== undefined) return null;
    const quarter = groups.fraction.toLowerCase() === 'quarter';
    if (groups.relation?.toLowerCase() === 'past') minute = quarter ? 15 : 30;
    else if (quarter) {
      minute = 45;
      hour = hour === 1 ? 12 : hour - 1;
    } else return null; // "half to" is no English time.
  }
  const afternoon = meridiem === 'p' || (meridiem === undefined && dayPart !== 'morning');
  return format((hour % 12) + (afternoon ? 12 : 0), minute);
}

function format(hour: number, minute: number): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

function overlaps(left: Span, right: Span): boolean {
  return left.start < right.end && right.start < left.end;
}

function distinctValues(values: readonly unknown[]): unknown[] {
  return [...new Set(values)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
