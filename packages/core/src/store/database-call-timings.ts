import { nearestRank } from '../operations/latency-percentiles';

/** A database call slower than this is listed among the slow ones. */
export const slowDatabaseCallMs = 250;

/** How many recent durations the percentiles are taken over. */
const durationWindow = 2000;

/** How many of the most recent slow calls are kept. */
const slowCallsKept = 10;

/** One slow store operation, as the database health lists it. */
export interface SlowDatabaseCall {
  /** `<entity>.<operation>`, e.g. `event.create`: never the SQL or its parameters. */
  operation: string;
  durationMs: number;
  failed: boolean;
  at: string;
}

/** The store operations of this process so far; see {@link databaseCallStatistics}. */
export interface DatabaseCallStatistics {
  calls: number;
  failures: number;
  /** Over the most recent calls (up to 2,000); `null` before the first. */
  averageMs: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Calls that took {@link slowDatabaseCallMs} or more, since the process started. */
  slowCalls: number;
  /** The most recent of them, newest first. */
  recentSlowCalls: SlowDatabaseCall[];
  /** Calls running now. */
  inFlight: number;
}

const durations: number[] = [];
let next = 0;
let calls = 0;
let failures = 0;
let slowCalls = 0;
let inFlight = 0;
const recentSlowCalls: SlowDatabaseCall[] = [];

/**
 * Times one store operation. Process-wide, like the pool it runs on: every Parley store of
 * the process reports here, and recording is a few array operations (no I/O), so it never
 * slows a call down.
 */
export async function timeDatabaseCall<T>(operation: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now();
  inFlight += 1;
  let failed = true;
  try {
    const result = await call();
    failed = false;
    return result;
  } finally {
    inFlight -= 1;
    record(operation, performance.now() - started, failed);
  }
}

function record(operation: string, durationMs: number, failed: boolean): void {
  calls += 1;
  if (failed) failures += 1;
  if (durations.length < durationWindow) durations.push(durationMs);
  else durations[next] = durationMs;
  next = (next + 1) % durationWindow;
  if (durationMs < slowDatabaseCallMs) return;
  slowCalls += 1;
  recentSlowCalls.unshift({
    operation,
    durationMs: round(durationMs),
    failed,
    at: new Date().toISOString(),
  });
  recentSlowCalls.length = Math.min(recentSlowCalls.length, slowCallsKept);
}

/** The store operations timed so far in this process. */
export function databaseCallStatistics(): DatabaseCallStatistics {
  const sorted = [...durations].sort((left, right) => left - right);
  const at = (fraction: number) => {
    const value = nearestRank(sorted, fraction);
    return value === null ? null : round(value);
  };
  const total = sorted.reduce((sum, duration) => sum + duration, 0);
  return {
    calls,
    failures,
    averageMs: sorted.length === 0 ? null : round(total / sorted.length),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    slowCalls,
    recentSlowCalls: recentSlowCalls.map((call) => ({ ...call })),
    inFlight,
  };
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}
