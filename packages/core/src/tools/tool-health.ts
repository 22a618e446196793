import { latencyPercentiles } from '../operations/latency-percentiles';
/** How one tool has fared in this process, as the engine's health route shows it. */
export interface ToolHealthEntry {
  toolName: string;
  /** Calls made (each counts once, whatever its retries). */
  calls: number;
  /** Calls that ended without a result: failed, timed out or refused by the rate limit. */
  failures: number;
  timeouts: number;
  /** Calls refused because the tool was over its rate limit. */
  rateLimited: number;
  /** Over the most recent calls (up to {@link latencyWindow}); `null` before the first. */
  latencyMs: { p50: number; p95: number } | null;
  /** When the last call ended, ISO 8601; `null` before the first. */
  lastCallAt: string | null;
}

/** What a finished call reports to {@link ToolHealth.record}. */
export interface ToolCallReport {
  toolName: string;
  outcome: 'ok' | 'failed' | 'timeout' | 'rate_limited';
  durationMs: number;
  endedAt: Date;
}

/** Counts each tool's calls, failures and latency; see {@link createToolHealth}. */
export interface ToolHealth {
  record(report: ToolCallReport): void;
  /** Every tool called so far, by name. */
  snapshot(): ToolHealthEntry[];
}

/** How many recent latencies each tool keeps for its percentiles. */
export const latencyWindow = 1000;

/**
 * A tool's health in memory: counters since the process started and the latencies of its
 * most recent calls, for p50 and p95. Recording is a few array operations: it never slows a
 * call down, and nothing is written anywhere.
 */
export function createToolHealth(): ToolHealth {
  const tools = new Map<
    string,
    Omit<ToolHealthEntry, 'latencyMs' | 'lastCallAt'> & {
      latencies: number[];
      next: number;
      lastCallAt: Date | null;
    }
  >();
  return {
    record({ toolName, outcome, durationMs, endedAt }) {
      let entry = tools.get(toolName);
      if (!entry) {
        entry = {
          toolName,
          calls: 0,
          failures: 0,
          timeouts: 0,
          rateLimited: 0,
          latencies: [],
          next: 0,
          lastCallAt: null,
        };
        tools.set(toolName, entry);
      }
      entry.calls += 1;
      if (outcome !== 'ok') entry.failures += 1;
      if (outcome === 'timeout') entry.timeouts += 1;
      if (outcome === 'rate_limited') entry.rateLimited += 1;
      entry.lastCallAt = endedAt;
      // A refused call took no time of the tool's: it would only pull the percentiles down.
      if (outcome === 'rate_limited') return;
      if (entry.latencies.length < latencyWindow) entry.latencies.push(durationMs);
      else entry.latencies[entry.next] = durationMs;
      entry.next = (entry.next + 1) % latencyWindow;
    },
    snapshot() {
      return [...tools.values()]
        .map(({ latencies, next: _next, lastCallAt, ...counts }) => ({
          ...counts,
          latencyMs: latencyPercentiles(latencies),
          lastCallAt: lastCallAt?.toISOString() ?? null,
        }))
        .sort((left, right) => left.toolName.localeCompare(right.toolName));
    },
  };
}
