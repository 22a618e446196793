import type { Clock } from '../ports/clock';

/** A {@link Clock} that tests move by hand. */
export interface TestClock extends Clock {
  /** Moves the clock by `milliseconds` (negative moves it back), firing the timers now due. */
  advance(milliseconds: number): void;
  /** Puts the clock at `instant`, firing the timers now due. */
  set(instant: Date): void;
  setTimer(callback: () => void, milliseconds: number): () => void;
  /** Timers set and neither fired nor cancelled. */
  readonly pendingTimers: number;
}

/**
 * A clock for deterministic tests. With `tickMilliseconds` (default 1) every reading moves it
 * forward by that much, so records created one after another never share a timestamp. Its
 * timers fire only when {@link TestClock.advance} or {@link TestClock.set} reach them (never
 * on a reading), earliest first, synchronously inside that call.
 */
export function createTestClock(
  options: { start?: Date; tickMilliseconds?: number } = {},
): TestClock {
  let current = (options.start ?? new Date('2026-01-01T00:00:00.000Z')).getTime();
  const tick = options.tickMilliseconds ?? 1;
  let timers: Array<{ due: number; order: number; callback: () => void }> = [];
  let order = 0;
  const fireDue = () => {
    const due = timers
      .filter((timer) => timer.due <= current)
      .sort((left, right) => left.due - right.due || left.order - right.order);
    timers = timers.filter((timer) => timer.due > current);
    for (const timer of due) timer.callback();
  };
  return {
    now() {
      const reading = new Date(current);
      current += tick;
      return reading;
    },
    advance(milliseconds) {
      current += milliseconds;
      fireDue();
    },
    set(instant) {
      current = instant.getTime();
      fireDue();
    },
    setTimer(callback, milliseconds) {
      const timer = { due: current + Math.max(0, milliseconds), order: order++, callback };
      timers.push(timer);
      return () => {
        timers = timers.filter((candidate) => candidate !== timer);
      };
    },
    get pendingTimers() {
      return timers.length;
    },
  };
}
