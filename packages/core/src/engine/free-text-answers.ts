import type { Journey } from '../domain/journey';
import type { Term } from '../domain/term';
import { extractArguments } from '../tools/extract-arguments';
import { freeTextMention } from './free-text-mention';
import { problemSolved } from './problem-solved';
import { asksForMissing, choicePhrases } from './step-asks-for';
import { yesOrNo } from './yes-or-no';

/**
 * The free-text parameters of a tool's JSON Schema: strings with no `enum`, `pattern` nor
 * `format` (a title, a name, a description), which no reading of the words can find in a
 * sentence.
 */
export function freeTextParametersOf(schema: unknown): string[] {
  const properties = ((schema as { properties?: Record<string, Record<string, unknown>> })
    .properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(properties)
    .filter(
      ([, property]) =>
        property.type === 'string' &&
        property.enum === undefined &&
        property.pattern === undefined &&
        property.format === undefined,
    )
    .map(([name]) => name);
}

/** Where a journey's memory keeps its free-text answers: no tool's name can start with "#". */
export const freeTextAnswersKey = '#answers';

/** The most words a message may have to be taken whole as a free-text answer. */
const maximumAnswerWords = 10;

/**
 * Without a model, what a message gives the free-text parameters of a journey's tools, by
 * name, for the steps that ask for them (`stepActions`: "Ask which title they would like to
 * reserve" asks for `title`).
 *
 * - As a plain answer to such a step (`plainAnswers`), the message itself ("The Thursday
 *   Murder Club" is the title), as a person at a desk would take it. Only a plain answer
 *   counts: short, no question, no yes or no, no "that fixed it", nor another argument of the
 *   journey's tools ("Northgate please" names the branch), so "actually, never mind" or "how
 *   long can I keep it?" is no title. The message loses a lead-in ("it's", "it is called")
 *   and its closing punctuation.
 * - Otherwise, the value the sentence names among the agent's own words (see
 *   {@link freeTextMention}): "i want to reserve wolf hall", "wolf hall on dvd please". That
 *   is all a journey's first message can give, since it is no answer to a step.
 *
 * A value one schema refuses (too long, too short) is not taken for any. A mention is taken
 * only when a single free-text parameter is asked for: with a title and an author, which one
 * "wolf hall" is cannot be read from the words. Each schema is read once, whatever the
 * number of tools sharing a parameter.
 */
export function freeTextAnswers(input: {
  stepActions: readonly string[];
  /** The tool schemas of the journey. */
  schemas: readonly unknown[];
  message: string;
  now: Date;
  /** Whether the message answers one of the steps, so may be taken whole. */
  plainAnswers: boolean;
  /** The agent's own words around the values: the journey's texts, tool descriptions, glossary. */
  knownTexts: readonly string[];
}): Record<string, string> {
  const { stepActions, schemas, message } = input;
  const asked = new Map<string, { minLength?: unknown; maxLength?: unknown }[]>();
  const choices: string[] = [];
  let givesOther = false;
  for (const schema of schemas) {
    const properties = ((schema as { properties?: Record<string, Record<string, unknown>> })
      .properties ?? {}) as Record<string, Record<string, unknown>>;
    const names = Object.keys(properties);
    const freeText = new Set(freeTextParametersOf(schema));
    choices.push(...Object.values(properties).flatMap(choicePhrases));
    // "Northgate please" at "which branch?" gives the branch, and is no title.
    const found = extractArguments({
      schema: schema as Record<string, unknown>,
      text: message,
      now: input.now,
    }).arguments;
    if (Object.keys(found).some((name) => !freeText.has(name))) givesOther = true;
    for (const name of freeText) {
      // By words no other parameter shares: "book, audiobook or DVD?" asks for the format,
      // though a title's description names them too.
      const others = names.filter((other) => other !== name);
      if (!stepActions.some((action) => asksForMissing(action, schema, [name], others))) continue;
      asked.set(name, [...(asked.get(name) ?? []), properties[name] ?? {}]);
    }
  }
  if (asked.size === 0) return {};
  const plain = input.plainAnswers && !givesOther ? plainAnswer(message) : null;
  const value =
    plain ??
    (asked.size === 1 ? freeTextMention({ message, knownTexts: input.knownTexts, choices }) : null);
  if (!value) return {};
  const answers: Record<string, string> = {};
  for (const [name, limits] of asked) {
    // A value one tool's schema refuses is no value for the others either: the same answer.
    const refused = limits.some(({ minLength, maxLength }) => {
      const tooShort = typeof minLength === 'number' && value.length < minLength;
      const tooLong = typeof maxLength === 'number' && value.length > maxLength;
      return tooShort || tooLong;
    });
    if (!refused) answers[name] = value;
  }
  return answers;
}

const leadIn = /^(?:it'?s called|it is called|it'?s|it is|called|the title is|the name is)\s+/i;
const questionOpening =
  /^(?:who|what|when|where|why|how|which|can|could|do|does|did|is|are|will|would|should)\b/i;

/** The message as a free-text value, or `null` when it is not a plain answer. */
function plainAnswer(message: string): string | null {
  const text = message.trim();
  if (!text || text.includes('?') || questionOpening.test(text)) return null;
  if (text.split(/\s+/).length > maximumAnswerWords) return null;
  if (yesOrNo(text) !== null || problemSolved(text) !== null) return null;
  const value = text
    .replace(leadIn, '')
    .replace(/[.!,;:]+$/, '')
    .trim();
  return value || null;
}

const ownWordsByJourney = new WeakMap<Journey, string[]>();

/**
 * The agent's own words around a journey's values, for {@link freeTextMention}: the
 * journey's title, description, conditions, steps and ways on, its tools' and parameters'
 * descriptions, and the glossary's terms and synonyms. Kept per journey object, which a
 * catalog keeps for its revision.
 */
export function journeyOwnWords(
  journey: Journey,
  tools: readonly { description: string; schema: unknown }[],
  terms: readonly Term[],
): string[] {
  const kept = ownWordsByJourney.get(journey);
  if (kept) return kept;
  const texts = [
    journey.title,
    journey.description,
    ...journey.conditions,
    ...journey.states.flatMap((state) => (state.action ? [state.action] : [])),
    ...journey.transitions.flatMap((transition) =>
      transition.condition ? [transition.condition] : [],
    ),
    ...tools.flatMap((tool) => {
      const properties = ((tool.schema as { properties?: Record<string, Record<string, unknown>> })
        .properties ?? {}) as Record<string, Record<string, unknown>>;
      return [
        tool.description,
        ...Object.values(properties).flatMap((property) =>
          typeof property.description === 'string' ? [property.description] : [],
        ),
      ];
    }),
    ...terms.flatMap((term) => [term.name, ...term.synonyms]),
  ];
  ownWordsByJourney.set(journey, texts);
  return texts;
}
