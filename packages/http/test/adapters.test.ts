import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInMemoryEventBus, type EventBus } from '@parley/core';
import express from 'express';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { toNodeListener } from '../src/index';
import {
  basePath,
  createHandlerKit,
  createShopAgent,
  type HandlerKit,
  openingHoursReply,
  readFrames,
  type SseFrame,
} from './handler-kit';

const workspaceId = 'workspace-adapters';
const origin = 'https://shop.example';

/** The in-process bus, counting the listeners each session has: a stream must release its own. */
function createCountingBus(): EventBus & { listenersOf(sessionId: string): number } {
  const bus = createInMemoryEventBus();
  const counts = new Map<string, number>();
  const change = (sessionId: string, by: number) =>
    counts.set(sessionId, (counts.get(sessionId) ?? 0) + by);
  return {
    ...bus,
    async subscribe(sessionId, listener) {
      const unsubscribe = await bus.subscribe(sessionId, listener);
      change(sessionId, 1);
      let released = false;
      return async () => {
        if (!released) change(sessionId, -1);
        released = true;
        await unsubscribe();
      };
    },
    listenersOf: (sessionId) => counts.get(sessionId) ?? 0,
  };
}

interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as it is, with the content type of `headers`. */
  rawBody?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The handler mounted one way, called as that way's clients call it. */
interface Mount {
  name: string;
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
}

function requestInit(method: string, options: CallOptions): RequestInit {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  return {
    method,
    headers,
    body: options.body === undefined ? options.rawBody : JSON.stringify(options.body),
    signal: options.signal,
  };
}

/** A real server on a free port of 127.0.0.1, called with `fetch`. */
async function listen(server: Server): Promise<{ origin: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function overHttp(name: string, serverOrigin: string): Mount {
  return {
    name,
    call: (method, path, options = {}) =>
      fetch(`${serverOrigin}${basePath}${path}`, requestInit(method, options)),
  };
}

/** A Next.js route handler receives the request and a context with the catch-all params. */
type NextRouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string[]>> },
) => Promise<Response>;

let kit: HandlerKit;
let bus: ReturnType<typeof createCountingBus>;
let agentKey: string;
const mounts: Mount[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
let nodeMount: Mount;
let nodeOrigin: string;
let jsonExpressMount: Mount;

beforeAll(async () => {
  bus = createCountingBus();
  kit = await createHandlerKit({ engine: { eventBus: bus } });
  ({ agentKey } = await createShopAgent(kit, { workspaceId, allowedOrigins: [origin] }));
  const { handler } = kit;

  const nodeServer = await listen(createServer(toNodeListener(handler)));
  nodeOrigin = nodeServer.origin;
  nodeMount = overHttp('node:http', nodeServer.origin);

  const expressApp = express();
  expressApp.use(basePath, toNodeListener(handler));
  const expressServer = await listen(createServer(expressApp));

  // An app that parses JSON bodies for every route before Parley's: the stream is consumed
  // by the time the listener runs.
  const jsonExpressApp = express();
  jsonExpressApp.use(express.json());
  jsonExpressApp.use(basePath, toNodeListener(handler));
  const jsonExpressServer = await listen(createServer(jsonExpressApp));
  jsonExpressMount = overHttp('Express after express.json()', jsonExpressServer.origin);

  // Hono runs `app.fetch(request)` on every runtime; @hono/node-server is not installed here.
  const honoApp = new Hono();
  honoApp.all(`${basePath}/*`, (context) => handler(context.req.raw));
  const honoMount: Mount = {
    name: 'Hono',
    call: async (method, path, options = {}) =>
      honoApp.fetch(
        new Request(`http://localhost${basePath}${path}`, requestInit(method, options)),
      ),
  };

  // app/api/parley/[...path]/route.ts: `export const GET = handler, POST = handler, …`.
  const routeModule: Record<string, NextRouteHandler> = {
    GET: handler,
    POST: handler,
    PUT: handler,
    PATCH: handler,
    DELETE: handler,
    OPTIONS: handler,
  };
  const nextMount: Mount = {
    name: 'Next.js route handlers',
    call: async (method, path, options = {}) => {
      const routeHandler = routeModule[method];
      if (!routeHandler) return new Response(null, { status: 405 });
      const request = new Request(
        `http://localhost${basePath}${path}`,
        requestInit(method, options),
      );
      const segments = path.split('?')[0]?.split('/').filter(Boolean) ?? [];
      return routeHandler(request, { params: Promise.resolve({ path: segments }) });
    },
  };

  servers.push(nodeServer, expressServer, jsonExpressServer);
  mounts.push(
    nodeMount,
    overHttp('Express', expressServer.origin),
    jsonExpressMount,
    honoMount,
    nextMount,
  );
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await kit?.close();
});

interface OpenedSession {
  session: { id: string };
  customerToken: string;
}

async function openSession(mount: Mount): Promise<OpenedSession> {
  const response = await mount.call('POST', '/v1/sessions', {
    body: { agentKey },
    headers: { origin },
  });
  expect(response.status).toBe(201);
  expect(response.headers.get('x-request-id')).toBeTruthy();
  expect(response.headers.get('access-control-allow-origin')).toBe(origin);
  return (await response.json()) as OpenedSession;
}

const isStatus = (frame: SseFrame, status: string) =>
  frame.event === 'event' &&
  (frame.data as { kind: string; data: { status?: string } }).kind === 'status' &&
  (frame.data as { data: { status?: string } }).data.status === status;

/** The gauge of open event streams, read from the handler's own registry. */
async function openStreams(): Promise<number> {
  const gauge = kit.handler.metrics.registry.getSingleMetric('parley_sse_clients');
  const value = await gauge?.get();
  return value?.values[0]?.value ?? Number.NaN;
}

describe('the handler mounted in node:http, Express, Hono and Next.js', () => {
  const names = [
    'node:http',
    'Express',
    'Express after express.json()',
    'Hono',
    'Next.js route handlers',
  ];

  it.each(names)(
    '%s: opens a widget session, takes a message and streams the reply',
    async (name) => {
      const mount = mounts.find((candidate) => candidate.name === name) as Mount;
      const { session, customerToken } = await openSession(mount);

      const stream = await mount.call('GET', `/v1/sessions/${session.id}/stream`, {
        token: customerToken,
        headers: { origin },
      });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toContain('text/event-stream');
      expect(stream.headers.get('x-request-id')).toBeTruthy();
      const frames = readFrames(stream, (seen) => seen.some((frame) => isStatus(frame, 'ready')));

      const text = 'when are you open? — à quelle heure ouvrez-vous ?';
      const posted = await mount.call('POST', `/v1/sessions/${session.id}/events`, {
        token: customerToken,
        body: { text, clientMessageId: `hours-${name}` },
        headers: { origin },
      });
      expect(posted.status).toBe(201);
      expect(posted.headers.get('x-request-id')).toBeTruthy();
      const { event } = (await posted.json()) as { event: { data: { text: string } } };
      expect(event.data.text).toBe(text);

      const received = await frames;
      const deltas = received
        .filter((frame) => frame.event === 'delta')
        .map((frame) => (frame.data as { text: string }).text);
      expect(deltas.join('')).toBe(openingHoursReply);
      expect(received.some((frame) => isStatus(frame, 'ready'))).toBe(true);
      const reply = received.find(
        (frame) =>
          frame.event === 'event' &&
          (frame.data as { kind: string; source: string }).kind === 'message' &&
          (frame.data as { source: string }).source === 'ai_agent',
      );
      expect((reply?.data as { data: { text: string } } | undefined)?.data.text).toBe(
        openingHoursReply,
      );
    },
  );

  it.each(names)('%s: answers an error with the envelope and the request id', async (name) => {
    const mount = mounts.find((candidate) => candidate.name === name) as Mount;
    const requestId = `adapter-${name.replace(/\W+/g, '-')}`;
    const response = await mount.call('POST', '/v1/sessions', {
      body: { agentKey: 'pk_not_a_key_at_all' },
      headers: { 'x-request-id': requestId },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({
      error: { code: 'unauthenticated', reason: 'agent_key_invalid', requestId },
    });

    const unknown = await mount.call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(404);
    const envelope = (await unknown.json()) as { error: { code: string; requestId: string } };
    expect(envelope.error.code).toBe('not_found');
    expect(envelope.error.requestId).toBe(unknown.headers.get('x-request-id'));
  });
});

describe('node:http specifics', () => {
  it('closes the server side of a stream when the client aborts it', async () => {
    const { session, customerToken } = await openSession(nodeMount);
    const before = await openStreams();
    const client = new AbortController();
    const stream = await nodeMount.call('GET', `/v1/sessions/${session.id}/stream`, {
      token: customerToken,
      signal: client.signal,
    });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    // The `: connected` comment: the server has opened the stream and subscribed.
    await reader.read();
    expect(await openStreams()).toBe(before + 1);
    expect(bus.listenersOf(session.id)).toBe(1);

    client.abort();
    await reader.cancel().catch(() => undefined);
    await vi.waitFor(
      async () => {
        expect(await openStreams()).toBe(before);
        expect(bus.listenersOf(session.id)).toBe(0);
      },
      { timeout: 10_000, interval: 20 },
    );
  });

  it('reads a body sent slowly, in chunks that split a character', async () => {
    const { session, customerToken } = await openSession(nodeMount);
    const text = 'Öffnungszeiten? 営業時間は？ 🕘';
    const bytes = Buffer.from(JSON.stringify({ text, clientMessageId: 'slow-1' }));
    // Cut inside the multi-byte characters: the handler must join bytes before decoding.
    const emoji = bytes.indexOf(Buffer.from('🕘'));
    const cuts = [5, bytes.indexOf(Buffer.from('営')) + 1, emoji + 2, bytes.length];
    const url = new URL(`${nodeOrigin}${basePath}/v1/sessions/${session.id}/events`);
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const outgoing = httpRequest(
          url,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${customerToken}`,
              'content-type': 'application/json',
              'transfer-encoding': 'chunked',
            },
          },
          (response) => {
            let received = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => {
              received += chunk;
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body: received }));
          },
        );
        outgoing.on('error', reject);
        void (async () => {
          let start = 0;
          for (const cut of cuts) {
            outgoing.write(bytes.subarray(start, cut));
            start = cut;
            await new Promise((wait) => setTimeout(wait, 25));
          }
          outgoing.end();
        })();
      },
    );
    expect(status).toBe(201);
    expect((JSON.parse(body) as { event: { data: { text: string } } }).event.data.text).toBe(text);
    const stored = await kit.engine.forWorkspace(workspaceId).events.list(session.id, {
      kinds: ['message'],
    });
    expect(stored[0]?.data).toMatchObject({ text, clientMessageId: 'slow-1' });
  });

  it('answers HEAD and unknown methods with 405 and the allowed methods', async () => {
    const head = await nodeMount.call('HEAD', '/v1/sessions');
    expect(head.status).toBe(405);
    expect(head.headers.get('x-request-id')).toBeTruthy();
    const allowed = (header: string | null) =>
      (header ?? '')
        .split(',')
        .map((method) => method.trim())
        .filter(Boolean)
        .sort();
    expect(allowed(head.headers.get('allow'))).toEqual(['GET', 'POST']);

    const purge = await nodeMount.call('PURGE', '/v1/sessions');
    expect(purge.status).toBe(405);
    expect(allowed(purge.headers.get('allow'))).toEqual(['GET', 'POST']);
    expect(await purge.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});

describe('Express with a JSON body parser mounted first', () => {
  it('still applies the body cap to a body the parser already read', async () => {
    const { session, customerToken } = await openSession(jsonExpressMount);
    // Over the handler's 64 KiB, under express.json()'s 100 kB.
    const response = await jsonExpressMount.call('POST', `/v1/sessions/${session.id}/events`, {
      token: customerToken,
      body: { text: 'x'.repeat(70 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('still refuses a body that is not JSON', async () => {
    const { session, customerToken } = await openSession(jsonExpressMount);
    const response = await jsonExpressMount.call('POST', `/v1/sessions/${session.id}/events`, {
      token: customerToken,
      rawBody: 'when are you open?',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });
});
