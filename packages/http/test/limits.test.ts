import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { createTestClock, type TestClock } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNodeListener } from '../src/index';
import {
  basePath,
  createHandlerKit,
  createShopAgent,
  type HandlerKit,
  operatorToken,
  variesByOrigin,
} from './handler-kit';

const workspaceId = 'workspace-limits';

// One database for the file; each describe builds a handler of its own on it.
let store: PgliteStore;
beforeAll(async () => {
  store = await createPgliteStore();
});
afterAll(async () => {
  await store?.close();
});
const shopOrigin = 'https://shop.example';
const adminOrigin = 'https://admin.example';

interface ErrorBody {
  error: {
    code: string;
    reason?: string;
    details?: Record<string, unknown>;
    requestId: string;
  };
}

async function openSession(kit: HandlerKit, agentKey: string) {
  const response = await kit.call('POST', '/v1/sessions', {
    body: { agentKey },
    headers: { origin: shopOrigin },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { session: { id: string }; customerToken: string };
}

/** A request body that arrives as a stream, with no Content-Length. */
function streamedBody(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk === undefined) controller.close();
      else controller.enqueue(encoder.encode(chunk));
    },
  });
}

function postSessions(kit: HandlerKit, init: { body: BodyInit; headers: Record<string, string> }) {
  return kit.handler(
    new Request(`http://localhost${basePath}/v1/sessions`, {
      method: 'POST',
      headers: init.headers,
      body: init.body,
      duplex: 'half',
    } as RequestInit),
  );
}

describe('request bodies', () => {
  const maxBodyBytes = 1024;
  let kit: HandlerKit;
  beforeAll(async () => {
    kit = await createHandlerKit({ store, handler: { maxBodyBytes } });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('refuses a body declared larger than the cap with 413, without waiting for it', async () => {
    // A body that never arrives: only the declared length can answer this request.
    const never = new ReadableStream<Uint8Array>({ pull: () => new Promise(() => undefined) });
    const response = await postSessions(kit, {
      body: never,
      headers: { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) },
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({
      code: 'payload_too_large',
      details: { maxBytes: maxBodyBytes },
    });
  });

  it('counts a body without Content-Length while reading it, and refuses it with 413', async () => {
    const piece = `"${'x'.repeat(298)}",`;
    const response = await postSessions(kit, {
      body: streamedBody(['{"agentKey":[', piece, piece, piece, piece, '"end"]}']),
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as ErrorBody).error.code).toBe('payload_too_large');
  });

  it('does not believe a Content-Length that understates the body', async () => {
    const response = await postSessions(kit, {
      body: streamedBody([`{"agentKey":"${'k'.repeat(2000)}"}`]),
      headers: { 'content-type': 'application/json', 'content-length': '20' },
    });
    expect(response.status).toBe(413);
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await postSessions(kit, {
      body: 'agentKey=pk_123456789',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe('unsupported_media_type');
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('answers malformed JSON with 400 and says where', async () => {
    const response = await postSessions(kit, {
      body: '{"agentKey": "pk_12345678",',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe('validation_failed');
    expect(error.details?.issues).toEqual([expect.objectContaining({ path: '(root)' })]);
  });
});

describe('rate limits', () => {
  let clock: TestClock;
  let kit: HandlerKit;
  let agentKey: string;
  beforeAll(async () => {
    clock = createTestClock();
    kit = await createHandlerKit({
      store,
      handler: {
        clock,
        rateLimit: {
          perPrincipal: { capacity: 3, refillPerSecond: 1 },
          perAddress: { capacity: 1000, refillPerSecond: 100 },
        },
      },
    });
    ({ agentKey } = await createShopAgent(kit, { workspaceId }));
  });
  afterAll(async () => {
    await kit?.close();
  });

  /** Checks a 429: the envelope, and a Retry-After in whole seconds, at least one. */
  async function expectLimited(response: Response): Promise<number> {
    expect(response.status).toBe(429);
    const retryAfter = response.headers.get('retry-after') ?? '';
    expect(retryAfter).toMatch(/^\d+$/);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    const { error } = (await response.json()) as ErrorBody;
    expect(error).toMatchObject({
      code: 'rate_limited',
      details: { retryAfterSeconds: Number(retryAfter) },
    });
    expect(error.requestId).toBe(response.headers.get('x-request-id'));
    return Number(retryAfter);
  }

  it('limits each customer on their own, and refills their bucket with time', async () => {
    const first = await openSession(kit, agentKey);
    const second = await openSession(kit, agentKey);
    const read = (opened: typeof first) =>
      kit.call('GET', `/v1/sessions/${opened.session.id}`, { token: opened.customerToken });

    for (let index = 0; index < 3; index += 1) expect((await read(first)).status).toBe(200);
    const retryAfter = await expectLimited(await read(first));
    // Another customer has a bucket of their own.
    expect((await read(second)).status).toBe(200);

    clock.advance(retryAfter * 1000);
    expect((await read(first)).status).toBe(200);
    // One second refilled one token, not the whole bucket.
    await expectLimited(await read(first));
  });

  it('limits each operator on their own', async () => {
    const alice = await operatorToken({ workspaceId, userId: 'alice' });
    const bob = await operatorToken({ workspaceId, userId: 'bob' });
    const list = (token: string) => kit.call('GET', '/v1/sessions', { token });
    for (let index = 0; index < 3; index += 1) expect((await list(alice)).status).toBe(200);
    await expectLimited(await list(alice));
    expect((await list(bob)).status).toBe(200);
  });
});

describe('rate limits per client address', () => {
  const perAddress = { capacity: 2, refillPerSecond: 1 };
  const health = (kit: HandlerKit, headers: Record<string, string>) =>
    kit.call('GET', '/v1/health', { headers });
  /** A host that knows each request's address (as a platform header it trusts tells it). */
  const clientAddress = (request: Request) => request.headers.get('x-test-address') ?? undefined;

  it('gives each address its own bucket', async () => {
    const kit = await createHandlerKit({
      store,
      handler: { clock: createTestClock(), rateLimit: { perAddress }, clientAddress },
    });
    try {
      const from = (address: string) => ({ 'x-test-address': address });
      expect((await health(kit, from('198.51.100.1'))).status).toBe(200);
      expect((await health(kit, from('198.51.100.1'))).status).toBe(200);
      const limited = await health(kit, from('198.51.100.1'));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await health(kit, from('198.51.100.2'))).status).toBe(200);
    } finally {
      await kit.close();
    }
  });

  it('trusts no address header of the client when mounted without an adapter or a clientAddress', async () => {
    const kit = await createHandlerKit({
      store,
      handler: { clock: createTestClock(), rateLimit: { perAddress } },
    });
    try {
      // Each request claims another address: they all still share one bucket.
      const claiming = (address: string) => ({
        'x-parley-client-address': address,
        'x-test-address': address,
        'x-forwarded-for': address,
      });
      expect((await health(kit, claiming('198.51.100.1'))).status).toBe(200);
      expect((await health(kit, claiming('198.51.100.2'))).status).toBe(200);
      expect((await health(kit, claiming('198.51.100.3'))).status).toBe(429);
    } finally {
      await kit.close();
    }
  });

  it('ignores X-Forwarded-For unless trustedProxies is set', async () => {
    const kit = await createHandlerKit({
      store,
      handler: { clock: createTestClock(), rateLimit: { perAddress }, clientAddress },
    });
    try {
      const from = (forwarded: string) => ({
        'x-test-address': '10.0.0.1',
        'x-forwarded-for': forwarded,
      });
      expect((await health(kit, from('203.0.113.1'))).status).toBe(200);
      expect((await health(kit, from('203.0.113.2'))).status).toBe(200);
      expect((await health(kit, from('203.0.113.3'))).status).toBe(429);
    } finally {
      await kit.close();
    }
  });

  it('with trustedProxies: 1, takes the address the proxy appended, not one the client wrote', async () => {
    const kit = await createHandlerKit({
      store,
      handler: {
        clock: createTestClock(),
        rateLimit: { perAddress },
        trustedProxies: 1,
        clientAddress,
      },
    });
    try {
      // One proxy at 10.0.0.1 in front of every client.
      const from = (forwarded: string) => ({
        'x-test-address': '10.0.0.1',
        'x-forwarded-for': forwarded,
      });
      expect((await health(kit, from('203.0.113.1'))).status).toBe(200);
      expect((await health(kit, from('203.0.113.1'))).status).toBe(200);
      expect((await health(kit, from('203.0.113.1'))).status).toBe(429);
      expect((await health(kit, from('203.0.113.2'))).status).toBe(200);
      // A client prepending made-up addresses is still the address the proxy saw.
      expect((await health(kit, from('192.0.2.7, 203.0.113.2'))).status).toBe(200);
      expect((await health(kit, from('192.0.2.8, 203.0.113.2'))).status).toBe(429);
    } finally {
      await kit.close();
    }
  });

  it('with trustedProxies: 2, skips the address the second proxy appended', async () => {
    const kit = await createHandlerKit({
      store,
      handler: { clock: createTestClock(), rateLimit: { perAddress }, trustedProxies: 2 },
    });
    try {
      // A CDN appends the client, then the load balancer appends the CDN edge it got it from.
      const from = (forwarded: string) => ({ 'x-forwarded-for': forwarded });
      expect((await health(kit, from('203.0.113.1, 198.51.100.9'))).status).toBe(200);
      expect((await health(kit, from('192.0.2.7, 203.0.113.1, 198.51.100.10'))).status).toBe(200);
      // The same client through another edge, and with another forged entry: the same bucket.
      expect((await health(kit, from('192.0.2.8, 203.0.113.1, 198.51.100.11'))).status).toBe(429);
      expect((await health(kit, from('203.0.113.2, 198.51.100.9'))).status).toBe(200);
    } finally {
      await kit.close();
    }
  });

  it('refuses a trustedProxies that is not a whole number of proxies', async () => {
    for (const trustedProxies of [-1, 1.5, Number.NaN]) {
      await expect(createHandlerKit({ store, handler: { trustedProxies } })).rejects.toMatchObject({
        code: 'validation_failed',
      });
    }
  });

  it('through node:http, reads the socket address and not a header the client sent', async () => {
    const kit = await createHandlerKit({
      store,
      handler: { clock: createTestClock(), rateLimit: { perAddress } },
    });
    const server = createServer(toNodeListener(kit.handler));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const get = (claimed: string) =>
        fetch(`http://127.0.0.1:${port}${basePath}/v1/health`, {
          // What a client might claim, in the header the handler once read.
          headers: { 'x-parley-client-address': claimed, 'x-forwarded-for': claimed },
        });
      expect((await get('198.51.100.1')).status).toBe(200);
      expect((await get('198.51.100.2')).status).toBe(200);
      expect((await get('198.51.100.3')).status).toBe(429);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await kit.close();
    }
  });
});

describe('rate limits behind a proxy, with no socket address (a Next.js route)', () => {
  /** 130 visitors, each opening a widget session through the one proxy in front. */
  async function openSessionsFrom130Clients(trustedProxies: number | undefined) {
    const kit = await createHandlerKit({
      store,
      // The default buckets, on a clock that does not move: no token comes back mid-test.
      handler: { clock: createTestClock(), rateLimit: {}, trustedProxies },
    });
    try {
      const { agentKey } = await createShopAgent(kit, {
        workspaceId: `${workspaceId}-proxy-${trustedProxies ?? 'none'}`,
      });
      const statuses: number[] = [];
      for (let client = 0; client < 130; client += 1) {
        const response = await kit.call('POST', '/v1/sessions', {
          body: { agentKey },
          // What the proxy forwards: the address of the client it received the request from.
          headers: { origin: shopOrigin, 'x-forwarded-for': `203.0.113.${client}` },
        });
        statuses.push(response.status);
        await response.body?.cancel();
      }
      return statuses;
    } finally {
      await kit.close();
    }
  }

  it('gives 130 clients a bucket each with trustedProxies: 1', async () => {
    const statuses = await openSessionsFrom130Clients(1);
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
  });

  it('puts them all in one bucket without it (x-forwarded-for ignored), as before', async () => {
    const statuses = await openSessionsFrom130Clients(undefined);
    // The default address bucket holds 120: the clients past it are refused.
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(10);
  });
});

describe('CORS', () => {
  let kit: HandlerKit;
  let agentKey: string;
  beforeAll(async () => {
    kit = await createHandlerKit({ store, handler: { operatorOrigins: [adminOrigin] } });
    ({ agentKey } = await createShopAgent(kit, {
      workspaceId: `${workspaceId}-cors`,
      allowedOrigins: [shopOrigin],
    }));
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('echoes an origin the agent key allows on customer routes, with Vary: Origin', async () => {
    const { session, customerToken } = await openSession(kit, agentKey);
    const response = await kit.call('GET', `/v1/sessions/${session.id}`, {
      token: customerToken,
      headers: { origin: shopOrigin },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(shopOrigin);
    expect(variesByOrigin(response)).toBe(true);
  });

  it('refuses an origin the agent key does not allow with a 403 the page can read', async () => {
    const { session, customerToken } = await openSession(kit, agentKey);
    const response = await kit.call('GET', `/v1/sessions/${session.id}`, {
      token: customerToken,
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    // The refusal, not the session: the widget on that page can say why it cannot chat.
    expect(response.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(variesByOrigin(response)).toBe(true);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({
      code: 'forbidden',
      reason: 'origin_not_allowed',
    });

    const opening = await kit.call('POST', '/v1/sessions', {
      body: { agentKey },
      headers: { origin: 'https://evil.example' },
    });
    expect(opening.status).toBe(403);
    expect(opening.headers.get('access-control-allow-origin')).toBe('https://evil.example');
    expect(((await opening.json()) as ErrorBody).error).toMatchObject({
      code: 'forbidden',
      reason: 'origin_not_allowed',
    });
  });

  it('echoes only the operator origins on operator routes', async () => {
    const token = await operatorToken({ workspaceId: `${workspaceId}-cors` });
    const fromAdmin = await kit.call('GET', '/v1/agents', {
      token,
      headers: { origin: adminOrigin },
    });
    expect(fromAdmin.status).toBe(200);
    expect(fromAdmin.headers.get('access-control-allow-origin')).toBe(adminOrigin);
    expect(variesByOrigin(fromAdmin)).toBe(true);

    // The shop may use the agent key, not the operator API.
    const fromShop = await kit.call('GET', '/v1/agents', {
      token,
      headers: { origin: shopOrigin },
    });
    expect(fromShop.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a preflight with 204, the methods, the headers a client sends and a max age', async () => {
    const response = await kit.call('OPTIONS', '/v1/sessions/session-1/stream', {
      headers: {
        origin: shopOrigin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization, last-event-id',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(shopOrigin);
    const list = (name: string) =>
      (response.headers.get(name) ?? '').split(',').map((item) => item.trim().toLowerCase());
    expect(list('access-control-allow-methods')).toEqual(
      expect.arrayContaining(['get', 'post', 'patch', 'delete']),
    );
    expect(list('access-control-allow-headers')).toEqual(
      expect.arrayContaining(['authorization', 'content-type', 'last-event-id']),
    );
    expect(Number(response.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    expect(variesByOrigin(response)).toBe(true);
  });
});
