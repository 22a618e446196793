import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import type { Moderator } from '../ports/moderator';

/** Builds the moderator {@link describeModeratorContract} runs against, and its examples. */
export interface ModeratorContractFactory {
  /** The moderator under test (called once per test). */
  create(): Moderator | Promise<Moderator>;
  /** A message the moderator lets through untouched. */
  benignText: string;
  /** A message the moderator flags. */
  flaggedText: string;
  /** Called right before `flaggedText` is checked: a fake server queues its verdict here. */
  arrangeFlagged?(): void;
}

/**
 * The behaviour every {@link Moderator} owes the engine, as a vitest suite. Parley's rule-based
 * and OpenAI moderators run it, and so can your own adapter:
 *
 * ```ts
 * describeModeratorContract('my moderator', {
 *   create: () => createMyModerator(),
 *   benignText: 'Where is my parcel?',
 *   flaggedText: 'I will hurt you',
 * });
 * ```
 */
export function describeModeratorContract(name: string, factory: ModeratorContractFactory): void {
  describe(`Moderator contract: ${name}`, () => {
    it('has an id', async () => {
      const moderator = await factory.create();
      expect(typeof moderator.id).toBe('string');
      expect(moderator.id.length).toBeGreaterThan(0);
    });

    it('lets a benign message through, its text unchanged', async () => {
      const moderator = await factory.create();
      const verdict = await moderator.moderate({ text: factory.benignText });
      expect(verdict.flagged).toBe(false);
      expect(verdict.censoredText).toBe(factory.benignText);
      expect(Array.isArray(verdict.categories)).toBe(true);
    });

    it('flags a harmful message and names at least one category', async () => {
      const moderator = await factory.create();
      factory.arrangeFlagged?.();
      const verdict = await moderator.moderate({ text: factory.flaggedText });
      expect(verdict.flagged).toBe(true);
      expect(verdict.categories.length).toBeGreaterThan(0);
      for (const category of verdict.categories) expect(typeof category).toBe('string');
      expect(typeof verdict.censoredText).toBe('string');
    });

    it('rejects with a cancelled ParleyError when its signal is already aborted', async () => {
      const moderator = await factory.create();
      const controller = new AbortController();
      controller.abort();
      const failure = await moderator
        .moderate({ text: factory.benignText, signal: controller.signal })
        .then(
          () => null,
          (error: unknown) => error,
        );
      expect(ParleyError.isInstance(failure)).toBe(true);
      expect((failure as ParleyError).code).toBe('cancelled');
    });
  });
}
