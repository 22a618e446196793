import { createEngine, defineAgent, type Engine, type EngineOptions } from '@parley/core';
import { createJwtVerifier } from '@parley/core/auth';
import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { SignJWT } from 'jose';
import { expect } from 'vitest';
import { createParleyHandler, type ParleyHandler, type ParleyHandlerOptions } from '../src/index';

export const operatorSecret = 'operator-secret-for-tests-0123456789abcdef';
export const customerSecret = 'customer-secret-for-tests-0123456789abcdef';
export const basePath = '/api/parley';

/** Signs an operator token the kit's verifier accepts. */
export async function operatorToken(claims: {
  userId?: string;
  workspaceId: string;
  role?: 'read' | 'write' | 'admin';
  /** The operator's display name, shown with their messages. */
  name?: string;
}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    workspaceId: claims.workspaceId,
    role: claims.role ?? 'admin',
    ...(claims.name === undefined ? {} : { name: claims.name }),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.userId ?? 'user-1')
    .setIssuer('test-host')
    .setAudience('parley')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(new TextEncoder().encode(operatorSecret));
}

/** Calls a handler like a client would: path under the base path, JSON body, bearer token. */
export type CallHandler = (
  method: string,
  path: string,
  options?: {
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
    signal?: AbortSignal;
  },
) => Promise<Response>;

/**
 * Calls a route through `kit` and answers its JSON (null for an empty body), failing the test
 * on any status but `options.status`, with the body in the message.
 */
export async function callExpecting<T = unknown>(
  kit: HandlerKit,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string>; status: number },
): Promise<T> {
  const response = await kit.call(method, path, options);
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).toBe(options.status);
  return (text.length > 0 ? JSON.parse(text) : null) as T;
}

/** An engine on its own PGlite store and a handler in front of it. */
export interface HandlerKit {
  store: PgliteStore;
  engine: Engine;
  handler: ParleyHandler;
  call: CallHandler;
  close(): Promise<void>;
}

/** Builds a kit; `engine` and `handler` options override the defaults. */
export async function createHandlerKit(
  overrides: {
    engine?: Partial<EngineOptions>;
    handler?: Partial<ParleyHandlerOptions>;
    store?: PgliteStore;
  } = {},
): Promise<HandlerKit> {
  const store = overrides.store ?? (await createPgliteStore());
  const engine = createEngine({ store, ...overrides.engine });
  const handler = await createParleyHandler({
    engine,
    basePath,
    verifier: createJwtVerifier({
      algorithms: ['HS256'],
      secret: operatorSecret,
      issuer: 'test-host',
      audience: 'parley',
    }),
    customerTokenSecret: customerSecret,
    rateLimit: false,
    ...overrides.handler,
  });
  return {
    store,
    engine,
    handler,
    call(method, path, options = {}) {
      const headers = new Headers(options.headers);
      if (options.token) headers.set('authorization', `Bearer ${options.token}`);
      if (options.body !== undefined) headers.set('content-type', 'application/json');
      return handler(
        new Request(`http://localhost${basePath}${path}`, {
          method,
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: options.signal,
        }),
      );
    },
    async close() {
      await handler.close({ deadlineMs: 1000 });
      if (!overrides.store) await store.close();
    },
  };
}

/** One parsed SSE frame. */
export interface SseFrame {
  event: string;
  id?: string;
  data: unknown;
}

/**
 * Reads SSE frames from a streamed response until `until` says stop, the stream ends, or
 * `forMs` have passed (then it stops reading: for a stream that is expected to stay silent).
 */
export async function readFrames(
  response: Response,
  until: (frames: SseFrame[]) => boolean,
  options: { forMs?: number } = {},
): Promise<SseFrame[]> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const stop =
    options.forMs === undefined
      ? undefined
      : setTimeout(() => void reader.cancel().catch(() => undefined), options.forMs);
  const decoder = new TextDecoder();
  const frames: SseFrame[] = [];
  let buffer = '';
  while (!until(frames)) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf('\n\n');
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf('\n\n');
      const lines = block.split('\n').filter((line) => !line.startsWith(':'));
      if (lines.length === 0) continue;
      const field = (name: string) =>
        lines.find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
      const data = field('data');
      frames.push({
        event: field('event') ?? 'message',
        id: field('id'),
        data: data === undefined ? undefined : JSON.parse(data),
      });
    }
  }
  clearTimeout(stop);
  await reader.cancel().catch(() => undefined);
  return frames;
}

/** What the agent of {@link createShopAgent} answers to an opening-hours question. */
export const openingHoursReply = 'We are open from 9 to 17.';

/**
 * A shop agent that answers opening-hours questions with {@link openingHoursReply}, in
 * canned-strict mode: no model needed, retrieval picks the reply, so turns are deterministic.
 */
export const shopAgentDefinition = defineAgent({
  name: 'Shop',
  compositionMode: 'canned_strict',
  guidelines: [
    {
      key: 'hours',
      condition: 'the customer asks about opening hours',
      action: 'give the opening hours',
      examples: ['when are you open'],
    },
  ],
  cannedResponses: [{ template: openingHoursReply }],
});

/** An agent for widget tests, with a publishable key; created through the handler's routes. */
export interface ShopAgent {
  agentId: string;
  /** The publishable key (`pk_…`) the widget exchanges for a customer token. */
  agentKey: string;
  /** The key's identity secret, shown once with it: a secret no log may hold. */
  identitySecret: string;
}

/**
 * Syncs an agent that answers opening-hours questions into `workspaceId`, and issues it a key
 * for `allowedOrigins` (default `https://shop.example`). By default it is canned-strict and
 * replies {@link openingHoursReply} (no model needed: retrieval picks the reply); `fluid` lets
 * the engine's model write every reply.
 */
export async function createShopAgent(
  kit: HandlerKit,
  options: {
    workspaceId: string;
    allowedOrigins?: string[];
    compositionMode?: 'canned_strict' | 'fluid';
  },
): Promise<ShopAgent> {
  const report = await kit.engine.sync(options.workspaceId, {
    ...shopAgentDefinition,
    compositionMode: options.compositionMode ?? 'canned_strict',
  });
  const response = await kit.call('POST', `/v1/agents/${report.agent.id}/keys`, {
    token: await operatorToken({ workspaceId: options.workspaceId }),
    body: { name: 'Website', allowedOrigins: options.allowedOrigins ?? ['https://shop.example'] },
  });
  if (response.status !== 201) throw new Error(`key not issued: ${await response.text()}`);
  const key = (await response.json()) as { secret: string; identitySecret: string };
  return { agentId: report.agent.id, agentKey: key.secret, identitySecret: key.identitySecret };
}

/**
 * Issues a publishable key for `agentId` (an operator of `workspaceId` asks) and opens a
 * customer session with it, as a site's widget would: the session's id and customer token.
 */
export async function openCustomerSession(
  kit: HandlerKit,
  options: { workspaceId: string; agentId: string },
): Promise<{ sessionId: string; customerToken: string }> {
  const keyResponse = await kit.call('POST', `/v1/agents/${options.agentId}/keys`, {
    token: await operatorToken({ workspaceId: options.workspaceId }),
    body: { name: 'Website' },
  });
  if (keyResponse.status !== 201) throw new Error(`key not issued: ${await keyResponse.text()}`);
  const { secret } = (await keyResponse.json()) as { secret: string };
  const opened = await kit.call('POST', '/v1/sessions', { body: { agentKey: secret } });
  if (opened.status !== 201) throw new Error(`session not opened: ${await opened.text()}`);
  const body = (await opened.json()) as { session: { id: string }; customerToken: string };
  return { sessionId: body.session.id, customerToken: body.customerToken };
}

/** Whether a response says it varies by `Origin` (its CORS answer depends on the page). */
export function variesByOrigin(response: Response): boolean {
  return (response.headers.get('vary') ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .includes('origin');
}
