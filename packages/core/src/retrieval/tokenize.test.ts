import { describe, expect, it } from 'vitest';
import { currencyToken, numberToken, tokenize } from './tokenize';

describe('tokenize', () => {
  it('lowercases, drops punctuation and accents', () => {
    expect(tokenize('Where is MY Card?!  Café.')).toEqual(['where', 'is', 'my', 'card', 'cafe']);
  });

  it('spells contractions out, with or without their apostrophe', () => {
    expect(tokenize("I haven't got it")).toEqual(['i', 'have', 'not', 'got', 'it']);
    expect(tokenize('I havent got it')).toEqual(['i', 'have', 'not', 'got', 'it']);
    expect(tokenize('I can’t and won’t')).toEqual(['i', 'can', 'not', 'and', 'will', 'not']);
    expect(tokenize("it's what I'd do")).toEqual(['it', 'what', 'i', 'would', 'do']);
  });

  it('replaces numbers and currencies by placeholders', () => {
    expect(tokenize('I paid $1,500.00 for 2 weeks')).toEqual([
      'i',
      'paid',
      currencyToken,
      numberToken,
      'for',
      numberToken,
      'weeks',
    ]);
    expect(tokenize('10EUR or 20 usd')).toEqual([
      numberToken,
      currencyToken,
      'or',
      numberToken,
      currencyToken,
    ]);
  });

  it('keeps emoji and handles empty text', () => {
    expect(tokenize('card 💳')).toEqual(['card', '💳']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \n\t ')).toEqual([]);
    expect(tokenize('?!...')).toEqual([]);
  });
});
