import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asksForMissing } from './step-asks-for';

const findTitle = z.toJSONSchema(
  z.object({
    title: z.string().describe('The title of the book, audiobook or DVD'),
    format: z.enum(['book', 'audiobook', 'dvd']).describe('The format'),
  }),
);
const bookPass = z.toJSONSchema(
  z.object({
    pass: z.enum(['day', 'week', 'month']).describe('Which pass'),
    startDate: z.string().describe('The day the pass starts'),
  }),
);

describe('asksForMissing', () => {
  it("hears a step asking for a missing parameter by its own choices, though a given one's description names them", () => {
    const askFormat = 'Ask whether they want it as a book, an audiobook on CD or a DVD';
    expect(asksForMissing(askFormat, findTitle, ['format'], ['title'])).toBe(true);
    expect(asksForMissing(askFormat, findTitle, ['title'], ['format'])).toBe(false);
    expect(asksForMissing('Ask which title they would like', findTitle, ['title'], [])).toBe(true);
  });

  it("does not hear a given parameter's choices as asking for a missing one", () => {
    const askPass = 'Ask which pass they want: day, week or month';
    expect(asksForMissing(askPass, bookPass, ['startDate'], ['pass'])).toBe(false);
    expect(asksForMissing(askPass, bookPass, ['pass'], [])).toBe(true);
  });
});
