import { featureBucket, foldHash, hashFeature } from './feature-hash';
import { stem } from './stem';
import { englishStopWords } from './stop-words';
import { tokenize } from './tokenize';

/** The kinds of features the offline embedder draws from a text, each weighted on its own. */
export type FeatureFamily = 'word' | 'bigram' | 'characters';

/** Every family, in the order vectors concatenate them. */
export const featureFamilies: readonly FeatureFamily[] = ['word', 'bigram', 'characters'];

/** What the feature extractor draws from a text; part of the embedder's vector space. */
export interface FeatureSettings {
  /** Shortest character n-gram taken inside a word (the word padded with `<` and `>`). */
  characterNgramMinimum: number;
  /** Longest character n-gram taken inside a word. */
  characterNgramMaximum: number;
}

/** Counts of hashed features, one map (bucket → count) per family. */
export type ExtractedFeatures = Record<FeatureFamily, Map<number, number>>;

/**
 * Draws hashed features from a text:
 * - `word`: every word's Porter stem, function words included (the corpus weighting, not a
 *   list, decides what they are worth: "how long" asks something "how" alone does not);
 * - `bigram`: pairs of adjacent stems, for word order ("top up", "not arrived");
 * - `characters`: n-grams of each content word with boundary marks (`<char`, `ged>`),
 *   which survive typos and inflections the stemmer misses. Function words are left out
 *   here: their short, common n-grams would blur every text into every other.
 *
 * Each family hashes under its own prefix, so a word and an n-gram spelled alike stay apart.
 */
export function extractFeatures(
  text: string,
  settings: FeatureSettings,
  dimensionBits: number,
): ExtractedFeatures {
  const features: ExtractedFeatures = {
    word: new Map(),
    bigram: new Map(),
    characters: new Map(),
  };
  const tokens = tokenize(text);
  const stems = tokens.map(stem);

  for (const word of stems) increment(features.word, featureBucket(`w ${word}`, dimensionBits));
  for (let index = 1; index < stems.length; index++) {
    increment(
      features.bigram,
      featureBucket(`b ${stems[index - 1]} ${stems[index]}`, dimensionBits),
    );
  }
  const { characterNgramMinimum: minimum, characterNgramMaximum: maximum } = settings;
  for (const token of tokens) {
    // Placeholders (`#number`) are whole words already; their spelling carries nothing.
    if (token.startsWith('#') || englishStopWords.has(token)) continue;
    // Code points, not UTF-16 units, so an emoji is one character and never split.
    const characters = Array.from(`<${token}>`);
    for (let start = 0; start + minimum <= characters.length; start++) {
      // The n-grams starting here share their prefix: hash it once, one character more
      // for each size (the same bucket as hashing `c <n-gram>` whole).
      let hash = characterPrefixHash;
      const end = Math.min(start + maximum, characters.length);
      for (let at = start; at < end; at++) {
        hash = hashFeature(characters[at]!, hash);
        if (at - start + 1 >= minimum)
          increment(features.characters, foldHash(hash, dimensionBits));
      }
    }
  }
  return features;
}

/** The hash state after the character family's prefix, `c `. */
const characterPrefixHash = hashFeature('c ');

function increment(counts: Map<number, number>, bucket: number): void {
  counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
}
