import { describe, expect, it } from 'vitest';
import { extractFeatures } from './extract-features';
import { featureBucket } from './feature-hash';

const settings = { characterNgramMinimum: 3, characterNgramMaximum: 5 };

/** The features by their definition: each one spelled out, then hashed whole. */
function countsOf(features: string[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const feature of features) {
    const bucket = featureBucket(feature, 20);
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
  }
  return counts;
}

function characterGrams(word: string): string[] {
  const characters = Array.from(`<${word}>`);
  const grams: string[] = [];
  for (let size = 3; size <= 5; size++) {
    for (let start = 0; start + size <= characters.length; start++) {
      grams.push(`c ${characters.slice(start, start + size).join('')}`);
    }
  }
  return grams;
}

describe('extractFeatures', () => {
  it('draws stems, stem pairs and n-grams of content words, as defined', () => {
    const features = extractFeatures('My card was charged twice', settings, 20);
    const stems = ['my', 'card', 'wa', 'charg', 'twice'];
    expect(features.word).toEqual(countsOf(stems.map((stem) => `w ${stem}`)));
    expect(features.bigram).toEqual(
      countsOf(stems.slice(1).map((stem, position) => `b ${stems[position]} ${stem}`)),
    );
    // "my" and "was" are function words: no n-grams of theirs.
    expect(features.characters).toEqual(
      countsOf(['card', 'charged', 'twice'].flatMap(characterGrams)),
    );
  });

  it('counts repeats, keeps emoji whole, and skips number placeholders', () => {
    const features = extractFeatures('card card 💳 42', settings, 20);
    expect(features.word.get(featureBucket('w card', 20))).toBe(2);
    expect(features.characters).toEqual(
      countsOf([...characterGrams('card'), ...characterGrams('card'), ...characterGrams('💳')]),
    );
  });
});
