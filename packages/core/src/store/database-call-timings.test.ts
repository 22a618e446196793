import { describe, expect, it } from 'vitest';
import {
  databaseCallStatistics,
  slowDatabaseCallMs,
  timeDatabaseCall,
} from './database-call-timings';

describe('timeDatabaseCall', () => {
  it('counts calls and failures, keeps their percentiles, and lists a slow call by its operation only', async () => {
    const before = databaseCallStatistics();
    await timeDatabaseCall('agent.read', async () => 'row');
    await expect(
      timeDatabaseCall('event.write', async () => {
        throw new Error('lost connection');
      }),
    ).rejects.toThrow('lost connection');
    const slow = timeDatabaseCall(
      'session.read',
      () => new Promise((resolve) => setTimeout(resolve, slowDatabaseCallMs + 20)),
    );
    expect(databaseCallStatistics().inFlight).toBe(before.inFlight + 1);
    await slow;

    const after = databaseCallStatistics();
    expect(after.calls - before.calls).toBe(3);
    expect(after.failures - before.failures).toBe(1);
    expect(after.slowCalls - before.slowCalls).toBe(1);
    expect(after.inFlight).toBe(before.inFlight);
    expect(after.recentSlowCalls[0]).toEqual({
      operation: 'session.read',
      durationMs: expect.any(Number),
      failed: false,
      at: expect.any(String),
    });
    expect(after.recentSlowCalls[0]?.durationMs).toBeGreaterThanOrEqual(slowDatabaseCallMs);
    expect(after.p99Ms).toBeGreaterThanOrEqual(after.p95Ms ?? 0);
    expect(after.averageMs).toBeGreaterThan(0);
  });
});
