import { describe, expect, it } from 'vitest';
import type { Term } from '../domain/term';
import { glossaryQuery } from './glossary-query';

const term = (name: string, synonyms: string[]): Term => ({
  id: name,
  workspaceId: 'workspace',
  archivedAt: null,
  agentId: 'agent',
  name,
  description: '',
  synonyms,
  createdAt: new Date(0),
  updatedAt: new Date(0),
});

const terms = [
  term('reservation', ['hold', 'put on hold', 'waiting list']),
  term('renewal', ['extend', 'extension']),
  term('library card', ['membership card', 'card']),
];

describe('glossaryQuery', () => {
  it("rewrites each synonym the message uses in the term's name", () => {
    expect(glossaryQuery('can I put a hold on the Oppenheimer dvd?', terms)).toBe(
      'can I put a reservation on the Oppenheimer dvd?',
    );
    expect(glossaryQuery('Could you EXTEND my loans? my membership card is here', terms)).toBe(
      'Could you renewal my loans? my library card is here',
    );
  });

  it('takes the longest synonym where two overlap, and plurals', () => {
    expect(glossaryQuery('please put on hold two holds', terms)).toBe(
      'please reservation two reservation',
    );
  });

  it('matches whole words only, and gives null when no synonym is used', () => {
    expect(glossaryQuery('the household bills', terms)).toBeNull();
    expect(glossaryQuery('what are your opening hours?', terms)).toBeNull();
    expect(glossaryQuery('anything', [])).toBeNull();
  });
});
