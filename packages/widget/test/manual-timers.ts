import type { ChatTimers } from '../src/index';

/** Timers that fire only when the test says: how a test holds a reconnection or a renewal. */
export interface ManualTimers extends ChatTimers {
  /** Delays of the timers waiting, in the order they were set. */
  pending(): number[];
  /** Fires the waiting timers set for at most `maxDelayMs`; answers how many fired. */
  fire(maxDelayMs?: number): number;
}

/** Creates {@link ManualTimers}. */
export function createManualTimers(): ManualTimers {
  let nextHandle = 0;
  const waiting = new Map<number, { callback: () => void; delayMs: number }>();
  return {
    setTimeout(callback, delayMs) {
      nextHandle += 1;
      waiting.set(nextHandle, { callback, delayMs });
      return nextHandle;
    },
    clearTimeout(handle) {
      waiting.delete(handle as number);
    },
    pending: () => [...waiting.values()].map((timer) => timer.delayMs),
    fire(maxDelayMs = Number.POSITIVE_INFINITY) {
      const due = [...waiting].filter(([, timer]) => timer.delayMs <= maxDelayMs);
      for (const [handle, timer] of due) {
        waiting.delete(handle);
        timer.callback();
      }
      return due.length;
    },
  };
}
