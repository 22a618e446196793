import { createEngine } from '@parley/core';
import { createOpenAIChatModel } from '@parley/core/openai';
import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import {
  createTestClock,
  type FakeOpenAIServer,
  startFakeOpenAIServer,
} from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParleyHandler } from '../src/index';
import {
  callExpecting,
  createHandlerKit,
  customerSecret,
  type HandlerKit,
  operatorToken,
  shopAgentDefinition,
} from './handler-kit';

// The health tree of `../shared/design/OPERATIONS.md`, route by route: what anyone sees, what an
// operator of the workspace sees, and the figures behind it. Authorization across workspaces
// and roles is also in the security matrix (`security/route-matrix.test.ts`).

const workspaceId = 'workspace-health-tree';
let store: PgliteStore;
let kit: HandlerKit;
let readToken: string;
let adminToken: string;

beforeAll(async () => {
  store = await createPgliteStore();
  kit = await createHandlerKit({ store });
  readToken = await operatorToken({ workspaceId, role: 'read' });
  adminToken = await operatorToken({ workspaceId, role: 'admin' });
  // One agent with a session and a turn: usage and performance have something to count.
  const workspace = kit.engine.forWorkspace(workspaceId);
  const { agent } = await kit.engine.sync(workspaceId, shopAgentDefinition);
  const session = await workspace.sessions.create({ agentId: agent.id });
  const posted = await workspace.sessions.postCustomerMessage(session.id, {
    text: 'when are you open?',
  });
  expect((await posted.turn)?.status).toBe('ready');
});
afterAll(async () => {
  await kit?.close();
  await store?.close();
});

describe('GET /v1/health', () => {
  it('tells anyone the status and nothing else', async () => {
    const response = await kit.call('GET', '/v1/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'healthy', timestamp: expect.any(String) });
    const part = await kit.call('GET', '/v1/health?service=database');
    expect(await part.json()).toEqual({ status: 'healthy', timestamp: expect.any(String) });
  });

  it('shows an operator every service, the uptime, memory and its own response time', async () => {
    const body = await callExpecting<Record<string, unknown>>(kit, 'GET', '/v1/health', {
      token: readToken,
      status: 200,
    });
    expect(body).toEqual({
      status: 'healthy',
      timestamp: expect.any(String),
      uptime: expect.any(Number),
      services: {
        database: { status: 'healthy', responseTime: expect.any(Number) },
        engine: { status: 'healthy', turnsInFlight: 0, model: null },
        auth: { status: 'healthy' },
        integration: { status: 'healthy', eventBus: 'listening' },
      },
      metrics: {
        uptime: expect.any(Number),
        memory: {
          rss: expect.any(Number),
          heapUsed: expect.any(Number),
          heapTotal: expect.any(Number),
          heapUsedRatio: expect.any(Number),
        },
        api: { responseTime: expect.any(Number), endpoint: '/v1/health' },
      },
    });
  });

  it('answers one service with ?service=, quick without probing, and refuses an unknown one', async () => {
    const database = await callExpecting<Record<string, unknown>>(
      kit,
      'GET',
      '/v1/health?service=database',
      { token: readToken, status: 200 },
    );
    expect(database).toMatchObject({
      service: 'database',
      status: 'healthy',
      details: { details: { connectionStatus: 'connected' } },
    });
    const engine = await callExpecting<Record<string, unknown>>(
      kit,
      'GET',
      '/v1/health?service=engine',
      { token: readToken, status: 200 },
    );
    expect(engine).toMatchObject({
      service: 'engine',
      details: { details: { usage: { agents: { total: 1 } } } },
    });
    const quick = await callExpecting(kit, 'GET', '/v1/health?service=quick', {
      token: readToken,
      status: 200,
    });
    expect(quick).toEqual({
      service: 'quick',
      status: 'healthy',
      timestamp: expect.any(String),
      uptime: expect.any(Number),
    });
    const unknown = await kit.call('GET', '/v1/health?service=everything');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({
      error: { code: 'validation_failed', message: expect.stringContaining('quick') },
    });
  });
});

describe("GET /v1/health for a host's signed-in user", () => {
  it('shows the services in a workspace they may read, the status alone when they name none, 404 elsewhere', async () => {
    const handler = await createParleyHandler({
      engine: kit.engine,
      customerTokenSecret: customerSecret,
      authenticate: () => ({ userId: 'ada' }),
      authorize: (_principal, workspace) => workspace === workspaceId,
    });
    const get = async (path: string) => handler(new Request(`http://localhost${path}`));
    const unnamed = await get('/v1/health');
    expect(await unnamed.json()).toEqual({ status: 'healthy', timestamp: expect.any(String) });
    const named = await get(`/v1/health?workspaceId=${workspaceId}`);
    expect(await named.json()).toMatchObject({ status: 'healthy', services: expect.any(Object) });
    expect((await get('/v1/health?workspaceId=someone-else')).status).toBe(404);
  });
});

describe('GET /v1/health/database', () => {
  it("shows the ping, the server's version, connections and this process's call timings; diagnostics with details=true", async () => {
    const body = await callExpecting<Record<string, unknown>>(kit, 'GET', '/v1/health/database', {
      token: readToken,
      status: 200,
    });
    expect(body).toEqual({
      service: 'database',
      status: 'healthy',
      requestId: expect.any(String),
      timestamp: expect.any(String),
      responseTime: expect.any(Number),
      details: {
        connectionStatus: 'connected',
        activeConnections: expect.any(Number),
        queryTime: expect.any(Number),
        version: expect.stringMatching(/^PostgreSQL \d+/),
      },
      metrics: {
        database: {
          connectionCount: expect.any(Number),
          activeQueries: expect.any(Number),
          averageQueryTime: expect.any(Number),
          p95: expect.any(Number),
          p99: expect.any(Number),
          slowQueries: expect.any(Number),
        },
        responseTime: expect.any(Number),
      },
    });
    const detailed = await callExpecting<{ diagnostics: Record<string, unknown> }>(
      kit,
      'GET',
      '/v1/health/database?details=true',
      { token: readToken, status: 200 },
    );
    expect(detailed.diagnostics).toEqual({
      pool: null,
      calls: expect.any(Number),
      failures: expect.any(Number),
      inFlight: expect.any(Number),
      recentSlowCalls: expect.any(Array),
    });
    expect(detailed.diagnostics.calls).toBeGreaterThan(0);
    // What a slow call shows is its operation, never SQL.
    for (const call of detailed.diagnostics.recentSlowCalls as { operation: string }[]) {
      expect(call.operation).toMatch(/^[a-z ]+\.(read|write|delete)$/);
    }
  });

  it('needs an operator: 401 without a token', async () => {
    const response = await kit.call('GET', '/v1/health/database');
    expect(response.status).toBe(401);
  });
});

describe('GET /v1/health/engine and /v1/health/engine/agents', () => {
  it("shows the workspace's usage and agents' performance, the model and the tools", async () => {
    const body = await callExpecting<{
      details: { agents: { performanceMetrics: unknown[] } };
    }>(kit, 'GET', '/v1/health/engine', { token: readToken, status: 200 });
    expect(body).toMatchObject({
      service: 'engine',
      status: 'healthy',
      requestId: expect.any(String),
      details: {
        service: {
          serviceStatus: 'healthy',
          agentCount: 1,
          sessionCount: 1,
          turnsInFlight: 0,
          model: { model: null, probed: false, status: 'healthy' },
        },
        agents: { summary: { totalAgents: 1, activeAgents: 1 } },
        usage: {
          agents: { total: 1, active: 1 },
          sessions: { total: 1, active: 1 },
          messages: { total: 2, customer: 1, agent: 1 },
        },
        tools: [],
      },
    });
    expect(body.details.agents.performanceMetrics).toHaveLength(1);
  });

  it("lists each agent's turns, latencies, errors, success rate and model use, for its workspace only", async () => {
    const body = await callExpecting<{ agents: Record<string, unknown>[] }>(
      kit,
      'GET',
      '/v1/health/engine/agents',
      { token: readToken, status: 200 },
    );
    expect(body.agents).toEqual([
      {
        workspaceId,
        agentId: expect.any(String),
        turns: 1,
        errors: 0,
        errorsByCode: {},
        cancelled: 0,
        responseTimeMs: { p50: expect.any(Number), p95: expect.any(Number) },
        timeToFirstTokenMs: { p50: expect.any(Number), p95: expect.any(Number) },
        sessionSuccessRate: 1,
        modelCalls: 0,
        promptTokens: 0,
        completionTokens: 0,
        lastTurnAt: expect.any(String),
      },
    ]);
    const elsewhere = await callExpecting<{ agents: unknown[] }>(
      kit,
      'GET',
      '/v1/health/engine/agents',
      { token: await operatorToken({ workspaceId: 'workspace-health-tree-other' }), status: 200 },
    );
    expect(elsewhere.agents).toEqual([]);
  });
});

describe('the model probe', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ apiKey: 'sk-probe-test-0123456789' });
  });
  afterAll(() => server.close());

  it('reads the model entry once per 30 s whoever asks, and shows an unreachable model as degraded', async () => {
    const clock = createTestClock();
    const engine = createEngine({
      store,
      model: createOpenAIChatModel({
        model: 'gpt-fake',
        apiKey: 'sk-probe-test-0123456789',
        baseURL: server.baseURL,
        maxRetries: 0,
      }),
    });
    const handler = await createParleyHandler({
      engine,
      customerTokenSecret: customerSecret,
      authenticate: () => ({ userId: 'user-1', workspaceId, role: 'read' }),
      clock,
    });
    const engineHealth = async () =>
      (await (await handler(new Request('http://localhost/v1/health/engine'))).json()) as {
        status: string;
        details: { service: { model: Record<string, unknown> } };
      };
    try {
      const first = await engineHealth();
      expect(first.status).toBe('healthy');
      expect(first.details.service.model).toMatchObject({
        status: 'healthy',
        model: `${new URL(server.baseURL).host}:gpt-fake`,
        probed: true,
      });
      await engineHealth();
      const probes = () => server.requests.filter((request) => request.method === 'GET').length;
      expect(probes()).toBe(1);

      server.failNext({ status: 503 });
      clock.advance(30_000);
      const down = await engineHealth();
      expect(down.status).toBe('degraded');
      expect(down.details.service.model).toMatchObject({
        status: 'degraded',
        error: expect.any(String),
      });
      expect(probes()).toBe(2);
      // Degraded is still 200: the instance takes traffic; the turns that need the model fail.
      expect((await handler(new Request('http://localhost/v1/health'))).status).toBe(200);
    } finally {
      await handler.close({ deadlineMs: 1000 });
    }
  });
});

describe('GET /v1/health/auth and /v1/health/auth/validate', () => {
  it("describes the verifier's checks, never its secret", async () => {
    const response = await kit.call('GET', '/v1/health/auth', { token: readToken });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      service: 'auth',
      status: 'healthy',
      requestId: expect.any(String),
      timestamp: expect.any(String),
      components: {
        authSystem: {
          status: 'healthy',
          details: {
            customerTokens: { algorithm: 'HS256', configured: true },
            operatorTokens: {
              algorithms: ['HS256'],
              issuers: ['test-host'],
              audiences: ['parley'],
              maxTokenAgeSeconds: 3600,
              keys: { source: 'secret' },
            },
          },
        },
        hostIntegration: { status: 'healthy', details: { signIn: false, authorize: false } },
      },
      summary: { total: 2, healthy: 2, degraded: 0, unhealthy: 0 },
    });
    expect(text).not.toContain('operator-secret-for-tests');
    expect(text).not.toContain(customerSecret);
  });

  it('runs the self-test for admins only: a token round trip, and a tampered token refused', async () => {
    const refused = await kit.call('GET', '/v1/health/auth/validate', { token: readToken });
    expect(refused.status).toBe(403);
    const body = await callExpecting(kit, 'GET', '/v1/health/auth/validate', {
      token: adminToken,
      status: 200,
    });
    expect(body).toEqual({
      service: 'auth',
      status: 'healthy',
      requestId: expect.any(String),
      timestamp: expect.any(String),
      checks: [
        { name: 'customer_token_round_trip', passed: true },
        { name: 'tampered_token_refused', passed: true },
      ],
    });
  });
});

describe('GET /v1/health/dashboard and its summary', () => {
  it('gathers the services, performance, usage and alerts in one answer', async () => {
    const body = await callExpecting(kit, 'GET', '/v1/health/dashboard', {
      token: readToken,
      status: 200,
    });
    expect(body).toMatchObject({
      dashboard: 'parley-monitoring',
      status: 'healthy',
      timestamp: expect.any(String),
      requestId: expect.any(String),
      overview: {
        systemStatus: 'healthy',
        uptime: expect.any(Number),
        activeAlerts: 0,
        services: { total: 4, healthy: 4, degraded: 0, unhealthy: 0 },
      },
      services: {
        database: { status: 'healthy' },
        engine: { status: 'healthy' },
        auth: { status: 'healthy' },
        integration: { status: 'healthy' },
      },
      performance: { agents: { totalAgents: 1 }, turnsInFlight: 0 },
      usage: { sessions: { total: 1 } },
      monitoring: { alerts: [], summary: { total: 0, critical: 0, warning: 0 } },
    });
  });

  it('serves the overview from memory for 10 s, then checks again', async () => {
    const clock = createTestClock();
    const own = await createHandlerKit({ store, handler: { clock } });
    const summary = () =>
      callExpecting<{ timestamp: string; overview: { uptime: number }; cachedForMs: number }>(
        own,
        'GET',
        '/v1/health/dashboard/summary',
        { token: readToken, status: 200 },
      );
    try {
      const first = await summary();
      expect(first).toMatchObject({ dashboard: 'parley-monitoring', status: 'healthy' });
      clock.advance(4000);
      const cached = await summary();
      expect(cached.timestamp).toBe(first.timestamp);
      clock.advance(6000);
      const fresh = await summary();
      expect(fresh.timestamp).not.toBe(first.timestamp);
    } finally {
      await own.close();
    }
  });
});

describe('rate limits of the health routes', () => {
  it("gives each group its own budget per address and minute, the contract's by default", async () => {
    const clock = createTestClock();
    const limited = await createHandlerKit({
      store,
      handler: { clock, rateLimit: { health: { auth: 2 } } },
    });
    try {
      const auth = () => limited.call('GET', '/v1/health/auth', { token: readToken });
      expect((await auth()).status).toBe(200);
      expect((await auth()).status).toBe(200);
      const refused = await auth();
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      // The validate route is in the same group; the engine's is not.
      expect(
        (await limited.call('GET', '/v1/health/auth/validate', { token: adminToken })).status,
      ).toBe(429);
      expect((await limited.call('GET', '/v1/health/engine', { token: readToken })).status).toBe(
        200,
      );
      // A minute later the bucket is full again.
      clock.advance(60_000);
      expect((await auth()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
