import { describe, expect, it } from 'vitest';
import { createTestClock } from './test-clock';

describe('createTestClock', () => {
  it('fires its timers when advanced past them, earliest first, never on a reading', () => {
    const clock = createTestClock({ tickMilliseconds: 0 });
    const fired: string[] = [];
    clock.setTimer(() => fired.push('late'), 200);
    clock.setTimer(() => fired.push('early'), 100);
    const cancel = clock.setTimer(() => fired.push('cancelled'), 50);
    cancel();
    clock.now();
    expect(fired).toEqual([]);
    expect(clock.pendingTimers).toBe(2);

    clock.advance(99);
    expect(fired).toEqual([]);
    clock.advance(101);
    expect(fired).toEqual(['early', 'late']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires the timers a jump with `set` reaches', () => {
    const clock = createTestClock({ start: new Date('2026-01-01T00:00:00.000Z') });
    let fired = 0;
    clock.setTimer(() => {
      fired += 1;
    }, 60_000);
    clock.set(new Date('2026-01-01T00:00:30.000Z'));
    expect(fired).toBe(0);
    clock.set(new Date('2026-01-02T00:00:00.000Z'));
    expect(fired).toBe(1);
  });
});
