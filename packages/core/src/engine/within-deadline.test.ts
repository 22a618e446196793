import { describe, expect, it } from 'vitest';
import { createTestClock } from '../testing/test-clock';
import { withinDeadline } from './within-deadline';

const never = () => new Promise<never>(() => undefined);

describe('withinDeadline', () => {
  it('resolves with the value, or with the failure, of work that ends in time', async () => {
    const clock = createTestClock();
    const signal = new AbortController().signal;
    expect(await withinDeadline({ work: () => 42, signal, clock, timeoutMs: 100 })).toEqual({
      status: 'done',
      value: 42,
    });
    const error = new Error('down');
    expect(
      await withinDeadline({
        work: () => {
          throw error;
        },
        signal,
        clock,
        timeoutMs: 100,
      }),
    ).toEqual({ status: 'failed', error });
  });

  it('times out on the clock, aborting the work’s signal even when the work ignores it', async () => {
    const clock = createTestClock();
    let workSignal: AbortSignal | undefined;
    const running = withinDeadline({
      work: (signal) => {
        workSignal = signal;
        return never();
      },
      signal: new AbortController().signal,
      clock,
      timeoutMs: 100,
    });
    await Promise.resolve();
    clock.advance(100);
    expect(await running).toEqual({ status: 'timeout' });
    expect(workSignal?.aborted).toBe(true);
  });

  it('is aborted by the turn’s signal or by the caller’s controller, not waiting for the work', async () => {
    const clock = createTestClock();
    const turn = new AbortController();
    const byTurn = withinDeadline({ work: never, signal: turn.signal, clock, timeoutMs: 100 });
    turn.abort();
    expect(await byTurn).toEqual({ status: 'aborted' });

    const controller = new AbortController();
    const byCaller = withinDeadline({
      work: never,
      signal: new AbortController().signal,
      clock,
      timeoutMs: 100,
      controller,
    });
    controller.abort();
    expect(await byCaller).toEqual({ status: 'aborted' });
  });
});
