import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import { toToolResult } from './mcp-tool-result';

describe('toToolResult', () => {
  it('prefers structured content, then text, then text with the other parts', () => {
    expect(
      toToolResult(
        { content: [{ type: 'text', text: '{"a":1}' }], structuredContent: { a: 1 } },
        'x',
      ),
    ).toEqual({ a: 1 });
    expect(toToolResult({ content: [{ type: 'text', text: 'one' }] }, 'x')).toBe('one');
    expect(toToolResult({ content: [] }, 'x')).toBeNull();
    const resource = { type: 'resource', resource: { uri: 'file:///a', text: 'A' } };
    expect(toToolResult({ content: [resource] }, 'x')).toEqual({ text: '', content: [resource] });
    expect(toToolResult({ toolResult: { old: true } }, 'x')).toEqual({ old: true });
  });

  it('throws the server text for isError, or says there was none', () => {
    expect(() =>
      toToolResult({ content: [{ type: 'text', text: 'No such order' }], isError: true }, 'x'),
    ).toThrow('No such order');
    try {
      toToolResult({ content: [], isError: true }, 'lookup');
      expect.unreachable();
    } catch (error) {
      expect(ParleyError.isInstance(error)).toBe(true);
      expect((error as ParleyError).message).toBe(
        'MCP tool "lookup" reported an error without text',
      );
    }
  });
});
