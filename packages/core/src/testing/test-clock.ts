import type { Clock } from '../ports/clock';

/** A {@link Clock} that tests move by hand. */
export interface TestClock extends Clock {
  /** Moves the clock by `milliseconds` (negative moves it back). */
  advance(milliseconds: number): void;
  /** Puts the clock at `instant`. */
  set(instant: Date): void;
}

/**
 * A clock for deterministic tests. With `tickMilliseconds` (default 1) every reading moves it
 * forward by that much, so records created one after another never share a timestamp.
 */
export function createTestClock(
  options: { start?: Date; tickMilliseconds?: number } = {},
): TestClock {
  let current = (options.start ?? new Date('2026-01-01T00:00:00.000Z')).getTime();
  const tick = options.tickMilliseconds ?? 1;
  return {
    now() {
      const reading = new Date(current);
      current += tick;
      return reading;
    },
    advance(milliseconds) {
      current += milliseconds;
    },
    set(instant) {
      current = instant.getTime();
    },
  };
}
