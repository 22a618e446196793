import { describe, expect, it } from 'vitest';
import {
  findNumbersInWords,
  parseNumberInWords,
  spelledNumberSource,
} from './parse-number-in-words';

describe('parseNumberInWords', () => {
  it('reads digits and English words up to ninety-nine', () => {
    expect(parseNumberInWords('21')).toBe(21);
    expect(parseNumberInWords('1,500')).toBe(1500);
    expect(parseNumberInWords('2.5')).toBe(2.5);
    expect(parseNumberInWords('seven')).toBe(7);
    expect(parseNumberInWords('seventeen')).toBe(17);
    expect(parseNumberInWords('ninety')).toBe(90);
    expect(parseNumberInWords('twenty-one')).toBe(21);
    expect(parseNumberInWords('Twenty one')).toBe(21);
  });

  it('reads "a couple (of)" as 2 and "a dozen" as 12', () => {
    expect(parseNumberInWords('a couple')).toBe(2);
    expect(parseNumberInWords('a couple of')).toBe(2);
    expect(parseNumberInWords('A dozen')).toBe(12);
  });

  it('is null for anything else', () => {
    expect(parseNumberInWords('hello')).toBeNull();
    expect(parseNumberInWords('twenty-twelve')).toBeNull();
    expect(parseNumberInWords('a')).toBeNull();
    expect(parseNumberInWords('')).toBeNull();
  });
});

describe('findNumbersInWords', () => {
  const values = (text: string) => findNumbersInWords(text).map((number) => number.value);

  it('finds numbers in digits and in words, in order, with their place', () => {
    expect(findNumbersInWords('3 nights for two people')).toEqual([
      { value: 3, start: 0, end: 1, inWords: false },
      { value: 2, start: 13, end: 16, inWords: true },
    ]);
    expect(values('twenty-one nights, a couple of them')).toEqual([21, 2]);
    expect(values('seventeen')).toEqual([17]);
  });

  it('reads signs, thousands, decimals, currencies and hyphenated units', () => {
    expect(values('-2 degrees')).toEqual([-2]);
    expect(values('a £1,500 budget')).toEqual([1500]);
    expect(values('2.5 hours')).toEqual([2.5]);
    expect(values('a 3-night stay')).toEqual([3]);
    expect(values('(4)')).toEqual([4]);
  });

  it('leaves digits that belong to references, times and dates', () => {
    expect(values('HX-999 A12 3pm the 12th 12/03 15:30 2026-12-24 v2.0.1')).toEqual([]);
  });

  it('finds no number words inside other words', () => {
    expect(values('someone often tennis weight')).toEqual([]);
  });
});

describe('spelledNumberSource', () => {
  const spells = (value: number, text: string) =>
    new RegExp(`^${spelledNumberSource(value)}$`, 'iu').test(text);

  it('matches hundreds and thousands as customers spell them', () => {
    expect(spells(900, 'nine hundred')).toBe(true);
    expect(spells(350, 'three hundred and fifty')).toBe(true);
    expect(spells(350, 'three hundred fifty')).toBe(true);
    expect(spells(21, 'twenty-one')).toBe(true);
    expect(spells(100, 'a hundred')).toBe(true);
    expect(spells(1000, 'One thousand')).toBe(true);
    expect(spells(2024, 'two thousand and twenty four')).toBe(true);
  });

  it('matches no other number and refuses what it cannot spell', () => {
    expect(spells(900, 'nine hundred and one')).toBe(false);
    expect(spells(300, 'thirty')).toBe(false);
    expect(spelledNumberSource(10_000)).toBeNull();
    expect(spelledNumberSource(2.5)).toBeNull();
  });
});
