import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Embedder } from '../ports/embedder';
import { identifierPatternsOf, maskIdentifiers, withoutIdentifiers } from './mask-identifiers';

describe('identifierPatternsOf', () => {
  it("collects the patterns of a tool's string parameters, nullable ones too", () => {
    const schema = z.toJSONSchema(
      z.object({
        reference: z.string().regex(/^BS-\d{4}$/),
        postcode: z
          .string()
          .regex(/^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$/)
          .nullable(),
        note: z.string(),
      }),
    );
    expect(identifierPatternsOf(schema)).toEqual([
      '^BS-\\d{4}$',
      '^[A-Z]{1,2}\\d{1,2} \\d[A-Z]{2}$',
    ]);
  });
});

describe('withoutIdentifiers', () => {
  it('takes out every value of the patterns, in any case, and leaves the rest', () => {
    const patterns = ['^BS-\\d{4}$', '^[A-Z]{1,2}\\d{1,2} \\d[A-Z]{2}$'];
    expect(withoutIdentifiers("I'd like to reschedule BS-1142 please", patterns)).toBe(
      "I'd like to reschedule please",
    );
    expect(withoutIdentifiers('is bs-1063 near M14 5RQ?', patterns)).toBe('is near ?');
    expect(withoutIdentifiers('BS-12345 is too long', patterns)).toBe('BS-12345 is too long');
  });
});

describe('maskIdentifiers', () => {
  it('embeds texts without the identifiers, under an id of its own', async () => {
    const seen: string[] = [];
    const inner: Embedder = {
      id: 'inner',
      dimensions: 1,
      embed: async (texts) => {
        seen.push(...texts);
        return texts.map(() => new Float32Array([1]));
      },
    };
    const masked = maskIdentifiers(inner, ['^BS-\\d{4}$']);
    await masked.embed(['check my booking BS-1042', 'BS-1042']);
    // A text that is nothing but an identifier is embedded as it is.
    expect(seen).toEqual(['check my booking', 'BS-1042']);
    expect(masked.id).not.toBe(inner.id);
    expect(maskIdentifiers(inner, [])).toBe(inner);
  });
});
