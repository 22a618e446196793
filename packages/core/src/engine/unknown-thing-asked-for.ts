import { stemOf, wordsOf } from './word-stems';

/**
 * Without a model, the thing a message asks whether the agent's service has, when the agent
 * never speaks of it: "do you do botox?", "do you rent out tandems?", "is there a café in the
 * central library?", "can I hire a bouncy castle from the council?". Such a question shares
 * its other words with the service ("do you do…", "central library", "hire"), so retrieval
 * finds a guideline close enough; but what it asks about, the head of the thing named (its
 * last word before a preposition), is in none of the agent's texts (`vocabulary`: the
 * stems of every word of its guidelines, journeys, canned responses, glossary, tools and
 * variables). `null` for any other message, and when the agent does speak of the thing
 * ("do you have e-books?" where a reply names e-books).
 *
 * Only this shape of question counts: an unknown word elsewhere says nothing ("my dad's 88
 * and can't get his bins down" is a paraphrase of an assisted collection).
 */
export function unknownThingAskedFor(
  message: string,
  vocabulary: ReadonlySet<string>,
): string | null {
  const text = message
    .trim()
    .replace(/[’‘]/g, "'")
    .replace(
      /^(?:\W*(?:hi|hello|hey|hiya|ok|okay|so|and|also|just wondering|quick question)\b[\s,!.:-]*)+/i,
      '',
    );
  const thing =
    availabilityQuestion.exec(text)?.groups?.thing ?? hireQuestion.exec(text)?.groups?.thing;
  if (!thing) return null;
  const words = wordsOf(
    thing.split(
      /\s+(?:in|at|for|from|near|on|with|by|to|of|during|this|next|today|tomorrow|please)\b/i,
    )[0] ?? '',
  ).filter((word) => !leadingWords.has(word));
  const head = words.at(-1);
  if (!head || head.length < 3 || /\d/.test(head)) return null;
  return vocabulary.has(stemOf(head)) ? null : words.join(' ');
}

/** The stems of every word of the agent's texts, for {@link unknownThingAskedFor}. */
export function vocabularyOf(texts: Iterable<string>): Set<string> {
  const vocabulary = new Set<string>();
  for (const text of texts) {
    for (const word of wordsOf(text)) vocabulary.add(stemOf(word));
    // "e-books" is also written "ebooks".
    for (const [hyphenated] of text.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu))
      vocabulary.add(stemOf(hyphenated.toLowerCase().replace(/-/g, '')));
  }
  return vocabulary;
}

// "do you (also) sell/offer/do… X", "does the library have X", "is there a X", "are there any X".
const availabilityQuestion =
  /^(?:(?:do|does|can|could|will|would)\s+(?:you|u|you guys|y'all|they|the \w+)\s+(?:also\s+|still\s+|even\s+)?(?:sell|offer|do|provide|stock|rent|hire|have|lend|loan|fix|repair|supply|run|deliver|accept|take|organise|organize)(?:\s+out|\s+off)?|(?:is|are)\s+there\s+(?:a|an|any|some))\s+(?<thing>[^?!.]+)/i;

// "can I hire / rent / buy / get X (from you)".
const hireQuestion = /^(?:can|could|may)\s+i\s+(?:hire|rent|buy|book|get)\s+(?<thing>[^?!.]+)/i;

/** Words before the thing itself: articles, quantities, "any", "old". */
const leadingWords = new Set(
  'a an the any some your you my our old new good cheap free second-hand secondhand'.split(' '),
);
