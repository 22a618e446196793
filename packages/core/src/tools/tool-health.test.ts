import { describe, expect, it } from 'vitest';
import { createToolHealth, latencyWindow } from './tool-health';

describe('createToolHealth', () => {
  it('keeps p50 and p95 over the most recent calls, and leaves refusals out of the latencies', () => {
    const health = createToolHealth();
    const endedAt = new Date(0);
    for (let index = 1; index <= 100; index += 1) {
      health.record({ toolName: 'lookup', outcome: 'ok', durationMs: index, endedAt });
    }
    health.record({ toolName: 'lookup', outcome: 'rate_limited', durationMs: 0, endedAt });
    expect(health.snapshot()).toEqual([
      {
        toolName: 'lookup',
        calls: 101,
        failures: 1,
        timeouts: 0,
        rateLimited: 1,
        latencyMs: { p50: 50, p95: 95 },
        lastCallAt: '1970-01-01T00:00:00.000Z',
      },
    ]);
    // Only the last thousand calls count: a thousand slow ones push the early ones out.
    for (let index = 0; index < latencyWindow; index += 1) {
      health.record({ toolName: 'lookup', outcome: 'ok', durationMs: 500, endedAt });
    }
    expect(health.snapshot()[0]?.latencyMs).toEqual({ p50: 500, p95: 500 });
  });
});
