import { extractArguments } from '../tools/extract-arguments';
import { problemSolved } from './problem-solved';
import { asksForMissing } from './step-asks-for';
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

/** The most words a message may have to be taken whole as a free-text answer. */
const maximumAnswerWords = 10;

/**
 * Without a model, what a message answering a chat step gives the free-text parameters of a
 * journey's tools, by name: a step that asks for one ("Ask which title they would like to
 * reserve" asks for `title`) is answered by the message itself ("The Thursday Murder Club" is
 * the title), as a person at a desk would take it. Only a plain answer counts: short, no
 * question, no yes or no, no "that fixed it", nor another argument of the journey's tools
 * ("Northgate please" names the branch), so "actually, never mind" or "how long can I keep
 * it?" is no title. The message loses a lead-in ("it's", "it is called") and its closing
 * punctuation; a value the schema refuses (too long, too short) is not taken. Each schema is
 * read once, whatever the number of tools sharing a parameter.
 */
export function freeTextAnswers(input: {
  stepAction: string;
  /** The tool schemas of the journey. */
  schemas: readonly unknown[];
  message: string;
  now: Date;
}): Record<string, string> {
  const { stepAction, schemas, message } = input;
  const answer = plainAnswer(message);
  if (!answer) return {};
  // "Northgate please" at "which branch?" gives the branch, and is no title.
  const givesOther = schemas.some((schema) => {
    const freeText = new Set(freeTextParametersOf(schema));
    const found = extractArguments({
      schema: schema as Record<string, unknown>,
      text: message,
      now: input.now,
    }).arguments;
    return Object.keys(found).some((name) => !freeText.has(name));
  });
  if (givesOther) return {};
  const answers: Record<string, string> = {};
  // A value one tool's schema refuses is no value for the others either: the same answer.
  const refused = new Set<string>();
  for (const schema of schemas) {
    const properties = ((schema as { properties?: Record<string, Record<string, unknown>> })
      .properties ?? {}) as Record<string, Record<string, unknown>>;
    const names = Object.keys(properties);
    for (const name of freeTextParametersOf(schema)) {
      if (refused.has(name)) continue;
      // By words no other parameter shares: "book, audiobook or DVD?" asks for the format,
      // though a title's description names them too.
      const others = names.filter((other) => other !== name);
      if (!asksForMissing(stepAction, schema, [name], others)) continue;
      const { minLength, maxLength } = properties[name] ?? {};
      const tooShort = typeof minLength === 'number' && answer.length < minLength;
      const tooLong = typeof maxLength === 'number' && answer.length > maxLength;
      if (tooShort || tooLong) {
        refused.add(name);
        delete answers[name];
      } else answers[name] = answer;
    }
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
