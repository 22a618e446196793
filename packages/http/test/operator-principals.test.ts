import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { createTestClock } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OperatorUser } from '../src/index';
import {
  createHandlerKit,
  createShopAgent,
  type HandlerKit,
  operatorToken,
  shopAgentDefinition,
} from './handler-kit';

/**
 * Operators who are the host's users: who wrote what comes from the signed-in principal and
 * never from the body, a host that answers nonsense is a 500 and not an anonymous operator,
 * and without an `authorize` hook the host's users reach nothing.
 */

const workspaceId = 'workspace-principals';
const inWorkspace = `?workspaceId=${workspaceId}`;

let store: PgliteStore;
beforeAll(async () => {
  store = await createPgliteStore();
});
afterAll(async () => {
  await store?.close();
});

/** The host's users, by the session cookie it set for them. */
const users: Record<string, OperatorUser> = {
  'cookie-grace': { userId: 'user-grace', email: 'grace@host.example', name: 'Grace Hopper' },
  'cookie-linus': { userId: 'user-linus', email: 'linus@host.example', name: null },
};

const authenticate = (request: Request) =>
  users[/host_session=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? ''] ?? null;

const as = (cookie: string) => ({ headers: { cookie: `host_session=${cookie}` } });

describe('the author of what an operator creates', () => {
  let kit: HandlerKit;
  beforeAll(async () => {
    kit = await createHandlerKit({
      store,
      handler: { authenticate, authorize: (_principal, workspace) => workspace === workspaceId },
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  it('is the signed-in host user, whatever createdBy the body names', async () => {
    const response = await kit.call('POST', `/v1/agents${inWorkspace}`, {
      ...as('cookie-grace'),
      body: { name: 'Support', createdBy: 'user-linus' },
    });
    expect(response.status).toBe(201);
    const agent = (await response.json()) as { id: string; createdBy: string | null };
    expect(agent.createdBy).toBe('user-grace');
    const stored = await kit.engine.forWorkspace(workspaceId).agents.get(agent.id);
    expect(stored.createdBy).toBe('user-grace');
  });

  it('is the token’s user for a verified token, whatever the body names', async () => {
    const token = await operatorToken({ workspaceId, userId: 'user-from-token' });
    const response = await kit.call('POST', '/v1/agents', {
      token,
      body: { name: 'Sales', createdBy: 'someone-else' },
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { createdBy: string }).createdBy).toBe('user-from-token');
  });

  it('signs an operator’s message with their name and user id, not what the body gives', async () => {
    const report = await kit.engine.sync(workspaceId, shopAgentDefinition);
    const session = await kit.engine
      .forWorkspace(workspaceId)
      .sessions.create({ agentId: report.agent.id, mode: 'manual' });
    const post = (cookie: string, body: Record<string, unknown>) =>
      kit.call('POST', `/v1/sessions/${session.id}/events${inWorkspace}`, { ...as(cookie), body });

    const named = await post('cookie-grace', {
      kind: 'message',
      text: 'Hello, I am taking over.',
      participantName: 'The CEO',
      participantId: 'user-ceo',
    });
    expect(named.status).toBe(201);
    const { event } = (await named.json()) as {
      event: { source: string; data: { text: string; participantName?: string } };
    };
    expect(event.source).toBe('human_agent');
    expect(event.data).toEqual({
      text: 'Hello, I am taking over.',
      participantName: 'Grace Hopper',
      participantId: 'user-grace',
    });

    // A user without a name posts without one: the body cannot lend them one.
    const unnamed = await post('cookie-linus', {
      kind: 'message',
      text: 'Me too.',
      participantName: 'Grace Hopper',
    });
    expect(unnamed.status).toBe(201);
    expect(((await unnamed.json()) as { event: { data: unknown } }).event.data).toEqual({
      text: 'Me too.',
      participantId: 'user-linus',
    });

    const stored = await kit.engine
      .forWorkspace(workspaceId)
      .events.list(session.id, { kinds: ['message'] });
    expect(stored.map((message) => message.data)).toEqual([
      {
        text: 'Hello, I am taking over.',
        participantName: 'Grace Hopper',
        participantId: 'user-grace',
      },
      { text: 'Me too.', participantId: 'user-linus' },
    ]);
  });

  it('takes the display name of a token from its name claim', async () => {
    const report = await kit.engine.sync(workspaceId, shopAgentDefinition);
    const session = await kit.engine
      .forWorkspace(workspaceId)
      .sessions.create({ agentId: report.agent.id, mode: 'manual' });
    const response = await kit.call('POST', `/v1/sessions/${session.id}/events`, {
      token: await operatorToken({ workspaceId, name: '  Ada Lovelace  ' }),
      body: { kind: 'message', text: 'Hi.' },
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { event: { data: unknown } }).event.data).toEqual({
      text: 'Hi.',
      participantName: 'Ada Lovelace',
      participantId: 'user-1',
    });
  });
});

describe('what the host’s hooks answer', () => {
  it('answers 500 when authenticate gives no valid user, and never lets the request through', async () => {
    const error = vi.fn();
    const kit = await createHandlerKit({
      store,
      handler: {
        authenticate: () => ({ userId: '' }),
        authorize: () => true,
        logger: { info: () => undefined, error },
      },
    });
    try {
      const response = await kit.call('GET', `/v1/agents${inWorkspace}`);
      expect(response.status).toBe(500);
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({ code: 'internal', status: 500 }),
        'request failed',
      );
      // Half a token scope (a workspace without a role) is refused the same way.
      const halfScoped = await createHandlerKit({
        store,
        handler: { authenticate: () => ({ userId: 'user-1', workspaceId }) },
      });
      try {
        expect((await halfScoped.call('GET', '/v1/agents')).status).toBe(500);
      } finally {
        await halfScoped.close();
      }
    } finally {
      await kit.close();
    }
  });

  it('gives the host’s users nothing without an authorize hook, and tokens their workspace', async () => {
    const kit = await createHandlerKit({ store, handler: { authenticate } });
    try {
      const byUser = await kit.call('GET', `/v1/agents${inWorkspace}`, as('cookie-grace'));
      expect(byUser.status).toBe(404);
      const byToken = await kit.call('GET', '/v1/agents', {
        token: await operatorToken({ workspaceId }),
      });
      expect(byToken.status).toBe(200);
    } finally {
      await kit.close();
    }
  });

  it('scopes a host user the way a token is when authenticate gives a workspace and role', async () => {
    const kit = await createHandlerKit({
      store,
      handler: { authenticate: () => ({ userId: 'user-1', workspaceId, role: 'read' as const }) },
    });
    try {
      expect((await kit.call('GET', '/v1/agents')).status).toBe(200);
      const writing = await kit.call('POST', '/v1/agents', { body: { name: 'No' } });
      expect(writing.status).toBe(403);
      expect((await kit.call('GET', '/v1/agents?workspaceId=other')).status).toBe(404);
    } finally {
      await kit.close();
    }
  });

  it('limits each host user on their own', async () => {
    const kit = await createHandlerKit({
      store,
      handler: {
        authenticate,
        authorize: () => true,
        clock: createTestClock(),
        rateLimit: {
          perPrincipal: { capacity: 2, refillPerSecond: 1 },
          perAddress: { capacity: 1000, refillPerSecond: 100 },
        },
      },
    });
    try {
      await createShopAgent(kit, { workspaceId });
      const list = (cookie: string) => kit.call('GET', `/v1/agents${inWorkspace}`, as(cookie));
      expect((await list('cookie-grace')).status).toBe(200);
      expect((await list('cookie-grace')).status).toBe(200);
      expect((await list('cookie-grace')).status).toBe(429);
      expect((await list('cookie-linus')).status).toBe(200);
    } finally {
      await kit.close();
    }
  });
});

describe('a signed-in user’s cookie sent by another site’s page', () => {
  const ownPage = 'http://localhost';
  const otherSite = 'https://elsewhere.example';
  const listedConsole = 'https://console.example';
  const workspaceOfOrigins = 'workspace-origins';
  const tokenWorkspace = 'workspace-origins-widget';
  const hook = vi.fn(authenticate);
  let kit: HandlerKit;
  beforeAll(async () => {
    kit = await createHandlerKit({
      store,
      handler: {
        authenticate: hook,
        authorize: (_principal, workspace) =>
          [workspaceOfOrigins, tokenWorkspace].includes(workspace),
        operatorOrigins: [listedConsole],
      },
    });
  });
  afterAll(async () => {
    await kit?.close();
  });

  const createAgent = (headers: Record<string, string>) =>
    kit.call('POST', `/v1/agents?workspaceId=${workspaceOfOrigins}`, {
      headers: { cookie: 'host_session=cookie-grace', ...headers },
      body: { name: `Agent from ${headers.origin ?? 'no page'}` },
    });
  const agentNames = async () =>
    (await kit.engine.forWorkspace(workspaceOfOrigins).agents.list()).items.map(
      (agent) => agent.name,
    );

  it('does not act as the user: the hook is not asked, the route answers 401, nothing is made', async () => {
    for (const origin of [otherSite, 'null', 'not a url', 'http://localhost.elsewhere.example']) {
      hook.mockClear();
      const response = await createAgent({ origin });
      expect(response.status, origin).toBe(401);
      expect(hook, origin).not.toHaveBeenCalled();
    }
    expect(await agentNames()).toEqual([]);
  });

  it('acts as the user from the handler’s own page, a listed page, or no page at all', async () => {
    expect((await createAgent({ origin: ownPage })).status).toBe(201);
    expect((await createAgent({ origin: listedConsole })).status).toBe(201);
    expect((await createAgent({})).status).toBe(201);
    expect((await agentNames()).sort()).toEqual([
      'Agent from http://localhost',
      'Agent from https://console.example',
      'Agent from no page',
    ]);
  });

  it('takes the page’s host from x-forwarded-host only behind trusted proxies', async () => {
    const proxied = { origin: 'https://host.example', 'x-forwarded-host': 'host.example' };
    expect((await createAgent(proxied)).status).toBe(401);
    const behindProxy = await createHandlerKit({
      store,
      handler: {
        authenticate,
        authorize: (_principal, workspace) => workspace === workspaceOfOrigins,
        trustedProxies: 1,
      },
    });
    try {
      const response = await behindProxy.call(
        'POST',
        `/v1/agents?workspaceId=${workspaceOfOrigins}`,
        {
          headers: { cookie: 'host_session=cookie-grace', ...proxied },
          body: { name: 'Agent behind a proxy' },
        },
      );
      expect(response.status).toBe(201);
    } finally {
      await behindProxy.close();
    }
  });

  it('leaves bearer tokens and an embedded widget’s session opening alone', async () => {
    const { agentKey } = await createShopAgent(kit, {
      workspaceId: tokenWorkspace,
      allowedOrigins: [otherSite],
    });
    const opened = await kit.call('POST', '/v1/sessions', {
      headers: { cookie: 'host_session=cookie-grace', origin: otherSite },
      body: { agentKey },
    });
    expect(opened.status).toBe(201);
    const listed = await kit.call('GET', '/v1/agents', {
      headers: { origin: otherSite },
      token: await operatorToken({ workspaceId: tokenWorkspace }),
    });
    expect(listed.status).toBe(200);
  });
});
