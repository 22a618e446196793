import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freeTextAnswers, freeTextParametersOf } from './free-text-answers';

const findTitle = z.toJSONSchema(
  z.object({
    title: z.string().min(1).max(60).describe('The title of the book, audiobook or DVD'),
    format: z.enum(['book', 'audiobook', 'dvd']),
  }),
);
const placeReservation = z.toJSONSchema(
  z.object({
    title: z.string().describe('The title of the book, audiobook or DVD'),
    branch: z.enum(['central', 'northgate', 'docklands']).describe('the branch to collect from'),
    cardNumber: z.string().regex(/^HC\d{7}$/),
  }),
);
const now = new Date('2026-06-15T09:00:00Z');
const knownTexts = [
  'the customer wants to reserve a book, an audiobook or a DVD',
  'Ask which title they would like to reserve',
  'Ask which branch to collect it from',
];
const answersOf = (stepAction: string, message: string, plainAnswers = true) =>
  freeTextAnswers({
    stepActions: [stepAction],
    schemas: [findTitle, placeReservation],
    message,
    now,
    plainAnswers,
    knownTexts,
  });

describe('freeTextParametersOf', () => {
  it('lists the strings no enum, pattern or format reads', () => {
    expect(freeTextParametersOf(findTitle)).toEqual(['title']);
    expect(freeTextParametersOf(placeReservation)).toEqual(['title']);
  });
});

describe('freeTextAnswers', () => {
  const askTitle = 'Ask which title they would like to reserve';

  it('takes a plain answer to a step asking for the parameter as its value', () => {
    expect(answersOf(askTitle, 'The Thursday Murder Club')).toEqual({
      title: 'The Thursday Murder Club',
    });
    expect(answersOf(askTitle, "it's called Project Hail Mary.")).toEqual({
      title: 'Project Hail Mary',
    });
  });

  it('takes nothing from a step that asks for another parameter, by words the title shares', () => {
    expect(answersOf('Ask whether they want it as a book, an audiobook or a DVD', 'book')).toEqual(
      {},
    );
  });

  it('takes no question, yes or no, other argument, or value the schema refuses', () => {
    expect(answersOf(askTitle, 'how long can I keep it?')).toEqual({});
    expect(answersOf(askTitle, 'actually no, never mind')).toEqual({});
    expect(answersOf(askTitle, 'Northgate please')).toEqual({});
    expect(answersOf(askTitle, 'HC2046813')).toEqual({});
    expect(answersOf(askTitle, 'a'.repeat(61))).toEqual({});
    expect(
      answersOf(askTitle, 'well I was thinking about maybe getting something for my mum soon'),
    ).toEqual({});
  });

  it("reads a value named among other words: beside a choice, or after the journey's own words", () => {
    expect(answersOf(askTitle, 'wolf hall on dvd please')).toEqual({ title: 'wolf hall' });
    expect(answersOf(askTitle, 'i want to reserve wolf hall', false)).toEqual({
      title: 'wolf hall',
    });
    // A journey's first message is no answer to a step: never taken whole.
    expect(answersOf(askTitle, 'reserve a book please', false)).toEqual({});
  });
});
