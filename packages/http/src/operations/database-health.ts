import { databaseCallStatistics, ParleyError, type Store } from '@parley/core';
import type { HealthStatus } from './health-status';

/**
 * A ping slower than this makes the database `degraded`. The contract's thresholds on query
 * p95 and p99 and on connections are alert rules over time, not a health verdict: a few slow
 * calls at start-up (migrations) must not mark an instance degraded.
 */
export const slowPingMs = 1000;

/** A database's answer to the health routes: its status, and what it was found to be. */
export interface DatabaseHealth {
  status: HealthStatus;
  /** The ping's round trip; `null` when it failed. */
  responseTime: number | null;
  /** Set when the database did not answer: the store's words, never a driver's. */
  error?: string;
  details: {
    connectionStatus: 'connected' | 'disconnected';
    activeConnections: number | null;
    queryTime: number | null;
    version: string | null;
  };
  metrics: {
    database: {
      connectionCount: number | null;
      activeQueries: number | null;
      averageQueryTime: number | null;
      p95: number | null;
      p99: number | null;
      slowQueries: number;
    };
    responseTime: number | null;
  };
  /** With `?details=true`: the pool and the calls behind the figures. */
  diagnostics?: Record<string, unknown>;
}

/** Connection counts of the store's pool, when it has one (node-postgres; PGlite has none). */
function poolOf(store: unknown) {
  const pool = (store as { pool?: unknown }).pool as
    | { totalCount?: unknown; idleCount?: unknown; waitingCount?: unknown }
    | null
    | undefined;
  if (!pool || typeof pool.totalCount !== 'number') return null;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}

/**
 * Pings the database, with this process's store call timings; with `describe`, reads its
 * version and connections too (one more query: only for the answers that show them, never
 * for a load balancer's `/v1/health` or `/v1/ready`). Unhealthy when it does not answer;
 * degraded when the ping takes {@link slowPingMs}.
 */
export async function checkDatabase(
  store: Store,
  options: { describe?: boolean; diagnostics?: boolean } = {},
): Promise<DatabaseHealth> {
  const calls = databaseCallStatistics();
  const timings = {
    averageQueryTime: calls.averageMs,
    p95: calls.p95Ms,
    p99: calls.p99Ms,
    slowQueries: calls.slowCalls,
  };
  const diagnostics = options.diagnostics
    ? {
        diagnostics: {
          pool: poolOf(store),
          calls: calls.calls,
          failures: calls.failures,
          inFlight: calls.inFlight,
          recentSlowCalls: calls.recentSlowCalls,
        },
      }
    : {};
  let latency: number;
  try {
    latency = round(await store.ping());
  } catch (error) {
    return {
      status: 'unhealthy',
      responseTime: null,
      // The store's own errors say what failed in general terms; anything else could carry
      // a driver's text (host names, users) to whoever asks, so it is not repeated.
      error: ParleyError.isInstance(error)
        ? error.message.slice(0, 200)
        : 'the database did not answer',
      details: {
        connectionStatus: 'disconnected',
        activeConnections: null,
        queryTime: null,
        version: null,
      },
      metrics: {
        database: { connectionCount: null, activeQueries: null, ...timings },
        responseTime: null,
      },
      ...diagnostics,
    };
  }
  const description = options.describe ? await store.describeDatabase().catch(() => null) : null;
  const connections = description?.connections ?? null;
  const status: HealthStatus = latency >= slowPingMs ? 'degraded' : 'healthy';
  return {
    status,
    responseTime: latency,
    details: {
      connectionStatus: 'connected',
      activeConnections: connections?.active ?? null,
      queryTime: latency,
      version: description?.version ?? null,
    },
    metrics: {
      database: {
        connectionCount: connections?.total ?? null,
        activeQueries: connections?.active ?? null,
        ...timings,
      },
      responseTime: latency,
    },
    ...diagnostics,
  };
}
