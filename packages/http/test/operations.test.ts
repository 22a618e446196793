import { randomBytes } from 'node:crypto';
import type { ChatModel, ParleyEvent } from '@parley/core';
import { createEngine, tool } from '@parley/core';
import { createJwtVerifier } from '@parley/core/auth';
import { createOpenAIChatModel } from '@parley/core/openai';
import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { createPostgresEventBus, createPostgresStore } from '@parley/core/postgres';
import {
  createPostgresTestSchema,
  type FakeOpenAIServer,
  type PostgresTestSchema,
  startFakeOpenAIServer,
  testDatabaseUrl,
} from '@parley/core/testing';
import pg from 'pg';
import { register as globalRegistry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createParleyHandler, type HandlerLogger } from '../src/index';
import {
  basePath,
  createHandlerKit,
  createShopAgent,
  customerSecret,
  type HandlerKit,
  operatorSecret,
  operatorToken,
  readFrames,
  type SseFrame,
} from './handler-kit';

const workspaceId = 'workspace-operations';
const openAIKey = 'sk-operations-test-key-0000';

interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
}

/** One line a handler logged. */
interface LogLine {
  level: 'info' | 'error';
  fields: Record<string, unknown>;
  message: string;
}

function createCapturingLogger(): HandlerLogger & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  return {
    lines,
    info: (fields, message) => void lines.push({ level: 'info', fields, message }),
    error: (fields, message) => void lines.push({ level: 'error', fields, message }),
  };
}

/** The value of one sample of a Prometheus text exposition, by name and (a subset of) labels. */
function sampleOf(exposition: string, name: string, labels: Record<string, string> = {}): number {
  let total: number | undefined;
  for (const line of exposition.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((pair) => [
        pair[1],
        pair[2],
      ]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      total = (total ?? 0) + Number(match[3]);
    }
  }
  if (total === undefined) throw new Error(`no sample ${name} ${JSON.stringify(labels)}`);
  return total;
}

/** A sample that may not exist yet (a counter no label set has touched): zero then. */
function countOf(exposition: string, name: string, labels: Record<string, string> = {}): number {
  try {
    return sampleOf(exposition, name, labels);
  } catch {
    return 0;
  }
}

async function scrape(kit: HandlerKit): Promise<string> {
  const response = await kit.call('GET', '/v1/metrics');
  expect(response.status).toBe(200);
  return response.text();
}

/** The OpenAI adapter against the fake server: the real client over real HTTP. */
function openAIModelOf(server: FakeOpenAIServer): ChatModel {
  return createOpenAIChatModel({
    model: 'gpt-test',
    baseURL: server.baseURL,
    apiKey: openAIKey,
    maxRetries: 0,
  });
}

/** The fake's answer to the judgement: no guideline applies, no journey, no canned reply. */
const emptyJudgement = {
  json: { guidelines: [], journey: { id: null, nextState: null }, cannedResponse: null },
};

const isStatus = (frame: SseFrame, status: string) =>
  frame.event === 'event' &&
  (frame.data as { kind: string }).kind === 'status' &&
  (frame.data as { data: { status?: string } }).data.status === status;

/** Reads a stream's raw text, so fields the frame reader skips (`retry:`) can be checked. */
function readRaw(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  const readMore = async () => {
    const { done, value } = await reader.read();
    if (done) ended = true;
    else text += decoder.decode(value, { stream: true });
  };
  return {
    get text() {
      return text;
    },
    /** Reads until `until` holds; fails if the stream ends first. */
    async until(until: (text: string) => boolean) {
      while (!until(text)) {
        if (ended) throw new Error(`stream ended before the condition; got:\n${text}`);
        await readMore();
      }
    },
    /** Reads to the end of the stream. */
    async toEnd() {
      while (!ended) await readMore();
      return text;
    },
  };
}

/** Every PGlite handler of this file shares one database (the database-loss test has its own). */
let store: PgliteStore;
beforeAll(async () => {
  store = await createPgliteStore();
});
afterAll(async () => {
  await store?.close();
});

describe('health and readiness', () => {
  it('answers health, database and engine health, and readiness', async () => {
    const kit = await createHandlerKit({ store });
    const token = await operatorToken({ workspaceId: 'workspace-health', role: 'read' });
    try {
      const health = await kit.call('GET', '/v1/health', { token });
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({
        status: 'healthy',
        services: {
          database: { status: 'healthy', responseTime: expect.any(Number) },
          engine: { status: 'healthy', turnsInFlight: 0 },
          integration: { status: 'healthy', eventBus: 'listening' },
        },
      });
      const database = await kit.call('GET', '/v1/health/database', { token });
      expect(database.status).toBe(200);
      expect(await database.json()).toMatchObject({ service: 'database', status: 'healthy' });
      const engine = await kit.call('GET', '/v1/health/engine', { token });
      expect(engine.status).toBe(200);
      expect(await engine.json()).toMatchObject({
        status: 'healthy',
        details: { service: { turnsInFlight: 0, model: { model: null, probed: false } } },
      });
      const ready = await kit.call('GET', '/v1/ready');
      expect(ready.status).toBe(200);
      expect(ready.headers.get('x-request-id')).toBeTruthy();
    } finally {
      await kit.close();
    }
  });

  it('lists each tool’s calls, failures and latency in the engine health', async () => {
    const checkStock = tool({
      name: 'check_stock',
      description: 'Tells whether the shop has an item in stock',
      parameters: z.object({}),
      handler: () => ({ inStock: true }),
    });
    const kit = await createHandlerKit({ store, engine: { tools: [checkStock] } });
    try {
      const workspace = kit.engine.forWorkspace('workspace-tool-health');
      const agent = await workspace.agents.create({
        name: 'Stock',
        compositionMode: 'canned_strict',
      });
      const toolRow = await workspace.tools.create({
        name: 'check_stock',
        description: 'Tells whether the shop has an item in stock',
      });
      const guideline = await workspace.guidelines.create({
        agentId: agent.id,
        condition: 'the customer asks whether an item is in stock',
        action: 'check the stock',
        examples: ['is it in stock?'],
      });
      await workspace.guidelines.setTools(guideline.id, [toolRow.id]);
      await workspace.cannedResponses.create({
        agentId: agent.id,
        template: 'In stock: {{check_stock.inStock}}.',
      });
      const session = await workspace.sessions.create({ agentId: agent.id });
      const posted = await workspace.sessions.postCustomerMessage(session.id, {
        text: 'is it in stock?',
      });
      expect((await posted.turn)?.status).toBe('ready');
      const engine = await kit.call('GET', '/v1/health/engine', {
        token: await operatorToken({ workspaceId: 'workspace-tool-health' }),
      });
      expect(engine.status).toBe(200);
      const { tools } = ((await engine.json()) as { details: { tools: unknown[] } }).details;
      expect(tools).toEqual([
        {
          toolName: 'check_stock',
          calls: 1,
          failures: 0,
          timeouts: 0,
          rateLimited: 0,
          latencyMs: { p50: expect.any(Number), p95: expect.any(Number) },
          lastCallAt: expect.any(String),
        },
      ]);
    } finally {
      await kit.close();
    }
  });

  it('turns not ready, with the envelope, once close() begins', async () => {
    const kit = await createHandlerKit({ store });
    expect((await kit.call('GET', '/v1/ready')).status).toBe(200);
    const closing = kit.handler.close({ deadlineMs: 1000 });
    const ready = await kit.call('GET', '/v1/ready');
    expect(ready.status).toBe(503);
    const { error } = (await ready.json()) as ErrorBody;
    expect(error).toMatchObject({
      code: 'not_ready',
      requestId: ready.headers.get('x-request-id'),
    });
    const engine = await kit.call('GET', '/v1/health/engine', {
      token: await operatorToken({ workspaceId: 'workspace-health' }),
    });
    expect(engine.status).toBe(503);
    expect(await engine.json()).toMatchObject({
      status: 'unhealthy',
      details: { service: { serviceStatus: 'unhealthy' } },
    });
    await closing;
    await kit.close();
  });

  it('answers 503 when the database is gone: unhealthy, and the envelope from readiness', async () => {
    const ownStore = await createPgliteStore();
    const kit = await createHandlerKit({ store: ownStore });
    const token = await operatorToken({ workspaceId: 'workspace-health' });
    try {
      expect((await kit.call('GET', '/v1/health/database', { token })).status).toBe(200);
      await ownStore.close();
      const database = await kit.call('GET', '/v1/health/database', { token });
      expect(database.status).toBe(503);
      expect(await database.json()).toMatchObject({
        service: 'database',
        status: 'unhealthy',
        responseTime: null,
        details: { connectionStatus: 'disconnected' },
      });
      const ready = await kit.call('GET', '/v1/ready');
      expect(ready.status).toBe(503);
      const { error } = (await ready.json()) as ErrorBody;
      expect(error).toMatchObject({
        code: 'database_failed',
        requestId: ready.headers.get('x-request-id'),
      });
      const health = await kit.call('GET', '/v1/health', { token });
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        status: 'unhealthy',
        services: { database: { status: 'unhealthy' } },
      });
    } finally {
      await kit.close();
    }
  });
});

describe('metrics and logs of a conversation through the OpenAI adapter', () => {
  let server: FakeOpenAIServer;
  let kit: HandlerKit;
  let logger: ReturnType<typeof createCapturingLogger>;
  let widget: Awaited<ReturnType<typeof createShopAgent>>;
  /** Every response this describe got, by request id: each must have one log line. */
  const responses = new Map<string, number>();
  /** Everything that must never be logged. */
  const secrets: string[] = [openAIKey];

  async function call(...parameters: Parameters<HandlerKit['call']>): Promise<Response> {
    const response = await kit.call(...parameters);
    responses.set(response.headers.get('x-request-id') as string, response.status);
    return response;
  }

  async function openSession() {
    const response = await call('POST', '/v1/sessions', { body: { agentKey: widget.agentKey } });
    expect(response.status).toBe(201);
    const opened = (await response.json()) as { session: { id: string }; customerToken: string };
    secrets.push(opened.customerToken);
    return opened;
  }

  beforeAll(async () => {
    server = await startFakeOpenAIServer({ apiKey: openAIKey });
    logger = createCapturingLogger();
    kit = await createHandlerKit({
      store,
      engine: { model: openAIModelOf(server) },
      handler: { logger },
    });
    widget = await createShopAgent(kit, { workspaceId, compositionMode: 'fluid' });
    secrets.push(widget.agentKey, widget.identitySecret, await operatorToken({ workspaceId }));
    // The kit's own requests (issuing the key) are not this describe's to count.
    logger.lines.length = 0;
  });
  afterAll(async () => {
    await kit?.close();
    await server?.close();
  });

  it('exposes Prometheus text: turn latency, model calls and tokens, events, streams', async () => {
    const metrics = await call('GET', '/v1/metrics');
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const before = await metrics.text();
    const requestsBefore = server.requests.filter(
      (request) => request.path === '/v1/chat/completions',
    ).length;

    server.enqueue({ ...emptyJudgement, usage: { prompt_tokens: 120, completion_tokens: 15 } });
    server.enqueue({
      text: 'Refunds are possible within thirty days.',
      usage: { prompt_tokens: 200, completion_tokens: 9 },
    });
    const { session, customerToken } = await openSession();
    const stream = await call('GET', `/v1/sessions/${session.id}/stream`, { token: customerToken });
    expect(stream.status).toBe(200);
    expect(sampleOf(await scrape(kit), 'parley_sse_clients')).toBe(
      sampleOf(before, 'parley_sse_clients') + 1,
    );

    const text = 'can I get my money back for order 4471?';
    secrets.push(text);
    const frames = readFrames(stream, (seen) => seen.some((frame) => isStatus(frame, 'ready')));
    const posted = await call('POST', `/v1/sessions/${session.id}/events`, {
      token: customerToken,
      body: { text, clientMessageId: 'refund-1' },
    });
    expect(posted.status).toBe(201);
    const received = await frames;
    const deltas = received.filter((frame) => frame.event === 'delta');
    expect(deltas.map((frame) => (frame.data as { text: string }).text).join('')).toBe(
      'Refunds are possible within thirty days.',
    );
    const reply = received.find(
      (frame) =>
        frame.event === 'event' &&
        (frame.data as { source: string }).source === 'ai_agent' &&
        (frame.data as { kind: string }).kind === 'message',
    );
    const rated = await call(
      'POST',
      `/v1/sessions/${session.id}/events/${(reply?.data as { id: string } | undefined)?.id}/feedback`,
      { token: customerToken, body: { rating: 'up' } },
    );
    expect(rated.status).toBe(201);

    // The turn's outcome is recorded when its promise settles, just after the `ready` event.
    await vi.waitFor(
      async () => {
        const after = await scrape(kit);
        expect(
          countOf(after, 'parley_turn_duration_seconds_count', { status: 'ready' }) -
            countOf(before, 'parley_turn_duration_seconds_count', { status: 'ready' }),
        ).toBe(1);
      },
      { timeout: 10_000, interval: 20 },
    );
    const after = await scrape(kit);
    const chatCalls =
      server.requests.filter((request) => request.path === '/v1/chat/completions').length -
      requestsBefore;
    expect(chatCalls).toBe(2);
    expect(
      countOf(after, 'parley_model_calls_total') - countOf(before, 'parley_model_calls_total'),
    ).toBe(chatCalls);
    const tokens = (kind: string, exposition: string) =>
      countOf(exposition, 'parley_model_tokens_total', { kind });
    expect(tokens('prompt', after) - tokens('prompt', before)).toBe(120 + 200);
    expect(tokens('completion', after) - tokens('completion', before)).toBe(15 + 9);
    // Two events came in through the handler's routes: the customer's message, their rating.
    expect(
      countOf(after, 'parley_events_appended_total') -
        countOf(before, 'parley_events_appended_total'),
    ).toBe(2);
    expect(
      sampleOf(after, 'parley_turn_duration_seconds_sum', { status: 'ready' }),
    ).toBeGreaterThan(0);

    // `readFrames` cancelled the stream once it saw `ready`: the gauge goes back down.
    await vi.waitFor(
      async () =>
        expect(sampleOf(await scrape(kit), 'parley_sse_clients')).toBe(
          sampleOf(before, 'parley_sse_clients'),
        ),
      { timeout: 10_000, interval: 20 },
    );
  });

  it('counts errors by code', async () => {
    const before = await scrape(kit);
    expect((await call('GET', '/v1/no-such-route')).status).toBe(404);
    const malformed = await kit.handler(
      new Request(`http://localhost${basePath}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"agentKey":',
      }),
    );
    responses.set(malformed.headers.get('x-request-id') as string, malformed.status);
    expect(malformed.status).toBe(400);
    const after = await scrape(kit);
    const errors = (code: string, exposition: string) =>
      countOf(exposition, 'parley_errors_total', { code });
    expect(errors('not_found', after) - errors('not_found', before)).toBe(1);
    expect(errors('validation_failed', after) - errors('validation_failed', before)).toBe(1);
  });

  it('labels requests by route pattern, so ids of any shape never become labels', async () => {
    const before = await scrape(kit);
    for (const id of ['not-a-uuid', 'another id', 'x'.repeat(40)]) {
      const response = await call('GET', `/v1/agents/${encodeURIComponent(id)}`, {
        token: await operatorToken({ workspaceId }),
      });
      expect(response.status).toBe(404);
    }
    const after = await scrape(kit);
    const labelled = { route: 'GET /v1/agents/:agentId', status: '404' };
    expect(
      countOf(after, 'parley_http_requests_total', labelled) -
        countOf(before, 'parley_http_requests_total', labelled),
    ).toBe(3);
    expect(after).not.toContain('not-a-uuid');
  });

  it('logs a failed turn with its trace id', async () => {
    const turnErrorsBefore = countOf(await scrape(kit), 'parley_turn_errors_total', {
      code: 'model_failed',
    });
    server.failNext({ status: 500, body: { error: { message: 'the model fell over' } } });
    const { session, customerToken } = await openSession();
    const text = 'this message makes the model fail';
    secrets.push(text);
    const posted = await call('POST', `/v1/sessions/${session.id}/events`, {
      token: customerToken,
      body: { text },
    });
    expect(posted.status).toBe(201);
    const workspace = kit.engine.forWorkspace(workspaceId);
    let failure: ParleyEvent | undefined;
    await vi.waitFor(
      async () => {
        const events = await workspace.events.list(session.id);
        failure = events.find(
          (event) =>
            event.kind === 'status' && (event.data as { status: string }).status === 'error',
        );
        expect(failure).toBeDefined();
        expect(logger.lines.some((line) => line.fields.traceId === failure?.traceId)).toBe(true);
      },
      { timeout: 10_000, interval: 20 },
    );
    const line = logger.lines.find((candidate) => candidate.fields.traceId === failure?.traceId);
    expect(line).toMatchObject({
      level: 'error',
      fields: { sessionId: session.id, code: 'model_failed' },
    });
    // Counted by code too, for alerts on failing turns.
    await vi.waitFor(async () => {
      expect(countOf(await scrape(kit), 'parley_turn_errors_total', { code: 'model_failed' })).toBe(
        turnErrorsBefore + 1,
      );
    });
  });

  it('logs one line per request, with its request id, route and status, and no secret', async () => {
    // Every request of this describe so far, each answered with its status.
    expect(responses.size).toBeGreaterThan(5);
    const requestLines = logger.lines.filter((line) => line.fields.requestId !== undefined);
    // A failed turn's line carries the request that started it, besides that request's own.
    const perRequest = requestLines.filter((line) => line.message !== 'turn failed');
    for (const [requestId, status] of responses) {
      const lines = perRequest.filter((line) => line.fields.requestId === requestId);
      expect(lines, `log lines of ${requestId}`).toHaveLength(1);
      expect(lines[0]?.fields).toMatchObject({ status, route: expect.any(String) });
    }
    // And no request logged twice (metrics scrapes included).
    expect(new Set(perRequest.map((line) => line.fields.requestId)).size).toBe(perRequest.length);
    const routes = new Set(requestLines.map((line) => line.fields.route));
    expect(routes).toContain('POST /v1/sessions');
    expect(routes).toContain('GET /v1/sessions/:sessionId/stream');

    const logged = JSON.stringify(logger.lines);
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});

describe('prom-client registries', () => {
  it('keeps two handlers in one process apart, and off the global registry', async () => {
    const first = await createHandlerKit({ store });
    const second = await createHandlerKit({ store });
    try {
      expect(first.handler.metrics.registry).not.toBe(second.handler.metrics.registry);
      const errors = async (kit: HandlerKit) =>
        countOf(await scrape(kit), 'parley_errors_total', { code: 'not_found' });
      const [firstBefore, secondBefore] = [await errors(first), await errors(second)];
      expect((await first.call('GET', '/v1/missing')).status).toBe(404);
      expect((await first.call('GET', '/v1/missing')).status).toBe(404);
      expect(await errors(first)).toBe(firstBefore + 2);
      expect(await errors(second)).toBe(secondBefore);
      expect(
        globalRegistry.getMetricsAsArray().filter((metric) => metric.name.startsWith('parley_')),
      ).toEqual([]);
    } finally {
      await first.close();
      await second.close();
    }
  });
});

describe('a metrics token', () => {
  it('keeps metrics from callers without it, and serves the scraper that has it', async () => {
    const metricsToken = 'scraper-token-0123456789abcdef';
    const kit = await createHandlerKit({ store, handler: { metricsToken } });
    try {
      const anonymous = await kit.call('GET', '/v1/metrics');
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toMatchObject({ error: { code: 'unauthenticated' } });
      const wrong = await kit.call('GET', '/v1/metrics', {
        headers: { authorization: `Bearer ${metricsToken}x` },
      });
      expect(wrong.status).toBe(401);
      expect(await wrong.text()).not.toContain('parley_');
      const scraper = await kit.call('GET', '/v1/metrics', {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      expect(scraper.status).toBe(200);
      expect(await scraper.text()).toContain('parley_http_requests_total');
      // Health stays open to load balancers.
      expect((await kit.call('GET', '/v1/health')).status).toBe(200);
    } finally {
      await kit.close();
    }
  });
});

describe('graceful shutdown', () => {
  let server: FakeOpenAIServer;
  beforeAll(async () => {
    server = await startFakeOpenAIServer({ apiKey: openAIKey });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('ends streams with a retry hint, refuses new requests, settles the turn in flight', async () => {
    const kit = await createHandlerKit({ store, engine: { model: openAIModelOf(server) } });
    const { agentKey } = await createShopAgent(kit, { workspaceId: `${workspaceId}-shutdown` });
    const opened = await kit.call('POST', '/v1/sessions', { body: { agentKey } });
    const { session, customerToken } = (await opened.json()) as {
      session: { id: string };
      customerToken: string;
    };
    // A slow reply: forty words, a tenth of a second apart, far past the deadline below.
    server.enqueue(emptyJudgement);
    server.enqueue({
      text: Array.from({ length: 40 }, (_, index) => `word${index}`).join(' '),
      chunkDelayMs: 100,
    });
    const stream = readRaw(
      await kit.call('GET', `/v1/sessions/${session.id}/stream`, { token: customerToken }),
    );
    const posted = await kit.call('POST', `/v1/sessions/${session.id}/events`, {
      token: customerToken,
      body: { text: 'tell me a long story' },
    });
    expect(posted.status).toBe(201);
    // The reply has started: a turn is in flight.
    await stream.until((text) => text.includes('event: delta'));
    expect(kit.engine.turnsInFlight).toBe(1);

    const closing = kit.handler.close({ deadlineMs: 300 });
    const ended = await stream.toEnd();
    const tail = ended.slice(ended.lastIndexOf('event: delta'));
    expect(tail).toMatch(/^retry: \d+$/m);

    const refused = await kit.call('GET', `/v1/sessions/${session.id}`, { token: customerToken });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as ErrorBody).error.code).toBe('not_ready');
    const opening = await kit.call('POST', '/v1/sessions', { body: { agentKey } });
    expect(opening.status).toBe(503);

    await closing;
    expect(kit.engine.turnsInFlight).toBe(0);
    const events = await kit.engine
      .forWorkspace(`${workspaceId}-shutdown`)
      .events.list(session.id, { limit: 1000 });
    expect(events.map((event) => event.offset)).toEqual(events.map((_, index) => index));
    expect(events[0]).toMatchObject({ kind: 'message', source: 'customer' });
    const lastStatus = events.filter((event) => event.kind === 'status').at(-1);
    expect(['ready', 'cancelled']).toContain(
      (lastStatus?.data as { status: string } | undefined)?.status,
    );
    expect(events.at(-1)).toBe(lastStatus);
    await kit.close();
  });
});

describe.skipIf(!testDatabaseUrl)('health on PostgreSQL (needs DATABASE_URL)', () => {
  let schema: PostgresTestSchema;
  beforeAll(async () => {
    schema = await createPostgresTestSchema(testDatabaseUrl as string);
  });
  afterAll(async () => {
    await schema?.drop();
  });

  it('reports the database, then 503 with the envelope once its pool is gone', async () => {
    const pool = schema.createPool(2);
    const engine = createEngine({ store: await createPostgresStore({ pool }) });
    const handler = await createParleyHandler({
      engine,
      customerTokenSecret: customerSecret,
      verifier: createJwtVerifier({
        algorithms: ['HS256'],
        secret: operatorSecret,
        issuer: 'test-host',
        audience: 'parley',
      }),
    });
    const token = await operatorToken({ workspaceId: 'workspace-health' });
    const get = (path: string, headers: Record<string, string> = {}) =>
      handler(new Request(`http://localhost${path}`, { headers }));
    const asOperator = (path: string) => get(path, { authorization: `Bearer ${token}` });
    try {
      const healthy = await asOperator('/v1/health/database?details=true');
      expect(healthy.status).toBe(200);
      expect(await healthy.json()).toMatchObject({
        service: 'database',
        status: 'healthy',
        details: {
          connectionStatus: 'connected',
          queryTime: expect.any(Number),
          version: expect.stringMatching(/^PostgreSQL \d+/),
          activeConnections: expect.any(Number),
        },
        metrics: { database: { connectionCount: expect.any(Number) } },
        // The pool behind the store: at most the 2 connections it was given.
        diagnostics: { pool: { total: expect.any(Number), idle: expect.any(Number), waiting: 0 } },
      });
      expect(pool.totalCount).toBeLessThanOrEqual(2);
      expect((await get('/v1/ready')).status).toBe(200);

      await pool.end();
      const database = await asOperator('/v1/health/database');
      expect(database.status).toBe(503);
      expect(await database.json()).toMatchObject({ status: 'unhealthy' });
      expect((await get('/v1/ready')).status).toBe(503);
      expect((await get('/v1/health')).status).toBe(503);
    } finally {
      await handler.close({ deadlineMs: 1000 });
    }
  });

  it('is not ready while the LISTEN/NOTIFY bus reconnects, and ready again once it listens', async () => {
    const adminPool = schema.createPool(1);
    // The bus logs in as a role of this test's own, so its logins alone can be refused.
    const role = `parley_ready_${randomBytes(4).toString('hex')}`;
    await adminPool.query(`create role ${role} login`);
    const busUrl = new URL(testDatabaseUrl as string);
    busUrl.username = role;
    const busPool = new pg.Pool({ connectionString: busUrl.toString(), max: 2 });
    const channel = `parley_ready_${randomBytes(4).toString('hex')}`;
    const eventBus = createPostgresEventBus({
      pool: busPool,
      channel,
      reconnectDelayMs: { initial: 20, maximum: 100 },
      onError: () => undefined,
    });
    const storePool = schema.createPool(2);
    const engine = createEngine({
      store: await createPostgresStore({ pool: storePool }),
      eventBus,
    });
    const handler = await createParleyHandler({ engine, customerTokenSecret: customerSecret });
    const get = (path: string) => handler(new Request(`http://localhost${path}`));
    const waitForReady = async (status: number) => {
      for (let attempt = 0; attempt < 200; attempt++) {
        const response = await get('/v1/ready');
        if (response.status === status) return response;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`/v1/ready never answered ${status}`);
    };
    try {
      // The handler subscribes at once (it keeps every reply in progress): the bus listens.
      expect((await get('/v1/ready')).status).toBe(200);

      await adminPool.query(`alter role ${role} nologin`);
      await adminPool.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where application_name = $1`,
        [`parley-bus:${channel}`],
      );
      const notReady = await waitForReady(503);
      expect(((await notReady.json()) as ErrorBody).error).toMatchObject({
        code: 'not_ready',
        reason: 'event_bus_reconnecting',
        requestId: notReady.headers.get('x-request-id'),
      });
      // Degraded, not down: replies still go out, late on the other instances.
      const health = await get('/v1/health');
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'degraded', timestamp: expect.any(String) });

      await adminPool.query(`alter role ${role} login`);
      await waitForReady(200);
      expect(await (await get('/v1/health')).json()).toMatchObject({ status: 'healthy' });
    } finally {
      await handler.close({ deadlineMs: 1000 });
      await eventBus.close();
      await busPool.end();
      await storePool.end();
      await adminPool.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where usename = $1',
        [role],
      );
      await adminPool.query(`drop role if exists ${role}`);
      await adminPool.end();
    }
  });
});
