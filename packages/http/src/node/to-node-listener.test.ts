import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request as ExpressRequest, type NextFunction } from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { toNodeListener } from './to-node-listener';

/**
 * The listener's safety net: whatever a handler does (reject, throw before returning a
 * promise, fail mid-body, write to a client that left), the server answers or closes that one
 * connection and goes on serving; nothing escapes as an uncaught exception.
 */

type Handler = (request: Request) => Promise<Response>;

const servers: Server[] = [];
const escaped: unknown[] = [];
const recordEscape = (error: unknown) => escaped.push(error);

beforeAll(() => {
  process.on('uncaughtException', recordEscape);
  process.on('unhandledRejection', recordEscape);
});
afterEach(() => {
  expect(escaped).toEqual([]);
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  process.off('uncaughtException', recordEscape);
  process.off('unhandledRejection', recordEscape);
});

async function serve(listener: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const fine: Handler = async () => new Response('fine');

describe('toNodeListener when the handler fails', () => {
  it('answers a rejected handler with the 500 envelope and the request id', async () => {
    let calls = 0;
    const origin = await serve(
      toNodeListener(async () => {
        calls += 1;
        if (calls === 1) throw new Error('database exploded: password=hunter2');
        return new Response('fine');
      }),
    );
    const response = await fetch(`${origin}/x`, { headers: { 'x-request-id': 'rejected-1' } });
    expect(response.status).toBe(500);
    expect(response.headers.get('x-request-id')).toBe('rejected-1');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'internal', message: 'Internal error', requestId: 'rejected-1' },
    });
    expect(text).not.toContain('hunter2');
    expect(await (await fetch(`${origin}/x`)).text()).toBe('fine');
  });

  it('answers a handler that throws before returning a promise', async () => {
    const throwsAtOnce = (() => {
      throw new TypeError('not even a promise');
    }) as unknown as Handler;
    const origin = await serve(toNodeListener(throwsAtOnce));
    const response = await fetch(`${origin}/x`);
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({
      error: { code: 'internal', requestId: response.headers.get('x-request-id') },
    });
  });

  it('closes the connection when the body fails after the head was sent', async () => {
    const origin = await serve(
      toNodeListener(async (request) => {
        if (new URL(request.url).pathname === '/fine') return fine(request);
        let sent = false;
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) return controller.error(new Error('the body broke'));
            sent = true;
            controller.enqueue(new TextEncoder().encode('partial'));
          },
        });
        return new Response(body, { headers: { 'content-type': 'text/plain' } });
      }),
    );
    const response = await fetch(`${origin}/broken`);
    expect(response.status).toBe(200);
    // The client sees a cut body, not a complete-looking one.
    await expect(response.text()).rejects.toThrow();
    expect(await (await fetch(`${origin}/fine`)).text()).toBe('fine');
  });

  it('stops the body of a client that left while the socket was full', async () => {
    const cancelled = vi.fn();
    const chunk = new Uint8Array(256 * 1024);
    const origin = await serve(
      toNodeListener(async () => {
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(chunk);
          },
          cancel: cancelled,
        });
        return new Response(body);
      }),
    );
    const client = new AbortController();
    const response = await fetch(`${origin}/endless`, { signal: client.signal });
    expect(response.status).toBe(200);
    // Never read: the server's buffers fill and it waits for a drain that will not come.
    client.abort();
    await vi.waitFor(() => expect(cancelled).toHaveBeenCalled(), { timeout: 10_000 });
    expect((await fetch(`${origin}/x`)).status).toBe(200);
  });
});

describe('toNodeListener in Express when the handler fails', () => {
  it('passes a rejection to Express’s error handlers', async () => {
    const seen: unknown[] = [];
    const app = express();
    app.use(
      '/api',
      toNodeListener(async () => {
        throw new Error('handler failed');
      }),
    );
    app.use(
      (
        error: unknown,
        _request: ExpressRequest,
        response: express.Response,
        _next: NextFunction,
      ) => {
        seen.push(error);
        response.status(502).json({ handledBy: 'express' });
      },
    );
    const origin = await serve(app);
    const response = await fetch(`${origin}/api/x`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ handledBy: 'express' });
    expect(seen).toEqual([expect.objectContaining({ message: 'handler failed' })]);
  });

  it('answers a request no Request can carry itself, in the envelope, not through next', async () => {
    const seen: unknown[] = [];
    const app = express();
    app.use('/api', toNodeListener(fine));
    app.use(
      (
        error: unknown,
        _request: ExpressRequest,
        response: express.Response,
        _next: NextFunction,
      ) => {
        seen.push(error);
        response.status(502).end();
      },
    );
    const origin = await serve(app);
    const { port } = new URL(origin);
    // fetch refuses to send a bad Host; node:http's client sends what it is given.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: '127.0.0.1', port, path: '/api/x', headers: { host: 'a b' } },
        (incoming) => {
          let body = '';
          incoming.setEncoding('utf8');
          incoming.on('data', (part: string) => {
            body += part;
          });
          incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end();
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'validation_failed', reason: 'invalid_host' },
    });
    expect(seen).toEqual([]);
  });
});
