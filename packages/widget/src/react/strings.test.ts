import { describe, expect, it } from 'vitest';
import { defaultStrings, formatString, resolveStrings } from './strings';

describe('resolveStrings', () => {
  it('keeps the English defaults for what an override leaves out, and merges the stage and error tables key by key', () => {
    const strings = resolveStrings({
      send: 'Envoyer',
      stages: { tool_calls: 'Je cherche…' },
      errors: { rate_limited: 'Trop de messages.' },
    });
    expect(strings.send).toBe('Envoyer');
    expect(strings.stop).toBe(defaultStrings.stop);
    expect(strings.stages.tool_calls).toBe('Je cherche…');
    expect(strings.stages.guideline_matching).toBe(defaultStrings.stages.guideline_matching);
    expect(strings.errors.rate_limited).toBe('Trop de messages.');
  });
});

describe('formatString', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(formatString('{count} unread, {other}', { count: 3 })).toBe('3 unread, {other}');
  });
});
