import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessLevel, OperatorPrincipal } from '../../src/index';
import {
  createSecurityWorld,
  expectRefusal,
  type MatrixRoute,
  placeholderIds,
  type RouteIds,
  routeKey,
  routeTable,
  type SecurityWorld,
} from './security-fixtures';

/**
 * Every operator route with operators who are the host's users, as a Sim-like host mounts
 * Parley: `authenticate` reads the host's own session cookie, `authorize` looks the user up in
 * the host's permissions table, and each request names its workspace (`?workspaceId=`). The
 * host's answer is asked on every route, for the workspace the request names, at the route's
 * level; a user without rights there gets 404, a reader on a write route 403, a request
 * naming no workspace 400; none of them changes a row.
 */

const rank: Record<AccessLevel, number> = { read: 0, write: 1, admin: 2 };

/** The host's permissions table: user → workspace → level. */
const permissions: Record<string, Record<string, AccessLevel>> = {
  'user-admin': { 'security-a': 'admin' },
  'user-reader': { 'security-a': 'read' },
  'user-of-b': { 'security-b': 'admin' },
  // The users the fixture's JWTs name: the host lets them do anything in their workspace, so
  // the token's own role is what limits them.
  ...Object.fromEntries(
    ['security-a', 'security-b'].flatMap((workspaceId) =>
      ['reader', 'writer', 'admin'].map((role) => [
        `${workspaceId}-${role}`,
        { [workspaceId]: 'admin' as const },
      ]),
    ),
  ),
};

/** What the host's `authorize` was asked, in order. */
const asked: Array<{ principal: OperatorPrincipal; workspaceId: string; level: AccessLevel }> = [];

let world: SecurityWorld;

beforeAll(async () => {
  world = await createSecurityWorld({
    handler: {
      // Async on purpose: a host reads its session and permissions from its database.
      authenticate: async (request) => {
        const userId = /(?:^|;\s*)host_session=([^;]+)/.exec(
          request.headers.get('cookie') ?? '',
        )?.[1];
        return userId ? { userId, email: `${userId}@host.example`, name: userId } : null;
      },
      authorize: async (principal, workspaceId, level) => {
        asked.push({ principal, workspaceId, level });
        const granted = permissions[principal.userId]?.[workspaceId];
        return granted !== undefined && rank[granted] >= rank[level];
      },
    },
  });
});
afterAll(async () => {
  await world?.close();
});

const operatorKeys = routeTable(placeholderIds)
  .filter((route) => route.access === 'operator' || route.access === 'session')
  .map(routeKey);

function route(key: string): MatrixRoute {
  const ids: RouteIds = { ...world.a, ...world.a.operatorSession };
  const found = routeTable(ids).find((candidate) => routeKey(candidate) === key);
  if (!found) throw new Error(`no route ${key}`);
  return found;
}

function send(target: MatrixRoute, userId: string, query: string): Promise<Response> {
  const headers = new Headers({ cookie: `theme=dark; host_session=${userId}` });
  if (target.body !== undefined) headers.set('content-type', 'application/json');
  return world.kit.handler(
    new Request(`http://localhost/api/parley${target.path}${query}`, {
      method: target.method,
      headers,
      body: target.body === undefined ? undefined : JSON.stringify(target.body),
    }),
  );
}

async function expectNoChange(act: () => Promise<void>): Promise<void> {
  const before = await world.snapshot();
  await act();
  expect(await world.snapshot()).toEqual(before);
}

describe.each(operatorKeys)('%s by a host user', (key) => {
  it('asks authorize about the workspace the request names, at the route’s level, and hides it when refused (404)', async () => {
    const target = route(key);
    await expectNoChange(async () => {
      asked.length = 0;
      const { body } = await expectRefusal(
        await send(target, 'user-of-b', '?workspaceId=security-a'),
        404,
        key,
      );
      expect(body.error.code).toBe('not_found');
      expect(asked[0]).toEqual({
        // The user as the host described them: no workspace or role of their own.
        principal: {
          kind: 'operator',
          userId: 'user-of-b',
          email: 'user-of-b@host.example',
          name: 'user-of-b',
        },
        workspaceId: 'security-a',
        level: target.level,
      });
      expect(asked.every((question) => question.workspaceId === 'security-a')).toBe(true);
    });
  });

  it('refuses a member whose permission is below the route (403)', async () => {
    const target = route(key);
    if (target.level === 'read') return;
    await expectNoChange(async () => {
      const { body } = await expectRefusal(
        await send(target, 'user-reader', '?workspaceId=security-a'),
        403,
        key,
      );
      expect(body.error.code).toBe('forbidden');
    });
  });

  it('refuses a request that names no workspace (400 workspace_required)', async () => {
    const target = route(key);
    await expectNoChange(async () => {
      asked.length = 0;
      const { body } = await expectRefusal(await send(target, 'user-admin', ''), 400, key);
      expect(body.error).toMatchObject({
        code: 'validation_failed',
        reason: 'workspace_required',
      });
      expect(asked).toEqual([]);
    });
  });
});

describe('a host user with rights', () => {
  it('reads and lists the workspace the request names, and only that one', async () => {
    const cookie = { cookie: 'host_session=user-admin' };
    const agents = await world.kit.call('GET', '/v1/agents?workspaceId=security-a', {
      headers: cookie,
    });
    expect(agents.status).toBe(200);
    const listed = (await agents.json()) as { items: Array<{ id: string }> };
    expect(listed.items.map((agent) => agent.id)).toEqual([world.a.agentId, world.a.otherAgentId]);

    const session = await world.kit.call(
      'GET',
      `/v1/sessions/${world.a.operatorSession.sessionId}?workspaceId=security-a`,
      { headers: cookie },
    );
    expect(session.status).toBe(200);

    // The same session asked for in the user's other name for it: B, where they have no rights.
    const elsewhere = await world.kit.call(
      'GET',
      `/v1/sessions/${world.a.operatorSession.sessionId}?workspaceId=security-b`,
      { headers: cookie },
    );
    expect(elsewhere.status).toBe(404);
  });

  it('falls through to the verifier when authenticate answers null, and a token only narrows', async () => {
    // No host cookie: the workspace's JWT still works, within its workspace and its role,
    // even though the host would let its user do more.
    const token = world.a.tokens.read;
    expect((await world.kit.call('GET', '/v1/agents', { token })).status).toBe(200);
    const writing = await world.kit.call('POST', '/v1/agents', { token, body: { name: 'No' } });
    expect(writing.status).toBe(403);
    const elsewhere = await world.kit.call('GET', '/v1/agents?workspaceId=security-b', { token });
    expect(elsewhere.status).toBe(404);
  });

  it('takes the host’s word over a token: a user the host no longer allows is refused', async () => {
    const token = world.a.tokens.admin;
    const before = permissions['security-a-admin'];
    delete permissions['security-a-admin'];
    try {
      expect((await world.kit.call('GET', '/v1/agents', { token })).status).toBe(404);
    } finally {
      permissions['security-a-admin'] = before as Record<string, AccessLevel>;
    }
    expect((await world.kit.call('GET', '/v1/agents', { token })).status).toBe(200);
  });
});
