import { type Clock, startClockTimer } from '../ports/clock';

/** How a piece of work given a deadline ended; see {@link withinDeadline}. */
export type DeadlineOutcome<T> =
  | { status: 'done'; value: T }
  | { status: 'failed'; error: unknown }
  /** The deadline passed first; the work's signal was aborted. */
  | { status: 'timeout' }
  /** The turn was cancelled, or the caller aborted the work's controller. */
  | { status: 'aborted' };

/**
 * Runs work a turn can do without (a moderator, a retriever, a tool provider) with a signal of
 * its own, aborted when the turn's `signal` aborts, when `timeoutMs` pass on `clock`, or when
 * the caller aborts `controller`. Resolves as soon as any of those happens, whether or not the
 * work honours its signal, and never rejects: the caller decides what each outcome means.
 */
export async function withinDeadline<T>(input: {
  work: (signal: AbortSignal) => Promise<T> | T;
  signal: AbortSignal;
  clock: Clock;
  timeoutMs: number;
  /** The work's own controller, for a caller that may abort it early; default a new one. */
  controller?: AbortController;
}): Promise<DeadlineOutcome<T>> {
  const controller = input.controller ?? new AbortController();
  const onTurnAbort = () => controller.abort(input.signal.reason);
  input.signal.addEventListener('abort', onTurnAbort, { once: true });
  if (input.signal.aborted) onTurnAbort();
  let timedOut = false;
  let cancelTimer = () => {};
  const stopped = (): DeadlineOutcome<T> =>
    timedOut ? { status: 'timeout' } : { status: 'aborted' };
  try {
    const deadline = new Promise<DeadlineOutcome<T>>((resolve) => {
      cancelTimer = startClockTimer(
        input.clock,
        () => {
          timedOut = true;
          controller.abort();
        },
        input.timeoutMs,
      );
      if (controller.signal.aborted) resolve(stopped());
      controller.signal.addEventListener('abort', () => resolve(stopped()), { once: true });
    });
    const done = Promise.resolve()
      .then(() => input.work(controller.signal))
      .then(
        (value): DeadlineOutcome<T> => ({ status: 'done', value }),
        (error: unknown): DeadlineOutcome<T> =>
          controller.signal.aborted ? stopped() : { status: 'failed', error },
      );
    return await Promise.race([done, deadline]);
  } finally {
    cancelTimer();
    input.signal.removeEventListener('abort', onTurnAbort);
  }
}
