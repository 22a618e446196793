import { maximumMessageLength } from '../domain/event';
import { ParleyError, toParleyError } from '../errors/parley-error';
import type { Clock } from '../ports/clock';
import type { ModerationVerdict, Moderator } from '../ports/moderator';
import type { EngineLogger } from './engine-logger';
import { withinDeadline } from './within-deadline';

/** Options of input moderation (`EngineOptions.moderation`). */
export interface ModerationOptions {
  /** Checks each customer message, in parallel with guideline matching. */
  moderator: Moderator;
  /** What the agent says to a flagged message; default {@link defaultFlaggedReply}. */
  flaggedReply?: string;
  /** How long a check may take before the turn goes on unmoderated; default 5000 ms. */
  timeoutMs?: number;
}

/** What the agent says to a flagged message unless configured otherwise. */
export const defaultFlaggedReply =
  "I'm sorry, I can't respond to that message. Is there something else I can help you with?";

/** Checks the options and fills in the defaults. Not part of the public entry. */
export function moderationSettingsOf(
  options: ModerationOptions | null | undefined,
): ModerationSettings | null {
  if (!options) return null;
  if (typeof options.moderator?.moderate !== 'function') {
    throw new ParleyError('validation_failed', '`moderation.moderator` must be a Moderator', {
      details: { option: 'moderation.moderator' },
    });
  }
  const flaggedReply = (options.flaggedReply ?? defaultFlaggedReply).trim();
  if (flaggedReply.length === 0 || flaggedReply.length > maximumMessageLength) {
    throw new ParleyError(
      'validation_failed',
      `\`moderation.flaggedReply\` must be 1 to ${maximumMessageLength} characters`,
      { details: { option: 'moderation.flaggedReply' } },
    );
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ParleyError('validation_failed', '`moderation.timeoutMs` must be more than 0', {
      details: { option: 'moderation.timeoutMs', timeoutMs },
    });
  }
  return { moderator: options.moderator, flaggedReply, timeoutMs };
}

/** How turns moderate customer messages; see `EngineOptions.moderation`. */
export interface ModerationSettings {
  moderator: Moderator;
  /** What the agent says to a flagged message. */
  flaggedReply: string;
  /** How long a check may take before the turn goes on without it. */
  timeoutMs: number;
}

/** What moderating one message came to. */
export type ModerationCheck =
  | { status: 'checked'; verdict: ModerationVerdict }
  /** The moderator threw, rejected or outlasted its deadline: the turn goes on unmoderated. */
  | { status: 'failed'; reason: 'error' | 'timeout' }
  /** No moderator, no text to check, or the turn was cancelled meanwhile. */
  | { status: 'skipped' };

/**
 * Asks the moderator about the customer's message, within `timeoutMs` (on the engine's
 * clock). Never rejects: a failing or slow moderator is logged and reported as `failed`, so
 * the turn answers unmoderated rather than not at all; a verdict whose fields are not what the
 * port promises counts as a failure too.
 */
export async function moderateMessage(input: {
  settings: ModerationSettings | null;
  text: string;
  signal: AbortSignal;
  clock: Clock;
  logger: EngineLogger;
  traceId: string;
}): Promise<ModerationCheck> {
  const { settings, text, signal } = input;
  if (!settings || text.trim() === '' || signal.aborted) return { status: 'skipped' };
  const { moderator } = settings;
  const outcome = await withinDeadline({
    signal,
    clock: input.clock,
    timeoutMs: settings.timeoutMs,
    work: async (workSignal): Promise<ModerationVerdict> => {
      const verdict = await moderator.moderate({ text, signal: workSignal });
      if (
        typeof verdict?.flagged !== 'boolean' ||
        !Array.isArray(verdict.categories) ||
        typeof verdict.censoredText !== 'string'
      ) {
        throw new TypeError('the moderator returned a malformed verdict');
      }
      return {
        flagged: verdict.flagged,
        categories: verdict.categories.map(String),
        // A moderator that censored everything leaves the model nothing to read.
        censoredText: verdict.censoredText.trim() === '' ? text : verdict.censoredText,
      };
    },
  });
  switch (outcome.status) {
    case 'done':
      return { status: 'checked', verdict: outcome.value };
    // A cancelled turn does not wait for its moderator either.
    case 'aborted':
      return { status: 'skipped' };
    case 'timeout':
      input.logger.warn('moderation timed out; the message is answered unmoderated', {
        traceId: input.traceId,
        moderator: moderator.id,
        timeoutMs: settings.timeoutMs,
      });
      return { status: 'failed', reason: 'timeout' };
    case 'failed': {
      const failure = toParleyError(outcome.error);
      input.logger.warn('moderation failed; the message is answered unmoderated', {
        traceId: input.traceId,
        moderator: moderator.id,
        code: failure.code,
        reason: failure.reason,
        error: failure.message,
      });
      return { status: 'failed', reason: 'error' };
    }
  }
}
