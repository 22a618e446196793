import { ParleyError } from '@parley/core';
import { checkAuth, selfTestAuth } from '../operations/auth-health';
import { checkDatabase } from '../operations/database-health';
import { checkEngine, summarizeAgents } from '../operations/engine-health';
import {
  countStatuses,
  type HealthStatus,
  httpStatusOf,
  worstStatus,
} from '../operations/health-status';
import type { Router } from '../routing/router';
import {
  jsonResponse,
  type RouteContext,
  type RouteHandler,
  requireOperator,
} from './route-context';

/**
 * The request's workspace, when an operator authorized in it asks; `null` for anyone else, and
 * for an operator who names none (a host's signed-in user without `?workspaceId=`). An operator
 * of another workspace gets its 404, as on every operator route.
 */
async function operatorWorkspaceOf(context: RouteContext): Promise<string | null> {
  const principal = context.principal;
  if (principal?.kind !== 'operator') return null;
  if (!context.url.searchParams.get('workspaceId') && principal.workspaceId === undefined) {
    return null;
  }
  const { workspace } = await requireOperator(context, 'read');
  return workspace.workspaceId;
}

/**
 * The event bus's connection: `reconnecting` (or `closed`) means replies posted now reach the
 * other instances late and without their deltas.
 */
function eventBusHealth(context: RouteContext) {
  const connection = context.services.engine.eventBus.connection?.() ?? 'listening';
  const status: HealthStatus =
    connection === 'reconnecting' || connection === 'closed' ? 'degraded' : 'healthy';
  return { status, connection };
}

/** The model, the event bus and the tools: what Parley depends on beyond its database. */
async function checkIntegration(context: RouteContext) {
  const model = await context.services.health.modelProbe.check();
  const eventBus = eventBusHealth(context);
  const tools = context.services.engine.toolHealth();
  return {
    status: worstStatus([model.status, eventBus.status]),
    eventBus,
    model,
    tools: { count: tools.length, failures: tools.reduce((sum, tool) => sum + tool.failures, 0) },
  };
}

function authOf(context: RouteContext) {
  return checkAuth(context.services.health.auth);
}

function engineOf(context: RouteContext, workspaceId: string) {
  return checkEngine({
    engine: context.services.engine,
    workspaceId,
    modelProbe: context.services.health.modelProbe,
    shuttingDown: context.services.isShuttingDown(),
  });
}

function uptimeSeconds(context: RouteContext): number {
  return Math.round((context.services.now().getTime() - context.services.health.startedAt) / 1000);
}

function memory() {
  const usage = globalThis.process?.memoryUsage?.();
  if (!usage) return null;
  return {
    rss: usage.rss,
    heapUsed: usage.heapUsed,
    heapTotal: usage.heapTotal,
    heapUsedRatio: Math.round((usage.heapUsed / usage.heapTotal) * 1000) / 1000,
  };
}

const healthServices = ['database', 'engine', 'auth', 'integration', 'quick'] as const;

/**
 * `GET /v1/health`: for anyone, the status alone (`?service=` one part's); for an operator of
 * the named workspace, every service with its figures. `quick` probes nothing.
 */
const health: RouteHandler = async (context) => {
  const started = performance.now();
  const service = context.url.searchParams.get('service');
  if (service !== null && !(healthServices as readonly string[]).includes(service)) {
    throw new ParleyError(
      'validation_failed',
      `service must be one of ${healthServices.join(', ')}`,
      { reason: 'unknown_service' },
    );
  }
  const timestamp = context.services.now().toISOString();
  const workspaceId = await operatorWorkspaceOf(context);
  if (service === 'quick') {
    const status: HealthStatus = context.services.isShuttingDown() ? 'unhealthy' : 'healthy';
    const body = workspaceId
      ? { service, status, timestamp, uptime: uptimeSeconds(context) }
      : { status, timestamp };
    return jsonResponse(context, body, httpStatusOf(status));
  }
  const wanted = (name: string) => service === null || service === name;
  const [database, engine, integration] = await Promise.all([
    wanted('database')
      ? // The version and connections only for an operator who asked for this part.
        checkDatabase(context.services.engine.store, {
          describe: workspaceId !== null && service === 'database',
        })
      : null,
    wanted('engine')
      ? workspaceId
        ? engineOf(context, workspaceId)
        : // Anyone may learn whether turns are taken, nothing of a workspace.
          { status: context.services.isShuttingDown() ? 'unhealthy' : 'healthy' }
      : null,
    wanted('integration') ? checkIntegration(context) : null,
  ]);
  const auth = wanted('auth') ? authOf(context) : null;
  const parts = { database, engine, auth, integration };
  const status = worstStatus(
    Object.values(parts).flatMap((part) => (part ? [part.status as HealthStatus] : [])),
  );
  if (!workspaceId) {
    return jsonResponse(context, { status, timestamp }, httpStatusOf(status));
  }
  if (service !== null) {
    return jsonResponse(
      context,
      { service, status, timestamp, details: parts[service as keyof typeof parts] },
      httpStatusOf(status),
    );
  }
  const uptime = uptimeSeconds(context);
  return jsonResponse(
    context,
    {
      status,
      timestamp,
      uptime,
      services: {
        database: {
          status: database?.status,
          responseTime: database?.responseTime,
          ...(database?.error ? { error: database.error } : {}),
        },
        engine: {
          status: engine?.status,
          turnsInFlight: context.services.engine.turnsInFlight,
          model: context.services.engine.model?.id ?? null,
        },
        auth: { status: auth?.status },
        integration: {
          status: integration?.status,
          eventBus: integration?.eventBus.connection,
        },
      },
      metrics: {
        uptime,
        memory: memory(),
        api: {
          responseTime: Math.round((performance.now() - started) * 100) / 100,
          endpoint: '/v1/health',
        },
      },
    },
    httpStatusOf(status),
  );
};

/**
 * A part's answer: `{ service, requestId, timestamp, …body }`, 503 when `body.status` is
 * `unhealthy`.
 */
function serviceAnswer(
  context: RouteContext,
  service: string,
  body: { status?: HealthStatus } & Record<string, unknown>,
): Response {
  return jsonResponse(
    context,
    {
      service,
      requestId: context.requestId,
      timestamp: context.services.now().toISOString(),
      ...body,
    },
    body.status ? httpStatusOf(body.status) : 200,
  );
}

/** `GET /v1/health/database`, operators: the ping, connections, version and call timings. */
const databaseRoute: RouteHandler = async (context) => {
  await requireOperator(context, 'read');
  const database = await checkDatabase(context.services.engine.store, {
    describe: true,
    diagnostics: context.url.searchParams.get('details') === 'true',
  });
  return serviceAnswer(context, 'database', { ...database });
};

/** `GET /v1/health/engine`, operators: turns, the model's reachability, agents and usage. */
const engineRoute: RouteHandler = async (context) => {
  const { workspace } = await requireOperator(context, 'read');
  const engine = await engineOf(context, workspace.workspaceId);
  return serviceAnswer(context, 'engine', { status: engine.status, details: engine.details });
};

/** `GET /v1/health/engine/agents`, operators: each of the workspace's agents' figures. */
const agentsRoute: RouteHandler = async (context) => {
  const { workspace } = await requireOperator(context, 'read');
  const agents = context.services.engine.agentPerformance(workspace.workspaceId);
  return serviceAnswer(context, 'engine', { agents, summary: summarizeAgents(agents) });
};

/** `GET /v1/health/auth`, operators: how operators and customers are authenticated. */
const authRoute: RouteHandler = async (context) => {
  await requireOperator(context, 'read');
  return serviceAnswer(context, 'auth', { ...authOf(context) });
};

/** `GET /v1/health/auth/validate`, admins: signs, verifies and tampers with a token. */
const authValidateRoute: RouteHandler = async (context) => {
  const { workspace } = await requireOperator(context, 'admin');
  const result = await selfTestAuth(context.services.customerTokens, workspace.workspaceId);
  return serviceAnswer(context, 'auth', { ...result });
};

/** Every service of the dashboard, checked once. */
async function dashboardOf(context: RouteContext, workspaceId: string) {
  const [database, engine, integration] = await Promise.all([
    checkDatabase(context.services.engine.store, { describe: true }),
    engineOf(context, workspaceId),
    checkIntegration(context),
  ]);
  const auth = authOf(context);
  const statuses = [database.status, engine.status, auth.status, integration.status];
  const status = worstStatus(statuses);
  const overview = {
    systemStatus: status,
    uptime: uptimeSeconds(context),
    // Alert rules are not evaluated yet: nothing can be active.
    activeAlerts: 0,
    services: countStatuses(statuses),
  };
  return { status, overview, database, engine, auth, integration };
}

/** `GET /v1/health/dashboard`, operators: the whole tree for a monitoring page. */
const dashboardRoute: RouteHandler = async (context) => {
  const { workspace } = await requireOperator(context, 'read');
  const { status, overview, database, engine, auth, integration } = await dashboardOf(
    context,
    workspace.workspaceId,
  );
  return jsonResponse(context, {
    dashboard: 'parley-monitoring',
    status,
    timestamp: context.services.now().toISOString(),
    requestId: context.requestId,
    overview,
    services: {
      database: { status: database.status, responseTime: database.responseTime },
      engine: { status: engine.status },
      auth: { status: auth.status },
      integration: { status: integration.status },
    },
    performance: {
      agents: engine.details.agents.summary,
      database: database.metrics.database,
      turnsInFlight: engine.details.service.turnsInFlight,
      model: engine.details.service.model,
    },
    usage: engine.details.usage,
    monitoring: { alerts: [], summary: { total: 0, critical: 0, warning: 0 } },
  });
};

/** How long a workspace's dashboard summary is served from memory. */
export const dashboardSummaryCacheMs = 10_000;

/** `GET /v1/health/dashboard/summary`, operators: the overview alone, cached 10 s. */
const dashboardSummaryRoute: RouteHandler = async (context) => {
  const { workspace } = await requireOperator(context, 'read');
  const cache = context.services.health.summaries;
  const time = context.services.now().getTime();
  let cached = cache.get(workspace.workspaceId);
  if (!cached || time - cached.at >= dashboardSummaryCacheMs) {
    const { overview } = await dashboardOf(context, workspace.workspaceId);
    cached = { at: time, overview, timestamp: context.services.now().toISOString() };
    cache.set(workspace.workspaceId, cached);
  }
  return jsonResponse(context, {
    dashboard: 'parley-monitoring',
    status: cached.overview.systemStatus,
    timestamp: cached.timestamp,
    requestId: context.requestId,
    cachedForMs: dashboardSummaryCacheMs - (time - cached.at),
    overview: cached.overview,
  });
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
  const database = await checkDatabase(context.services.engine.store);
  if (database.status === 'unhealthy') {
    throw new ParleyError('database_failed', 'The database does not answer', {
      details: { error: database.error },
      retryable: true,
    });
  }
  const eventBus = eventBusHealth(context);
  if (eventBus.status !== 'healthy') {
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
 * The health tree (`../shared/design/OPERATIONS.md`), readiness and Prometheus metrics.
 * `/v1/health` and `/v1/ready` are open (the status alone, to anyone); the rest of the tree is
 * for operators of the workspace named (`?workspaceId=`, or their token's), the self-test for
 * its admins; metrics need the metrics token when one is configured.
 */
export function registerHealthRoutes(router: Router<RouteHandler>): void {
  router.add('GET', '/v1/health', health);
  router.add('GET', '/v1/health/database', databaseRoute);
  router.add('GET', '/v1/health/engine', engineRoute);
  router.add('GET', '/v1/health/engine/agents', agentsRoute);
  router.add('GET', '/v1/health/auth', authRoute);
  router.add('GET', '/v1/health/auth/validate', authValidateRoute);
  router.add('GET', '/v1/health/dashboard', dashboardRoute);
  router.add('GET', '/v1/health/dashboard/summary', dashboardSummaryRoute);
  router.add('GET', '/v1/ready', ready);
  router.add('GET', '/v1/metrics', metrics);
}
