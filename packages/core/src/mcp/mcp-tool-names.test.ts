import { describe, expect, it } from 'vitest';
import { assignParleyToolNames, toParleyToolName } from './mcp-tool-names';

describe('toParleyToolName', () => {
  it('keeps a name that fits and maps one that does not', () => {
    expect(toParleyToolName('lookup_order')).toBe('lookup_order');
    expect(toParleyToolName('github.create_issue')).toBe('github_create_issue');
    expect(toParleyToolName('docs/search')).toBe('docs_search');
    expect(toParleyToolName('1st-step')).toBe('mcp_1st-step');
    expect(toParleyToolName('_private')).toBe('mcp__private');
    expect(toParleyToolName('a'.repeat(100))).toBe('a'.repeat(64));
    expect(toParleyToolName('')).toBe('mcp_');
    for (const name of ['x.y', '9', 'ü', 'a b', 'z'.repeat(70)]) {
      expect(toParleyToolName(name)).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/);
    }
  });
});

describe('assignParleyToolNames', () => {
  it('leaves out mapped names two tools would share, whatever the order', () => {
    for (const order of [
      ['a_b', 'a.b', 'a/b', 'c.d', 'e'],
      ['e', 'c.d', 'a/b', 'a.b', 'a_b'],
    ]) {
      const { names, collisions } = assignParleyToolNames(order);
      expect(Object.fromEntries(names.map((name) => [name.mcpName, name.parleyName]))).toEqual({
        a_b: 'a_b',
        'c.d': 'c_d',
        e: 'e',
      });
      expect(collisions.sort()).toEqual(['a.b', 'a/b']);
    }
  });
});
