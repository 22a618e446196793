import { describe, expect, it } from 'vitest';
import { stemOf, wordsOf } from './word-stems';

describe('stemOf', () => {
  it('gives the forms of one word one stem', () => {
    for (const forms of [
      ['reserve', 'reserving', 'reservation', 'reservations', 'reserved'],
      ['printer', 'printing', 'prints'],
      ['class', 'classes'],
      ['library', 'libraries'],
      ['box', 'boxes'],
      ['computer', 'computers'],
    ])
      expect(new Set(forms.map(stemOf)).size, forms.join(', ')).toBe(1);
  });

  it('keeps short words and different words apart', () => {
    expect(stemOf('bus')).toBe('bus');
    expect(stemOf('book')).not.toBe(stemOf('booth'));
  });
});

describe('wordsOf', () => {
  it('splits on anything but letters, digits and apostrophes, in lower case', () => {
    expect(wordsOf("I'd like e-books, camelCase")).toEqual([
      "i'd",
      'like',
      'e',
      'books',
      'camel',
      'case',
    ]);
  });
});
