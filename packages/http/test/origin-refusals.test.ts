import { hashAgentKey } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHandlerKit,
  createShopAgent,
  type HandlerKit,
  operatorToken,
  readFrames,
  variesByOrigin,
} from './handler-kit';

/**
 * A page the agent key does not allow, or a key that no longer works: the refusal is readable
 * by the page (its origin echoed, `Vary: Origin`), so the widget there can say what is wrong
 * instead of taking the refusal for a network failure and retrying forever. What the refusal
 * guards is not: no success answer ever reaches a page the key does not allow.
 */

const workspaceId = 'workspace-origin-refusals';
const shopOrigin = 'https://shop.example';
const otherOrigin = 'https://elsewhere.example';
let kit: HandlerKit;
let agentId: string;
let agentKey: string;

interface ErrorBody {
  error: { code: string; reason?: string; message: string; retryable?: boolean };
}

beforeAll(async () => {
  kit = await createHandlerKit();
  ({ agentId, agentKey } = await createShopAgent(kit, {
    workspaceId,
    allowedOrigins: [shopOrigin],
  }));
});
afterAll(async () => {
  await kit?.close();
});

async function sessionCount(): Promise<number> {
  const page = await kit.store.forWorkspace(workspaceId).sessions.list({ limit: 200 });
  return page.items.length;
}

/** A session opened from the shop, with a message in it (so there is something to guard). */
async function openShopSession(key = agentKey) {
  const opened = await kit.call('POST', '/v1/sessions', {
    body: { agentKey: key },
    headers: { origin: shopOrigin },
  });
  expect(opened.status).toBe(201);
  const { session, customerToken } = (await opened.json()) as {
    session: { id: string };
    customerToken: string;
  };
  const posted = await kit.call('POST', `/v1/sessions/${session.id}/events`, {
    token: customerToken,
    body: { text: 'when are you open?', clientMessageId: 'm-1' },
    headers: { origin: shopOrigin },
  });
  expect(posted.status).toBe(201);
  return { sessionId: session.id, customerToken };
}

/** Revokes a key through the operator routes. */
async function revoke(secret: string) {
  const key = await kit.store.findAgentKeyByHash(await hashAgentKey(secret));
  if (!key) throw new Error('key not found');
  const response = await kit.call('DELETE', `/v1/agents/${agentId}/keys/${key.id}`, {
    token: await operatorToken({ workspaceId }),
  });
  expect(response.status).toBe(200);
}

/** A second key of the shop agent, for the tests that revoke one. */
async function issueKey(): Promise<string> {
  const response = await kit.call('POST', `/v1/agents/${agentId}/keys`, {
    token: await operatorToken({ workspaceId }),
    body: { name: 'Revoked later', allowedOrigins: [shopOrigin] },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

/** Every route a customer token reaches, as the widget calls it. */
function customerRequests(sessionId: string) {
  return [
    { method: 'GET', path: `/v1/sessions/${sessionId}` },
    { method: 'GET', path: `/v1/sessions/${sessionId}/agent` },
    { method: 'GET', path: `/v1/sessions/${sessionId}/events?after=-1&limit=100` },
    { method: 'GET', path: `/v1/sessions/${sessionId}/stream` },
    { method: 'POST', path: `/v1/sessions/${sessionId}/events`, body: { text: 'hi again' } },
    { method: 'POST', path: `/v1/sessions/${sessionId}/token` },
    { method: 'POST', path: `/v1/sessions/${sessionId}/cancel` },
    { method: 'POST', path: `/v1/sessions/${sessionId}/retry` },
  ];
}

describe('opening a session', () => {
  it('refuses a page the key does not allow with a 403 that page can read, and opens nothing', async () => {
    const before = await sessionCount();
    const response = await kit.call('POST', '/v1/sessions', {
      body: { agentKey },
      headers: { origin: otherOrigin },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBe(otherOrigin);
    expect(variesByOrigin(response)).toBe(true);
    const body = (await response.json()) as ErrorBody & Record<string, unknown>;
    expect(body.error).toMatchObject({ code: 'forbidden', reason: 'origin_not_allowed' });
    expect(body).not.toHaveProperty('customerToken');
    expect(body).not.toHaveProperty('session');
    expect(await sessionCount()).toBe(before);
  });

  it('refuses an unknown key with a 401 any page can read', async () => {
    const response = await kit.call('POST', '/v1/sessions', {
      body: { agentKey: 'pk_not_a_key_of_this_server_000000' },
      headers: { origin: otherOrigin },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(otherOrigin);
    expect(variesByOrigin(response)).toBe(true);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({
      code: 'unauthenticated',
      reason: 'agent_key_invalid',
    });
  });

  it('refuses a revoked key with a 401 the page can read', async () => {
    const secret = await issueKey();
    await revoke(secret);
    const response = await kit.call('POST', '/v1/sessions', {
      body: { agentKey: secret },
      headers: { origin: shopOrigin },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('access-control-allow-origin')).toBe(shopOrigin);
    expect(variesByOrigin(response)).toBe(true);
    expect(((await response.json()) as ErrorBody).error).toMatchObject({
      code: 'unauthenticated',
      reason: 'agent_key_invalid',
    });
  });
});

describe('the routes of a session', () => {
  it('refuse, readably, every request from a page the key does not allow: no success, no session data', async () => {
    const { sessionId, customerToken } = await openShopSession();
    for (const request of customerRequests(sessionId)) {
      const response = await kit.call(request.method, request.path, {
        token: customerToken,
        headers: { origin: otherOrigin },
        ...(request.body ? { body: request.body } : {}),
      });
      const what = `${request.method} ${request.path}`;
      expect(response.status, what).toBe(403);
      expect(response.headers.get('access-control-allow-origin'), what).toBe(otherOrigin);
      expect(variesByOrigin(response), what).toBe(true);
      const text = await response.text();
      expect((JSON.parse(text) as ErrorBody).error, what).toMatchObject({
        code: 'forbidden',
        reason: 'origin_not_allowed',
      });
      expect(text, what).not.toContain('when are you open');
    }
    // Nothing was written for that page either.
    const events = await kit.engine.forWorkspace(workspaceId).events.list(sessionId);
    expect(
      events.filter((event) => event.kind === 'message' && event.source === 'customer'),
    ).toHaveLength(1);
  });

  it('still serve the page the key allows, readably', async () => {
    const { sessionId, customerToken } = await openShopSession();
    const response = await kit.call('GET', `/v1/sessions/${sessionId}/events?after=-1`, {
      token: customerToken,
      headers: { origin: shopOrigin },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(shopOrigin);
    expect(variesByOrigin(response)).toBe(true);
    const stream = await kit.call('GET', `/v1/sessions/${sessionId}/stream`, {
      token: customerToken,
      headers: { origin: shopOrigin },
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('access-control-allow-origin')).toBe(shopOrigin);
    const frames = await readFrames(stream, (read) =>
      read.some((frame) => frame.event === 'event'),
    );
    expect(frames.some((frame) => frame.event === 'event')).toBe(true);
  });

  it('refuse, readably, a session whose key was revoked since', async () => {
    const secret = await issueKey();
    const { sessionId, customerToken } = await openShopSession(secret);
    await revoke(secret);
    for (const request of customerRequests(sessionId)) {
      const response = await kit.call(request.method, request.path, {
        token: customerToken,
        headers: { origin: shopOrigin },
        ...(request.body ? { body: request.body } : {}),
      });
      const what = `${request.method} ${request.path}`;
      expect(response.status, what).toBe(401);
      expect(response.headers.get('access-control-allow-origin'), what).toBe(shopOrigin);
      expect(variesByOrigin(response), what).toBe(true);
      const text = await response.text();
      expect((JSON.parse(text) as ErrorBody).error, what).toMatchObject({
        code: 'unauthenticated',
        reason: 'agent_key_revoked',
      });
      expect(text, what).not.toContain('when are you open');
    }
  });
});
