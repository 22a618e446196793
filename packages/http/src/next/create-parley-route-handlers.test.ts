import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, type Engine, ParleyError } from '@parley/core';
import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ParleyHandlerOptions } from '../create-parley-handler';
import { toNodeListener } from '../node/to-node-listener';
import {
  createParleyRouteHandlers,
  type ParleyRouteHandlers,
} from './create-parley-route-handlers';

const basePath = '/api/parley';
const customerTokenSecret = 'customer-secret-for-tests-0123456789abcdef';

let store: PgliteStore;
let engine: Engine;
beforeAll(async () => {
  store = await createPgliteStore();
  engine = createEngine({ store });
});
afterAll(async () => {
  await store?.close();
});

/** A slot of its own per test: the slots outlive modules, which is their point. */
let slots = 0;
function freshName(): string {
  slots += 1;
  return `route-handlers-test-${slots}`;
}

const options = (): ParleyHandlerOptions => ({
  engine,
  basePath,
  customerTokenSecret,
  rateLimit: false,
});

/** What Next.js passes a catch-all route's method: the request and `{ params }`. */
const nextContext = { params: Promise.resolve({ path: ['v1', 'health'] }) };
const healthRequest = () => new Request(`http://localhost${basePath}/v1/health`);

/** Shuts a test's handler down without closing the engine every test shares. */
async function release(routes: ParleyRouteHandlers): Promise<void> {
  const handler = await routes.handler();
  const close = vi.spyOn(engine, 'close').mockResolvedValue(undefined);
  try {
    await handler.close({ deadlineMs: 100 });
  } finally {
    close.mockRestore();
  }
}

describe('createParleyRouteHandlers', () => {
  it('creates the handler on the first request, not when the route module loads', async () => {
    const factory = vi.fn(async () => options());
    const routes = createParleyRouteHandlers(factory, { name: freshName() });
    expect(Object.keys(routes)).toEqual(
      expect.arrayContaining(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
    );
    expect(factory).not.toHaveBeenCalled();

    const response = await routes.GET(healthRequest(), nextContext);
    expect(response.status).toBe(200);
    expect(factory).toHaveBeenCalledTimes(1);
    const preflight = await routes.OPTIONS(
      new Request(`http://localhost${basePath}/v1/sessions`, {
        method: 'OPTIONS',
        headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
      }),
      nextContext,
    );
    expect(preflight.status).toBe(204);
    expect(factory).toHaveBeenCalledTimes(1);
    await release(routes);
  });

  it('starts one handler for requests that arrive together', async () => {
    const factory = vi.fn(async () => options());
    const routes = createParleyRouteHandlers(factory, { name: freshName() });
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => routes.GET(healthRequest(), nextContext)),
    );
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(factory).toHaveBeenCalledTimes(1);
    await release(routes);
  });

  it('keeps one handler across two evaluations of the route module (a dev reload)', async () => {
    const name = freshName();
    const first = vi.fn(options);
    const second = vi.fn(options);
    // Each evaluation of the module runs its top level again: a new factory, a new export.
    const beforeReload = createParleyRouteHandlers(first, { name });
    expect((await beforeReload.GET(healthRequest(), nextContext)).status).toBe(200);
    const afterReload = createParleyRouteHandlers(second, { name });
    expect((await afterReload.GET(healthRequest(), nextContext)).status).toBe(200);

    expect(first).toHaveBeenCalledTimes(1);
    expect(second).not.toHaveBeenCalled();
    expect(await afterReload.handler()).toBe(await beforeReload.handler());

    // Another name is another handler.
    const other = createParleyRouteHandlers(second, { name: freshName() });
    expect(await other.handler()).not.toBe(await beforeReload.handler());
    await release(beforeReload);
    await release(other);
  });

  it('answers 503 while the start fails, and starts again on the next request', async () => {
    const failure = new Error('database away');
    const factory = vi
      .fn<() => Promise<ParleyHandlerOptions>>()
      .mockRejectedValueOnce(failure)
      .mockImplementation(async () => options());
    const onStartFailure = vi.fn();
    const routes = createParleyRouteHandlers(factory, { name: freshName(), onStartFailure });

    const refused = await routes.GET(
      new Request(`http://localhost${basePath}/v1/health`, {
        headers: { 'x-request-id': 'start-1' },
      }),
      nextContext,
    );
    expect(refused.status).toBe(503);
    expect(refused.headers.get('x-request-id')).toBe('start-1');
    expect(((await refused.json()) as { error: unknown }).error).toEqual({
      code: 'not_ready',
      reason: 'handler_start_failed',
      message: expect.any(String),
      requestId: 'start-1',
    });
    expect(onStartFailure).toHaveBeenCalledWith(failure);

    expect((await routes.GET(healthRequest(), nextContext)).status).toBe(200);
    expect(factory).toHaveBeenCalledTimes(2);
    expect(onStartFailure).toHaveBeenCalledTimes(1);
    await release(routes);
  });

  it('retries a start whose options the handler refuses, too', async () => {
    let attempts = 0;
    const routes = createParleyRouteHandlers(
      () => {
        attempts += 1;
        return attempts === 1 ? { ...options(), customerTokenSecret: 'short' } : options();
      },
      { name: freshName(), onStartFailure: () => undefined },
    );
    expect((await routes.GET(healthRequest(), nextContext)).status).toBe(503);
    expect((await routes.GET(healthRequest(), nextContext)).status).toBe(200);
    await release(routes);
  });

  it('takes an unset environment variable as the secret and says which option is missing', async () => {
    const onStartFailure = vi.fn();
    const routes = createParleyRouteHandlers(
      () => ({ ...options(), customerTokenSecret: process.env.PARLEY_TEST_SECRET_NEVER_SET }),
      { name: freshName(), onStartFailure },
    );
    expect((await routes.GET(healthRequest(), nextContext)).status).toBe(503);
    expect(onStartFailure).toHaveBeenCalledTimes(1);
    const [failure] = onStartFailure.mock.calls[0] as [ParleyError];
    expect(failure).toBeInstanceOf(ParleyError);
    expect(failure.code).toBe('validation_failed');
    expect(failure.message).toMatch(/^customerTokenSecret is not set: give at least 32 bytes/);
    // No handler ever started: nothing to release.
  });

  it('serves a catch-all route over a real node:http server, as Next.js calls it', async () => {
    const routes = createParleyRouteHandlers(options, { name: freshName() });
    // What Next does for `app/api/parley/[...path]/route.ts`: the method's export, with params.
    const server = createServer(
      toNodeListener((request) => {
        const exported = routes[request.method as 'GET' | 'POST'];
        const path = new URL(request.url).pathname.slice(basePath.length + 1).split('/');
        return exported(request, { params: Promise.resolve({ path }) });
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const health = await fetch(`http://127.0.0.1:${port}${basePath}/v1/health`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('healthy');
      const opening = await fetch(`http://127.0.0.1:${port}${basePath}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agentKey: 'pk_not_a_real_key' }),
      });
      expect(opening.status).toBe(401);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await release(routes);
    }
  });
});
