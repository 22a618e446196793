import { ParleyError } from '@parley/core';
import type { Router } from '../routing/router';
import { jsonResponse, type RouteContext, type RouteHandler } from './route-context';

/** Connection counts of the store's pool, when it has one (node-postgres; PGlite has none). */
function poolOf(store: unknown) {
  const pool = (store as { pool?: unknown }).pool as
    | { totalCount?: unknown; idleCount?: unknown; waitingCount?: unknown }
    | null
    | undefined;
  if (!pool || typeof pool.totalCount !== 'number') return undefined;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
}

async function databaseHealth(context: RouteContext) {
  const pool = poolOf(context.services.engine.store);
  try {
    const latencyMs = await context.services.engine.store.ping();
    return {
      status: 'ok' as const,
      latencyMs: Math.round(latencyMs * 100) / 100,
      ...(pool ? { pool } : {}),
    };
  } catch (error) {
    return {
      status: 'failing' as const,
      // The store's own errors say what failed in general terms; anything else could carry
      // a driver's text (host names, users) to whoever asks, so it is not repeated.
      error: ParleyError.isInstance(error)
        ? error.message.slice(0, 200)
        : 'the database did not answer',
    };
  }
}

/**
 * The event bus's connection: `reconnecting` (or `closed`) means replies posted now reach the
 * other instances late and without their deltas.
 */
function eventBusHealth(context: RouteContext) {
  const connection = context.services.engine.eventBus.connection?.() ?? 'listening';
  return {
    status:
      connection === 'reconnecting' || connection === 'closed'
        ? ('failing' as const)
        : ('ok' as const),
    connection,
  };
}

function engineHealth(context: RouteContext) {
  const { engine } = context.services;
  return {
    status: context.services.isShuttingDown() ? ('stopping' as const) : ('ok' as const),
    model: engine.model?.id ?? null,
    turnsInFlight: engine.turnsInFlight,
    /** Each tool's calls, failures, timeouts, rate-limit refusals and latency p50/p95. */
    tools: engine.toolHealth(),
  };
}

const health: RouteHandler = async (context) => {
  const database = await databaseHealth(context);
  const engine = engineHealth(context);
  const eventBus = eventBusHealth(context);
  const ok = database.status === 'ok' && engine.status === 'ok' && eventBus.status === 'ok';
  return jsonResponse(
    context,
    { status: ok ? 'ok' : 'degraded', database, engine, eventBus },
    ok ? 200 : 503,
  );
};

/** Failing dependencies answer the error envelope, like every other failed request. */
function databaseFailed(database: { error?: string }): ParleyError {
  return new ParleyError('database_failed', 'The database does not answer', {
    details: { error: database.error },
    retryable: true,
  });
}

const databaseRoute: RouteHandler = async (context) => {
  const database = await databaseHealth(context);
  if (database.status !== 'ok') throw databaseFailed(database);
  return jsonResponse(context, database);
};

const engineRoute: RouteHandler = async (context) => {
  const engine = engineHealth(context);
  return jsonResponse(context, engine, engine.status === 'ok' ? 200 : 503);
};

/**
 * For load balancers: 200 while this instance can take traffic; 503 once it is shutting down,
 * while the database does not answer, and while the event bus is reconnecting (a reply posted
 * through this instance would reach the others late, without its deltas).
 */
const ready: RouteHandler = async (context) => {
  if (context.services.isShuttingDown()) {
    throw new ParleyError('not_ready', 'This instance is shutting down', { retryable: true });
  }
  // The database first: when it is away the bus is too, and the database is the cause.
  const database = await databaseHealth(context);
  if (database.status !== 'ok') throw databaseFailed(database);
  const eventBus = eventBusHealth(context);
  if (eventBus.status !== 'ok') {
    throw new ParleyError('not_ready', 'The event bus is reconnecting to the database', {
      reason: 'event_bus_reconnecting',
      details: { connection: eventBus.connection },
      retryable: true,
    });
  }
  return jsonResponse(context, { ready: true });
};

/** Compares two strings in time that depends on their digests only, not where they differ. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const digest = async (text: string) =>
    new Uint8Array(
      await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
    );
  const [left, right] = await Promise.all([digest(given), digest(expected)]);
  let difference = 0;
  for (let index = 0; index < left.length; index++) {
    difference |= (left[index] as number) ^ (right[index] as number);
  }
  return difference === 0;
}

const metrics: RouteHandler = async (context) => {
  const expected = context.services.metricsToken;
  if (expected) {
    const given = /^Bearer (.+)$/i.exec(context.request.headers.get('authorization') ?? '')?.[1];
    if (!given || !(await sameSecret(given, expected))) {
      throw new ParleyError('unauthenticated', 'Metrics need the metrics token', {
        reason: given ? 'metrics_token_invalid' : 'token_missing',
      });
    }
  }
  const { registry } = context.services.metrics;
  const headers = new Headers(context.responseHeaders);
  headers.set('content-type', registry.contentType);
  return new Response(await registry.metrics(), { status: 200, headers });
};

/**
 * Health, readiness and Prometheus metrics: open to anyone who can reach the server, except
 * metrics when a `metricsToken` is configured.
 */
export function registerHealthRoutes(router: Router<RouteHandler>): void {
  router.add('GET', '/v1/health', health);
  router.add('GET', '/v1/health/database', databaseRoute);
  router.add('GET', '/v1/health/engine', engineRoute);
  router.add('GET', '/v1/ready', ready);
  router.add('GET', '/v1/metrics', metrics);
}
