import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import { createAgentPerformance, type TurnReport } from './agent-performance';
import type { TurnOutcome } from './run-turn';

const endedAt = new Date('2026-12-04T10:00:00.000Z');

function ready(calls: number, promptTokens: number, completionTokens: number): TurnOutcome {
  return {
    status: 'ready',
    traceId: 't',
    toolFailure: null,
    message: {} as never,
    explanation: { model: { calls, promptTokens, completionTokens } } as never,
  };
}

function failed(code: 'model_failed' | 'tool_failed'): TurnOutcome {
  return { status: 'error', traceId: 't', error: new ParleyError(code, 'failed') };
}

function report(overrides: Partial<TurnReport>): TurnReport {
  return {
    workspaceId: 'w1',
    agentId: 'a1',
    sessionId: 's1',
    outcome: ready(1, 10, 5),
    durationMs: 100,
    firstTokenMs: 40,
    endedAt,
    ...overrides,
  };
}

describe('createAgentPerformance', () => {
  it('counts turns, errors by code, model use and latencies per agent, and the sessions whose latest turn replied', () => {
    const performance = createAgentPerformance();
    performance.record(report({ sessionId: 's1', durationMs: 100, firstTokenMs: 40 }));
    performance.record(report({ sessionId: 's1', durationMs: 300, firstTokenMs: 80 }));
    performance.record(
      report({
        sessionId: 's2',
        outcome: failed('model_failed'),
        durationMs: 50,
        firstTokenMs: null,
      }),
    );
    performance.record(report({ sessionId: 's3', outcome: failed('model_failed') }));
    performance.record(report({ sessionId: 's3', outcome: failed('tool_failed') }));
    // Skipped turns did nothing: not counted.
    performance.record(report({ outcome: { status: 'skipped', traceId: 't', reason: 'manual' } }));
    performance.record(report({ agentId: 'a2', workspaceId: 'w2' }));

    const [first] = performance.snapshot('w1');
    expect(first).toEqual({
      workspaceId: 'w1',
      agentId: 'a1',
      turns: 5,
      errors: 3,
      errorsByCode: { model_failed: 2, tool_failed: 1 },
      cancelled: 0,
      responseTimeMs: { p50: 100, p95: 300 },
      timeToFirstTokenMs: { p50: 40, p95: 80 },
      // s1 replied; s2 and s3 ended in errors.
      sessionSuccessRate: 0.333,
      modelCalls: 2,
      promptTokens: 20,
      completionTokens: 10,
      lastTurnAt: endedAt.toISOString(),
    });
    expect(performance.snapshot('w1')).toHaveLength(1);
    expect(
      performance
        .snapshot()
        .map((entry) => entry.agentId)
        .sort(),
    ).toEqual(['a1', 'a2']);
  });

  it('lists the slowest agent first, and an agent whose sessions recovered as successful', () => {
    const performance = createAgentPerformance();
    performance.record(report({ agentId: 'quick', durationMs: 10 }));
    performance.record(report({ agentId: 'slow', outcome: failed('model_failed') }));
    performance.record(report({ agentId: 'slow', durationMs: 9000 }));
    const entries = performance.snapshot();
    expect(entries.map((entry) => entry.agentId)).toEqual(['slow', 'quick']);
    expect(entries[0]?.sessionSuccessRate).toBe(1);
  });
});
