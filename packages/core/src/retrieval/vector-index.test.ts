import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import type { SparseVector, Vector } from '../ports/embedder';
import { createSeededRandom } from '../testing/create-seeded-random';
import { createOfflineEmbedder } from './offline-embedder';
import type { VectorSearchHit } from './top-hits';
import {
  createVectorIndex,
  defaultVectorAggregation,
  type VectorAggregation,
} from './vector-index';

function sparse(entries: Record<number, number>): SparseVector {
  const indices = Object.keys(entries)
    .map(Number)
    .sort((left, right) => left - right);
  const values = indices.map((index) => entries[index]!);
  const length = Math.sqrt(values.reduce((sum, value) => sum + value * value, 0));
  return {
    indices: Uint32Array.from(indices),
    values: Float32Array.from(values, (value) => value / length),
  };
}

function expectValidationError(action: () => unknown): void {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(ParleyError.isInstance(thrown)).toBe(true);
  expect((thrown as ParleyError).code).toBe('validation_failed');
}

describe('createVectorIndex', () => {
  const guidelines: Record<string, string[]> = {
    card_arrival: [
      'the customer asks about card arrival',
      'My card has still not arrived',
      'When will my new card be delivered?',
    ],
    charged_twice: [
      'the customer asks about transaction charged twice',
      'I was charged twice for the same purchase',
      'Why is there a double charge on my statement?',
    ],
    exchange_rate: [
      'the customer asks about exchange rate',
      'What exchange rate do you use for euros?',
    ],
    lost_card: ['the customer asks about lost or stolen card', 'Someone stole my wallet and card'],
    pin_blocked: ['the customer asks about pin blocked', 'I typed the wrong PIN three times'],
  };
  const embedder = createOfflineEmbedder().fit(
    Object.entries(guidelines).flatMap(([group, texts]) => texts.map((text) => ({ text, group }))),
  );
  const buildIndex = () => {
    const index = createVectorIndex();
    for (const [id, texts] of Object.entries(guidelines)) {
      index.upsert(
        id,
        texts.map((text) => embedder.embedText(text)),
      );
    }
    return index;
  };

  it('finds the right guideline among distractors', () => {
    const index = buildIndex();
    expect(index.size).toBe(5);
    const cases: Record<string, string> = {
      'my new card still has not arrived': 'card_arrival',
      'you charged me twice': 'charged_twice',
      'what rate do you use to exchange dollars': 'exchange_rate',
      'my card was stolen': 'lost_card',
      'my pin is blocked': 'pin_blocked',
    };
    for (const [query, expected] of Object.entries(cases)) {
      const hits = index.search(embedder.embedText(query), 3);
      expect(hits[0]?.itemId, query).toBe(expected);
      for (let position = 1; position < hits.length; position++) {
        expect(hits[position]!.score).toBeLessThanOrEqual(hits[position - 1]!.score);
      }
    }
  });

  it('forgets removed items and replaces upserted ones', () => {
    const index = buildIndex();
    const query = embedder.embedText('you charged me twice');
    expect(index.remove('charged_twice')).toBe(true);
    expect(index.remove('charged_twice')).toBe(false);
    expect(index.has('charged_twice')).toBe(false);
    expect(index.size).toBe(4);
    expect(index.search(query, 5).map((hit) => hit.itemId)).not.toContain('charged_twice');

    // The id comes back with other vectors: only those count.
    index.upsert('charged_twice', [embedder.embedText('the customer asks about pin blocked')]);
    const hits = index.search(embedder.embedText('my pin is blocked'), 2);
    expect(hits.map((hit) => hit.itemId).sort()).toEqual(['charged_twice', 'pin_blocked']);
    expect(hits[0]!.score).toBeGreaterThan(0);
  });

  it('returns nothing sharing no coordinate, and at most k items', () => {
    const index = buildIndex();
    expect(index.search(embedder.embedText(''), 5)).toEqual([]);
    expect(index.search(embedder.embedText('zzzqqq'), 5)).toEqual([]);
    expect(index.search(embedder.embedText('card'), 0)).toEqual([]);
    expect(index.search(embedder.embedText('card'), 2)).toHaveLength(2);
    expect(createVectorIndex().search(embedder.embedText('card'), 3)).toEqual([]);
  });

  it('applies a filter', () => {
    const index = buildIndex();
    const hits = index.search(embedder.embedText('my card was stolen'), 5, {
      filter: (itemId) => itemId !== 'lost_card',
    });
    expect(hits.map((hit) => hit.itemId)).not.toContain('lost_card');
    expect(hits.length).toBeGreaterThan(0);
  });

  it('breaks ties by item id', () => {
    const index = createVectorIndex();
    const vector = sparse({ 1: 1, 2: 1 });
    for (const id of ['delta', 'alpha', 'charlie', 'bravo']) index.upsert(id, [vector]);
    const hits = index.search(vector, 3);
    expect(hits.map((hit) => hit.itemId)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(new Set(hits.map((hit) => hit.score)).size).toBe(1);
  });

  it('aggregates as documented: best vector and centroid', () => {
    const index = createVectorIndex({
      aggregation: { maximumWeight: 0.3, centroidWeight: 0.7, centroidExponent: 1 },
    });
    const first = sparse({ 1: 1 });
    const second = sparse({ 2: 1 });
    index.upsert('item', [first, second]);
    const [hit] = index.search(sparse({ 1: 1 }), 1);
    // Best vector: 1. Centroid: (1, 1) / √2, so cos = 1 / √2.
    expect(hit!.score).toBeCloseTo(0.3 * 1 + 0.7 / Math.SQRT2, 6);
  });

  it('searches dense vectors by brute force', () => {
    const index = createVectorIndex();
    const unit = (values: number[]) => {
      const length = Math.hypot(...values);
      return Float32Array.from(values, (value) => value / length);
    };
    index.upsert('north', [unit([0, 1, 0]), unit([0.1, 1, 0])]);
    index.upsert('east', [unit([1, 0, 0])]);
    index.upsert('down', [unit([0, 0, -1])]);
    const hits = index.search(unit([0.2, 1, 0]), 3);
    expect(hits.map((hit) => hit.itemId)).toEqual(['north', 'east', 'down']);
    // Dense scores may be negative, and every item is ranked.
    const [, , down] = index.search(unit([0, 0, 1]), 3);
    expect(down).toEqual({ itemId: 'down', score: expect.closeTo(-1, 5) });
    const north = index.search(unit([0, 1, 0]), 1)[0]!;
    const centroid = unit([0.1 / Math.hypot(0.1, 1), 1 + 1 / Math.hypot(0.1, 1), 0]);
    expect(north.score).toBeCloseTo(0.3 * 1 + 0.7 * centroid[1]!, 5);
    expect(index.remove('north')).toBe(true);
    expect(index.search(unit([0, 1, 0]), 3).map((hit) => hit.itemId)).not.toContain('north');
  });

  it('rejects mixed spaces and malformed vectors', () => {
    const sparseIndex = createVectorIndex();
    sparseIndex.upsert('a', [sparse({ 3: 1 })]);
    expectValidationError(() => sparseIndex.upsert('b', [new Float32Array([1, 0])]));
    expectValidationError(() => sparseIndex.search(new Float32Array([1, 0]), 1));
    expectValidationError(() => sparseIndex.upsert('b', []));
    expectValidationError(() =>
      sparseIndex.upsert('b', [{ indices: Uint32Array.of(2, 1), values: Float32Array.of(1, 1) }]),
    );
    expectValidationError(() => sparseIndex.search(sparse({ 1: 1 }), -1));
    expectValidationError(() => sparseIndex.search(sparse({ 1: 1 }), 1.5));

    const denseIndex = createVectorIndex();
    denseIndex.upsert('a', [new Float32Array([1, 0])]);
    expectValidationError(() => denseIndex.upsert('b', [new Float32Array([1, 0, 0])]));
    expectValidationError(() => denseIndex.search(new Float32Array([1, 0, 0]), 1));
    expectValidationError(() => denseIndex.upsert('b', [sparse({ 1: 1 })]));
    // Replacing the only item may change the kind of vector held.
    denseIndex.upsert('a', [sparse({ 1: 1 })]);
    expect(denseIndex.search(sparse({ 1: 1 }), 1)[0]?.itemId).toBe('a');
    expectValidationError(() => createVectorIndex({ aggregation: { maximumWeight: -1 } }));
  });
});

/**
 * The brute-force reference: the documented score of every item, computed directly from
 * its vectors (centroid = normalized (Σ vectors) ^ exponent; best vector = max dot), ranked
 * by score then id, keeping items that share a coordinate with the query. Vectors are
 * flattened once so that scoring every item for every query stays affordable.
 */
function createBruteForceReference(
  items: ReadonlyMap<string, readonly SparseVector[]>,
  aggregation: VectorAggregation,
) {
  const itemIds = [...items.keys()];
  const vectorIndices: number[] = [];
  const vectorValues: number[] = [];
  const vectorEnds: number[] = [];
  const itemVectorEnds: number[] = [];
  const centroidIndices: number[] = [];
  const centroidValues: number[] = [];
  const centroidEnds: number[] = [];
  let largestCoordinate = 0;
  for (const vectors of items.values()) {
    const sums = new Map<number, number>();
    for (const vector of vectors) {
      vector.indices.forEach((index, position) => {
        const value = vector.values[position]!;
        vectorIndices.push(index);
        vectorValues.push(value);
        sums.set(index, (sums.get(index) ?? 0) + value);
        largestCoordinate = Math.max(largestCoordinate, index);
      });
      vectorEnds.push(vectorIndices.length);
    }
    itemVectorEnds.push(vectorEnds.length);
    const powered = [...sums].map(
      ([index, sum]) =>
        [index, Math.sign(sum) * Math.abs(sum) ** aggregation.centroidExponent] as const,
    );
    const length = Math.sqrt(powered.reduce((total, [, value]) => total + value * value, 0));
    for (const [index, value] of powered) {
      centroidIndices.push(index);
      // The index keeps its centroid in single precision, as vectors are: so does this.
      centroidValues.push(Math.fround(value / length));
    }
    centroidEnds.push(centroidIndices.length);
  }
  // Typed copies: the loops below run over millions of entries per query.
  const flatVectorIndices = Uint32Array.from(vectorIndices);
  const flatVectorValues = Float64Array.from(vectorValues);
  const flatVectorEnds = Uint32Array.from(vectorEnds);
  const flatItemVectorEnds = Uint32Array.from(itemVectorEnds);
  const flatCentroidIndices = Uint32Array.from(centroidIndices);
  const flatCentroidValues = Float64Array.from(centroidValues);
  const flatCentroidEnds = Uint32Array.from(centroidEnds);
  const queryTable = new Float64Array(largestCoordinate + 1);
  const inQuery = new Uint8Array(largestCoordinate + 1);

  return (query: SparseVector, k: number, filter?: (itemId: string) => boolean) => {
    query.indices.forEach((index, position) => {
      if (index <= largestCoordinate) {
        queryTable[index] = query.values[position]!;
        inQuery[index] = 1;
      }
    });
    const hits: VectorSearchHit[] = [];
    // Plain loops over local variables: closures over loop state are slow in V8.
    let vector = 0;
    let entry = 0;
    let centroidEntry = 0;
    for (let item = 0; item < itemIds.length; item++) {
      let best = Number.NEGATIVE_INFINITY;
      const vectorEnd = flatItemVectorEnds[item]!;
      for (; vector < vectorEnd; vector++) {
        let dot = 0;
        const entryEnd = flatVectorEnds[vector]!;
        for (; entry < entryEnd; entry++) {
          dot += queryTable[flatVectorIndices[entry]!]! * flatVectorValues[entry]!;
        }
        if (dot > best) best = dot;
      }
      let centroidDot = 0;
      let shares = false;
      const centroidEnd = flatCentroidEnds[item]!;
      for (; centroidEntry < centroidEnd; centroidEntry++) {
        const index = flatCentroidIndices[centroidEntry]!;
        centroidDot += queryTable[index]! * flatCentroidValues[centroidEntry]!;
        if (inQuery[index] === 1) shares = true;
      }
      const itemId = itemIds[item]!;
      if (!shares || (filter !== undefined && !filter(itemId))) continue;
      hits.push({
        itemId,
        score: aggregation.centroidWeight * centroidDot + aggregation.maximumWeight * best,
      });
    }
    for (const index of query.indices) {
      if (index <= largestCoordinate) {
        queryTable[index] = 0;
        inQuery[index] = 0;
      }
    }
    hits.sort((left, right) =>
      left.score !== right.score ? right.score - left.score : left.itemId < right.itemId ? -1 : 1,
    );
    return hits.slice(0, k);
  };
}

/**
 * Items with topics: each draws most coordinates from a topic's own small vocabulary and
 * the rest from a shared, skewed one, so queries have near competitors and long posting lists.
 */
function createTopicalVectors(seed: number, options: { signed: boolean }) {
  const random = createSeededRandom(seed);
  const topicCount = 200;
  const topicVocabulary = 60;
  const sharedVocabulary = 3_000;
  return (topic: number): SparseVector => {
    const entries: Record<number, number> = {};
    const count = 6 + Math.floor(random() * 19);
    for (let drawn = 0; drawn < count; drawn++) {
      const coordinate =
        random() < 0.5
          ? sharedVocabulary +
            (topic % topicCount) * topicVocabulary +
            Math.floor(random() * topicVocabulary)
          : // Skewed: low coordinates are drawn far more often, like common words.
            Math.floor(sharedVocabulary * random() ** 3);
      const magnitude = 0.05 + random();
      entries[coordinate] = options.signed && random() < 0.3 ? -magnitude : magnitude;
    }
    return sparse(entries);
  };
}

function expectSameRanking(actual: VectorSearchHit[], expected: VectorSearchHit[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((hit, position) => {
    const reference = expected[position]!;
    expect(hit.score).toBeCloseTo(reference.score, 5);
    // Float rounding may swap two items whose scores are equal to 1e-6; nothing else may differ.
    if (hit.itemId !== reference.itemId) {
      expect(Math.abs(hit.score - reference.score)).toBeLessThan(1e-6);
      expect(
        expected.some(
          (other) => other.itemId === hit.itemId && Math.abs(other.score - hit.score) < 1e-6,
        ),
      ).toBe(true);
    }
  });
}

// Minutes on a slow machine at worst: a generous timeout, no timing asserted.
describe('sparse search against a brute-force reference', { timeout: 180_000 }, () => {
  it('returns the exact top k over 10,000 items of 20 vectors', () => {
    const draw = createTopicalVectors(7, { signed: false });
    const random = createSeededRandom(11);
    const items = new Map<string, SparseVector[]>();
    const index = createVectorIndex();
    for (let item = 0; item < 10_000; item++) {
      const topic = Math.floor(random() * 200);
      const vectors = Array.from({ length: 20 }, () => draw(topic));
      const itemId = `item-${item}`;
      items.set(itemId, vectors);
      index.upsert(itemId, vectors);
    }
    const reference = createBruteForceReference(items, defaultVectorAggregation);
    for (let query = 0; query < 200; query++) {
      const vector = draw(Math.floor(random() * 200));
      const k = [1, 5, 10, 20][query % 4]!;
      expectSameRanking(index.search(vector, k), reference(vector, k));
    }
  });

  it('stays exact with negative values, other weights, filters and after removals', () => {
    const aggregation: VectorAggregation = {
      maximumWeight: 0.6,
      centroidWeight: 0.4,
      centroidExponent: 1,
    };
    const draw = createTopicalVectors(3, { signed: true });
    const random = createSeededRandom(5);
    const items = new Map<string, SparseVector[]>();
    const index = createVectorIndex({ aggregation });
    for (let item = 0; item < 3_000; item++) {
      const topic = Math.floor(random() * 200);
      const vectors = Array.from({ length: 1 + Math.floor(random() * 8) }, () => draw(topic));
      items.set(`item-${item}`, vectors);
      index.upsert(`item-${item}`, vectors);
    }
    // Enough removals and replacements to compact the postings at least once.
    for (let item = 0; item < 2_000; item++) {
      const itemId = `item-${item}`;
      if (item % 3 === 0) {
        const vectors = [draw(Math.floor(random() * 200))];
        items.set(itemId, vectors);
        index.upsert(itemId, vectors);
      } else {
        items.delete(itemId);
        expect(index.remove(itemId)).toBe(true);
      }
    }
    expect(index.size).toBe(items.size);
    const even = (itemId: string) => Number(itemId.slice(5)) % 2 === 0;
    const reference = createBruteForceReference(items, aggregation);
    for (let query = 0; query < 200; query++) {
      const vector = draw(Math.floor(random() * 200));
      expectSameRanking(index.search(vector, 10), reference(vector, 10));
      expectSameRanking(index.search(vector, 10, { filter: even }), reference(vector, 10, even));
    }
  });

  it('ranks items the same whatever k is', () => {
    const draw = createTopicalVectors(9, { signed: false });
    const index = createVectorIndex();
    for (let item = 0; item < 500; item++) {
      index.upsert(`item-${item}`, [draw(item % 20), draw(item % 20)] as Vector[]);
    }
    const query = draw(3);
    const all = index.search(query, 500);
    for (const k of [1, 3, 10, 50]) expect(index.search(query, k)).toEqual(all.slice(0, k));
  });
});
