import { describe, expect, it } from 'vitest';
import { TopHits } from './top-hits';

describe('TopHits', () => {
  it('keeps the k best hits, ties broken by item id', () => {
    const top = new TopHits(3);
    expect(top.threshold()).toBeNull();
    const scores: Array<[string, number]> = [
      ['e', 0.5],
      ['a', 0.1],
      ['d', 0.9],
      ['c', 0.5],
      ['b', 0.5],
      ['f', 0.2],
    ];
    for (const [itemId, score] of scores) top.offer({ itemId, score });
    expect(top.sorted()).toEqual([
      { itemId: 'd', score: 0.9 },
      { itemId: 'b', score: 0.5 },
      { itemId: 'c', score: 0.5 },
    ]);
    expect(top.threshold()).toBe(0.5);
  });

  it('keeps nothing when k is 0', () => {
    const top = new TopHits(0);
    top.offer({ itemId: 'a', score: 1 });
    expect(top.sorted()).toEqual([]);
  });
});
