import type { Embedder } from '../ports/embedder';
import { hashFeature } from '../retrieval/feature-hash';
import { stem } from '../retrieval/stem';
import { createSeededRandom } from '../testing/create-seeded-random';

/**
 * Word stems that stand for one concept, the way a neural model places synonyms together:
 * "money back" and "refund" share no word, and land on the same direction.
 */
const conceptOfStem: ReadonlyMap<string, string> = new Map(
  Object.entries({
    refund: ['refund', 'reimburs', 'monei', 'repaid', 'repai', 'paid', 'pai'],
    card: ['card', 'credit', 'debit'],
    shipping: ['ship', 'deliveri', 'deliv', 'parcel', 'packag', 'arriv', 'courier'],
    password: ['password', 'passcod', 'credenti', 'login', 'sign'],
    reset: ['reset', 'forgot', 'forget', 'recov', 'chang'],
    printer: ['printer', 'print', 'ink', 'toner', 'paper', 'cartridg'],
    firmware: ['firmwar', 'updat', 'upgrad', 'softwar'],
    error: ['error', 'fault', 'code'],
    time: ['dai', 'week', 'hour', 'time', 'long', 'soon', 'fast'],
  }).flatMap(([concept, stems]) => stems.map((word) => [word, concept] as const)),
);

/** Words that carry no meaning for the fixtures. */
const ignoredWords = new Set([
  'a',
  'an',
  'and',
  'are',
  'do',
  'does',
  'for',
  'get',
  'how',
  'i',
  'in',
  'is',
  'it',
  'my',
  'of',
  'on',
  'or',
  'the',
  'to',
  'what',
  'when',
  'will',
  'with',
  'your',
]);

/**
 * Weight of a word outside the concepts: small, as a neural model blurs a rare token (an
 * error code, a part number) into its context, which is why keyword search must rescue it.
 */
const unknownWordWeight = 0.15;

/** A fixed pseudo-random unit direction for a key, the same in every run. */
function directionOf(key: string, dimensions: number): Float32Array {
  const random = createSeededRandom(hashFeature(key));
  const direction = new Float32Array(dimensions);
  let sumOfSquares = 0;
  for (let index = 0; index < dimensions; index += 1) {
    const value = random() * 2 - 1;
    direction[index] = value;
    sumOfSquares += value * value;
  }
  const length = Math.sqrt(sumOfSquares);
  for (let index = 0; index < dimensions; index += 1) direction[index]! /= length;
  return direction;
}

/** Options of {@link createConceptEmbedder}. */
export interface ConceptEmbedderOptions {
  /** Length of the vectors; default 64. */
  dimensions?: number;
  /** Length of the vectors actually returned, to fake a model that does not fit its table. */
  returnedDimensions?: number;
}

/**
 * A deterministic dense {@link Embedder} for tests: each word's stem maps to a concept (or,
 * weakly, to itself), each concept to a fixed direction, and a text to the normalized sum.
 * Texts about the same concepts are close whatever their words; a text of no word gives the
 * zero vector.
 */
export function createConceptEmbedder(options: ConceptEmbedderOptions = {}): Embedder & {
  /** The `purpose` of every call, in order. */
  readonly purposes: Array<string | undefined>;
} {
  const dimensions = options.dimensions ?? 64;
  const returned = options.returnedDimensions ?? dimensions;
  const purposes: Array<string | undefined> = [];
  const embedText = (text: string): Float32Array => {
    const vector = new Float32Array(returned);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      if (ignoredWords.has(word)) continue;
      const wordStem = stem(word);
      const concept = conceptOfStem.get(wordStem);
      const direction = directionOf(concept ?? `word:${wordStem}`, returned);
      const weight = concept === undefined ? unknownWordWeight : 1;
      for (let index = 0; index < returned; index += 1) {
        vector[index]! += weight * direction[index]!;
      }
    }
    let sumOfSquares = 0;
    for (const value of vector) sumOfSquares += value * value;
    if (sumOfSquares > 0) {
      const length = Math.sqrt(sumOfSquares);
      for (let index = 0; index < returned; index += 1) vector[index]! /= length;
    }
    return vector;
  };
  return {
    id: `concept-test:${dimensions}`,
    dimensions,
    purposes,
    async embed(texts, embedOptions) {
      embedOptions?.signal?.throwIfAborted();
      purposes.push(embedOptions?.purpose);
      return texts.map(embedText);
    },
  };
}
