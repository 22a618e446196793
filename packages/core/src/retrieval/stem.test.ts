import { describe, expect, it } from 'vitest';
import { stem } from './stem';

describe('stem (Porter)', () => {
  it("reduces words as Porter's published examples do", () => {
    const examples: Record<string, string> = {
      caresses: 'caress',
      ponies: 'poni',
      cats: 'cat',
      feed: 'feed',
      agreed: 'agre',
      plastered: 'plaster',
      motoring: 'motor',
      sing: 'sing',
      conflated: 'conflat',
      troubled: 'troubl',
      sized: 'size',
      hopping: 'hop',
      falling: 'fall',
      hissing: 'hiss',
      filing: 'file',
      happy: 'happi',
      relational: 'relat',
      conditional: 'condit',
      rational: 'ration',
      digitizer: 'digit',
      operator: 'oper',
      hopefulness: 'hope',
      electrical: 'electr',
      goodness: 'good',
      allowance: 'allow',
      adjustable: 'adjust',
      replacement: 'replac',
      adoption: 'adopt',
      effective: 'effect',
      generalizations: 'gener',
      oscillators: 'oscil',
      controlling: 'control',
    };
    for (const [word, expected] of Object.entries(examples)) {
      expect(stem(word), word).toBe(expected);
    }
  });

  it('gives inflections of one word one stem', () => {
    expect(new Set(['charged', 'charges', 'charging', 'charge'].map(stem))).toEqual(
      new Set(['charg']),
    );
    expect(stem('transfers')).toBe(stem('transferred'));
  });

  it('leaves short words, digits and non-ASCII words alone', () => {
    for (const word of ['a', 'is', '#number', 'café', '日本', '2fa']) {
      expect(stem(word)).toBe(word);
    }
  });
});
