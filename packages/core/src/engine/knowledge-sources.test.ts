import { describe, expect, it } from 'vitest';
import {
  citedNumbers,
  knowledgeFieldValues,
  numberSources,
  passagesShownBy,
  showsPassages,
  toMessageSource,
} from './knowledge-sources';
import { type RetrievedPassage, retrievalQuery } from './retrieve-knowledge';

const passage = (
  id: string,
  source: RetrievedPassage['source'],
  retrieverId = 'help',
): RetrievedPassage => ({ id, text: `text of ${id}`, score: 1, source, retrieverId });

describe('numbered sources', () => {
  it('gives the passages of one document one number, in rank order of their best passage', () => {
    const sources = numberSources([
      passage('a1', { title: 'Refunds', documentId: 'doc-a' }),
      passage('b1', { title: 'Shipping', url: 'https://example.com/shipping' }),
      passage('a2', { title: 'Refunds (page 2)', documentId: 'doc-a' }),
      passage('c1', { title: 'Refunds', documentId: 'doc-a' }, 'other-retriever'),
    ]);
    expect(sources.map((source) => [source.number, source.passages.map((p) => p.id)])).toEqual([
      [1, ['a1', 'a2']],
      [2, ['b1']],
      [3, ['c1']],
    ]);
    expect(sources.map(toMessageSource)).toEqual([
      { title: 'Refunds', passageId: 'a1', retrieverId: 'help' },
      {
        title: 'Shipping',
        url: 'https://example.com/shipping',
        passageId: 'b1',
        retrieverId: 'help',
      },
      { title: 'Refunds', passageId: 'c1', retrieverId: 'other-retriever' },
    ]);
  });

  it('reads the citations of a reply, within the sources given', () => {
    expect([
      ...citedNumbers('Five days [1]. Two weeks [2][3], or [1, 3]; not [7] nor [0].', 3),
    ]).toEqual([1, 2, 3]);
    expect(citedNumbers('No citation here, not even [a].', 3).size).toBe(0);
  });
});

describe('passages in canned templates', () => {
  const passages = [
    passage('p0', { title: 'First', url: 'https://example.com/1' }),
    passage('p1', { title: 'Second' }),
  ];

  it('offers the best passage and all of them as fields', () => {
    expect(knowledgeFieldValues(passages)).toEqual({
      passage: { text: 'text of p0', title: 'First', url: 'https://example.com/1' },
      passages: [
        { text: 'text of p0', title: 'First', url: 'https://example.com/1' },
        { text: 'text of p1', title: 'Second' },
      ],
    });
    expect(knowledgeFieldValues([])).toEqual({});
  });

  it('tells which passages a template shows, by its fields', () => {
    const ids = (fields: string[]) => passagesShownBy(fields, passages).map((shown) => shown.id);
    expect(ids(['passage.text'])).toEqual(['p0']);
    expect(ids(['passages.1.title', 'passage.title'])).toEqual(['p0', 'p1']);
    expect(ids(['passages'])).toEqual(['p0', 'p1']);
    expect(ids(['passages.5.text', 'lookup.found'])).toEqual([]);
    expect(showsPassages({ fields: ['passages.0.text'] })).toBe(true);
    expect(showsPassages({ fields: ['passenger.name', 'customer.name'] })).toBe(false);
  });
});

describe('the retrieval query', () => {
  it('is the latest message, after the one before it when the latest is a short follow-up', () => {
    expect(retrievalQuery('how long do refunds take?', ['hello'])).toBe(
      'how long do refunds take?',
    );
    expect(retrievalQuery('and gift cards?', ['how long do refunds take?', 'hi'])).toBe(
      'how long do refunds take?\nand gift cards?',
    );
    expect(retrievalQuery('and for gift cards?', [])).toBe('and for gift cards?');
  });
});
