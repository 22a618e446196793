import { describe, expect, it } from 'vitest';
import type { SparseVector } from '../ports/embedder';
import { bestVectorScore, createSparseItem } from './sparse-item';

function vector(entries: Array<[number, number]>): SparseVector {
  return {
    indices: Uint32Array.from(entries.map(([index]) => index)),
    values: Float32Array.from(entries.map(([, value]) => value)),
  };
}

describe('createSparseItem', () => {
  const vectors = [
    vector([
      [1, 0.6],
      [5, 0.8],
    ]),
    vector([
      [5, 0.6],
      [9, -0.8],
    ]),
    vector([[1, 1]]),
  ];

  it('lays vectors out by coordinate, with their range and centroid', () => {
    const item = createSparseItem(vectors, 1);
    expect(Array.from(item.support)).toEqual([1, 5, 9]);
    expect(Array.from(item.memberStarts)).toEqual([0, 2, 4, 5]);
    expect(Array.from(item.members)).toEqual([0, 2, 0, 1, 1]);
    // Coordinate 5: vector 2 lacks it, so its range reaches down to 0.
    expect(item.highestValues[1]).toBeCloseTo(0.8, 6);
    expect(item.lowestValues[1]).toBe(0);
    expect(item.lowestValues[2]).toBeCloseTo(-0.8, 6);
    const sums = [1.6, 1.4, -0.8];
    const length = Math.hypot(...sums);
    sums.forEach((sum, position) => {
      expect(item.centroidValues[position]).toBeCloseTo(sum / length, 6);
    });
    expect(item.maximumLength).toBeCloseTo(1, 6);
  });

  it('damps the centroid with an exponent below 1, sign kept', () => {
    const item = createSparseItem(vectors, 0.5);
    const powered = [Math.sqrt(1.6), Math.sqrt(1.4), -Math.sqrt(0.8)];
    const length = Math.hypot(...powered);
    powered.forEach((value, position) => {
      expect(item.centroidValues[position]).toBeCloseTo(value / length, 6);
    });
  });

  it('scores the best vector as a plain dot product would', () => {
    const item = createSparseItem(vectors, 0.5);
    const scratch = new Float64Array(8);
    const query = vector([
      [0, 0.5],
      [5, 0.5],
      [9, -0.7],
      [12, 0.1],
    ]);
    // Vector 1: 0.6·0.5 + (−0.8)(−0.7) = 0.86; vector 0: 0.4; vector 2: 0.
    expect(bestVectorScore(item, query, scratch)).toBeCloseTo(0.86, 6);
    expect(Array.from(scratch).every((value) => value === 0)).toBe(true);
    // Nothing shared: the best vector scores 0.
    expect(bestVectorScore(item, vector([[100, 1]]), scratch)).toBe(0);
  });
});
