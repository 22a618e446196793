import { describe, expect, it } from 'vitest';
import { labelsFromMatches } from './labels-from-matches';

describe('labelsFromMatches', () => {
  it("gives the guidelines' labels, then the journey's, each once", () => {
    expect(
      labelsFromMatches([{ labels: ['refund', 'billing'] }, { labels: [] }, { labels: ['vip'] }], {
        labels: ['billing', 'upgrade'],
      }),
    ).toEqual(['refund', 'billing', 'vip', 'upgrade']);
  });

  it('gives nothing when nothing that applied carries labels', () => {
    expect(labelsFromMatches([], null)).toEqual([]);
    expect(labelsFromMatches([{ labels: [] }], { labels: [] })).toEqual([]);
  });
});
