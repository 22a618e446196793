import type { ParleyEvent } from '../domain/event';
import { ParleyError } from '../errors/parley-error';
import { type Clock, startClockTimer } from '../ports/clock';
import type { AgentCatalog } from './agent-catalog';
import { choosePreamble, type PreambleReason } from './choose-preamble';
import type { EngineLogger } from './engine-logger';
import type { TurnRecorder } from './turn-recorder';

/** When turns send a preamble; see `EngineOptions.preamble`. */
export interface PreambleSettings {
  enabled: boolean;
  /** A turn whose reply has not begun this long after it started sends one. */
  afterMilliseconds: number;
}

/** Options of the engine's preambles (`EngineOptions.preamble`). */
export interface PreambleOptions {
  /** Default true. */
  enabled?: boolean;
  /** A turn whose reply has not begun this long after it started sends one; default 1500. */
  afterMilliseconds?: number;
}

/** The default of {@link PreambleOptions.afterMilliseconds}. */
export const defaultPreambleDelayMs = 1500;

/** Checks the options and fills in the defaults. Not part of the public entry. */
export function preambleSettingsOf(options: PreambleOptions = {}): PreambleSettings {
  const afterMilliseconds = options.afterMilliseconds ?? defaultPreambleDelayMs;
  if (!Number.isFinite(afterMilliseconds) || afterMilliseconds < 0) {
    throw new ParleyError(
      'validation_failed',
      '`preamble.afterMilliseconds` must be a number of milliseconds, 0 or more',
      { details: { afterMilliseconds } },
    );
  }
  return { enabled: options.enabled ?? true, afterMilliseconds };
}

/** A turn's preamble, running beside the turn's own stages. */
export interface Preamble {
  /** The turn is about to run tools: the preamble goes out now, unless it already did. */
  toolsWillRun(): void;
  /** The reply began, or the turn ended: no preamble from now on. */
  stop(): void;
  /** What was sent, for the turn's explanation; `null` when nothing was. */
  readonly sent: { reason: PreambleReason; cannedResponseId: string | null } | null;
}

/** What {@link startPreamble} needs. */
export interface PreambleInput {
  settings: PreambleSettings;
  /** The agent's catalog with its preambles; a catalog that fails to load means no preamble. */
  catalog: Promise<AgentCatalog>;
  history: readonly ParleyEvent[];
  hasModel: boolean;
  recorder: TurnRecorder;
  clock: Clock;
  logger: EngineLogger;
  signal: AbortSignal;
}

/**
 * Starts a turn's preamble: a short `message` event (`data.preamble: true`) sent once, when
 * the turn is about to run tools or when its reply has not begun after
 * `settings.afterMilliseconds` (a timer on the engine's clock), whichever comes first. It never
 * holds the turn up: nothing waits for it but the next event the turn appends (events keep
 * their order), and a preamble that cannot be written is logged and dropped. A reply that
 * begins first means no preamble at all.
 */
export function startPreamble(input: PreambleInput): Preamble {
  let state: 'waiting' | 'sending' | 'done' = input.settings.enabled ? 'waiting' : 'done';
  let sent: Preamble['sent'] = null;
  let cancelTimer = () => {};

  const send = (reason: PreambleReason) => {
    if (state !== 'waiting') return;
    state = 'sending';
    cancelTimer();
    void (async () => {
      try {
        const catalog = await input.catalog;
        // The reply began or the turn ended while the catalog loaded.
        if (state !== 'sending' || input.signal.aborted) return;
        const choice = choosePreamble({
          catalog,
          history: input.history,
          reason,
          hasModel: input.hasModel,
        });
        if (!choice) return;
        // Queued now, so it is written before anything the turn appends after this point.
        sent = { reason, cannedResponseId: choice.cannedResponseId };
        await input.recorder.append([
          { kind: 'message', source: 'ai_agent', data: { text: choice.text, preamble: true } },
        ]);
      } catch (error) {
        sent = null;
        input.logger.warn('could not send a preamble; the turn goes on without it', {
          traceId: input.recorder.traceId,
          error: String(error),
        });
      } finally {
        state = 'done';
      }
    })();
  };

  if (state === 'waiting') {
    cancelTimer = startClockTimer(
      input.clock,
      () => send('slow'),
      input.settings.afterMilliseconds,
    );
  }
  return {
    toolsWillRun() {
      send('tools');
    },
    stop() {
      cancelTimer();
      state = 'done';
    },
    get sent() {
      return sent;
    },
  };
}
