import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import type { SparseVector } from '../ports/embedder';
import { createOfflineEmbedder } from './offline-embedder';

const corpus = [
  { text: 'the customer asks about card arrival', group: 'card_arrival' },
  { text: 'My card has still not arrived', group: 'card_arrival' },
  { text: 'When will my new card be delivered?', group: 'card_arrival' },
  { text: 'the customer asks about transaction charged twice', group: 'charged_twice' },
  { text: 'I was charged twice for the same purchase', group: 'charged_twice' },
  { text: 'Why do I see a double charge on my statement?', group: 'charged_twice' },
  { text: 'the customer asks about exchange rate', group: 'exchange_rate' },
  { text: 'What exchange rate do you use for euros?', group: 'exchange_rate' },
  { text: 'How are currencies converted?', group: 'exchange_rate' },
];

function lengthOf(vector: SparseVector): number {
  let squared = 0;
  for (const value of vector.values) squared += value * value;
  return Math.sqrt(squared);
}

function dot(left: SparseVector, right: SparseVector): number {
  const values = new Map<number, number>();
  left.indices.forEach((index, position) => {
    values.set(index, left.values[position]!);
  });
  let sum = 0;
  right.indices.forEach((index, position) => {
    sum += (values.get(index) ?? 0) * right.values[position]!;
  });
  return sum;
}

function expectWellFormed(vector: SparseVector, dimensions: number): void {
  expect(vector.indices.length).toBe(vector.values.length);
  for (let position = 0; position < vector.indices.length; position++) {
    expect(vector.indices[position]!).toBeLessThan(dimensions);
    if (position > 0)
      expect(vector.indices[position]!).toBeGreaterThan(vector.indices[position - 1]!);
    expect(Number.isFinite(vector.values[position]!)).toBe(true);
  }
}

const texts = [
  'My card has still not arrived',
  'I was charged twice!!! Why??',
  'Ünïcödé accents and a café',
  'card 💳',
  '12345',
  '$',
  'a',
];

describe('createOfflineEmbedder', () => {
  for (const [name, embedder] of [
    ['unfitted', createOfflineEmbedder()],
    ['fitted', createOfflineEmbedder().fit(corpus)],
  ] as const) {
    it(`gives unit, well-formed vectors (${name})`, () => {
      for (const text of texts) {
        const vector = embedder.embedText(text);
        expectWellFormed(vector, embedder.dimensions);
        expect(vector.indices.length, text).toBeGreaterThan(0);
        expect(lengthOf(vector), text).toBeCloseTo(1, 5);
      }
    });
  }

  it('gives the empty vector for texts without features', () => {
    const embedder = createOfflineEmbedder().fit(corpus);
    for (const text of ['', '   \n\t', '?!…', '—']) {
      const vector = embedder.embedText(text);
      expect(vector.indices.length).toBe(0);
      expect(vector.values.length).toBe(0);
    }
  });

  it('handles very long text', () => {
    const embedder = createOfflineEmbedder().fit(corpus);
    const long = 'my card was charged twice and never arrived '.repeat(20_000);
    const vector = embedder.embedText(long);
    expectWellFormed(vector, embedder.dimensions);
    expect(lengthOf(vector)).toBeCloseTo(1, 5);
    const unusual = 'x'.repeat(200_000);
    expect(lengthOf(embedder.embedText(unusual))).toBeCloseTo(1, 5);
  });

  it('gives the same vector for the same text across instances', () => {
    const first = createOfflineEmbedder().fit(corpus);
    const second = createOfflineEmbedder().fit(corpus);
    expect(second.id).toBe(first.id);
    for (const text of texts) {
      const left = first.embedText(text);
      const right = second.embedText(text);
      expect(Array.from(right.indices)).toEqual(Array.from(left.indices));
      expect(Array.from(right.values)).toEqual(Array.from(left.values));
    }
    const unfitted = createOfflineEmbedder().embedText('card arrival');
    expect(Array.from(createOfflineEmbedder().embedText('card arrival').values)).toEqual(
      Array.from(unfitted.values),
    );
  });

  it('fits the same weights whatever the order of the corpus', () => {
    const forward = createOfflineEmbedder().fit(corpus);
    const backward = createOfflineEmbedder().fit([...corpus].reverse());
    expect(backward.id).toBe(forward.id);
    expect(Array.from(backward.embedText('charged twice').values)).toEqual(
      Array.from(forward.embedText('charged twice').values),
    );
  });

  it('names its space: version, dimensions, settings and fitted corpus', () => {
    const unfitted = createOfflineEmbedder();
    expect(unfitted.id).toBe('offline:v1:d20');
    expect(unfitted.dimensions).toBe(2 ** 20);
    expect(unfitted.statistics).toBeNull();
    expect(createOfflineEmbedder({ dimensionBits: 18 }).id).toBe('offline:v1:d18');
    const otherSettings = createOfflineEmbedder({ settings: { concentrationWeight: 2 } });
    expect(otherSettings.id).toMatch(/^offline:v1:d20:s-[0-9a-f]{8}$/);
    const fitted = unfitted.fit(corpus);
    expect(fitted.id).toMatch(/^offline:v1:d20:fit-[0-9a-f]{8}$/);
    expect(fitted.statistics?.documentCount).toBe(corpus.length);
    expect(fitted.statistics?.groupCount).toBe(3);
    expect(unfitted.fit(corpus.slice(1)).id).not.toBe(fitted.id);
    // Fitting returns a new embedder and leaves the first one as it was.
    expect(unfitted.id).toBe('offline:v1:d20');
  });

  it('embeds through the port as embedText does, and honours an aborted signal', async () => {
    const embedder = createOfflineEmbedder().fit(corpus);
    const vectors = await embedder.embed(['card arrival', 'charged twice'], { purpose: 'query' });
    expect(vectors).toHaveLength(2);
    expect(Array.from((vectors[1] as SparseVector).values)).toEqual(
      Array.from(embedder.embedText('charged twice').values),
    );
    const controller = new AbortController();
    controller.abort();
    await expect(embedder.embed(['card'], { signal: controller.signal })).rejects.toThrow();
  });

  it('still matches a misspelled word to its guideline better than to others', () => {
    const embedder = createOfflineEmbedder().fit(corpus);
    const query = embedder.embedText('I was chraged twcie for one purchse');
    const charged = embedder.embedText('I was charged twice for the same purchase');
    const arrival = embedder.embedText('My card has still not arrived');
    const exchange = embedder.embedText('What exchange rate do you use for euros?');
    expect(dot(query, charged)).toBeGreaterThan(dot(query, arrival));
    expect(dot(query, charged)).toBeGreaterThan(dot(query, exchange));
    // Inflections meet through stems: "arriving" finds "arrived".
    const arriving = embedder.embedText('is my card arriving soon');
    expect(dot(arriving, arrival)).toBeGreaterThan(dot(arriving, charged));
  });

  it('weighs words that single a guideline out above words all guidelines share', () => {
    const embedder = createOfflineEmbedder({
      settings: { familyWeights: { bigram: 0, characters: 0 } },
    }).fit(corpus);
    const vector = embedder.embedText('customer twice');
    // Two words, one in every condition, one in a single guideline.
    expect(vector.indices.length).toBe(2);
    const [first, second] = Array.from(vector.values);
    expect(Math.max(first!, second!) / Math.min(first!, second!)).toBeGreaterThan(1.5);
  });

  it('rejects settings it cannot honour', () => {
    for (const options of [
      { dimensionBits: 4 },
      { dimensionBits: 20.5 },
      { settings: { characterNgramMinimum: 4, characterNgramMaximum: 3 } },
      { settings: { familyWeights: { word: 0, bigram: 0, characters: 0 } } },
      { settings: { familyWeights: { word: -1, bigram: 1, characters: 1 } } },
      { settings: { concentrationWeight: Number.NaN } },
    ]) {
      let thrown: unknown;
      try {
        createOfflineEmbedder(options);
      } catch (error) {
        thrown = error;
      }
      expect(ParleyError.isInstance(thrown), JSON.stringify(options)).toBe(true);
      expect((thrown as ParleyError).code).toBe('validation_failed');
    }
  });
});
