/** The source of time for the store and the engine; tests inject a controllable one. */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /**
   * Calls `callback` once, `milliseconds` from now on this clock, and returns what cancels
   * it. The engine's timers (a turn's preamble threshold, a moderator's deadline) run on it,
   * so a test clock decides when they fire. Optional: a clock without it gets the platform's
   * `setTimeout`.
   */
  setTimer?(callback: () => void, milliseconds: number): () => void;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => new Date(),
  setTimer(callback, milliseconds) {
    const timer = setTimeout(callback, milliseconds);
    return () => clearTimeout(timer);
  },
};

/**
 * Starts a timer on `clock`, or on `setTimeout` when the clock has none: how the engine
 * waits. Not part of the public entry.
 */
export function startClockTimer(
  clock: Clock,
  callback: () => void,
  milliseconds: number,
): () => void {
  if (clock.setTimer) return clock.setTimer(callback, milliseconds);
  const timer = setTimeout(callback, milliseconds);
  return () => clearTimeout(timer);
}
