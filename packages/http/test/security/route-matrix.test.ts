import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RouteHandler } from '../../src/routes/route-context';
import { createRouter } from '../../src/routing/router';
import {
  createSecurityWorld,
  expectRefusal,
  type MatrixRoute,
  placeholderIds,
  type RouteIds,
  routeKey,
  routeTable,
  type SecurityWorld,
  type WorkspaceFixture,
} from './security-fixtures';

/**
 * Every route against every kind of caller that must be turned away: nobody, a garbled
 * token, an operator of another workspace, an operator whose role is too low, a customer of
 * another session, a customer whose key was revoked, a page of a foreign origin, a secret key
 * that is revoked, expired, of another agent or workspace, lacking the route's permission, on
 * a route that is not for it or sent from a browser, and a publishable key sent where a
 * secret one belongs (and the reverse). Each refusal carries the error envelope and leaves
 * every Parley table as it was.
 */

let world: SecurityWorld;

beforeAll(async () => {
  world = await createSecurityWorld();
});
afterAll(async () => {
  await world?.close();
});

const keys = routeTable(placeholderIds).map(routeKey);

/** Route `key` of the table, filled with the ids of `fixture` and one of its sessions. */
function route(
  key: string,
  fixture: WorkspaceFixture,
  session: 'operatorSession' | 'widgetSession' = 'operatorSession',
): MatrixRoute {
  const ids: RouteIds = { ...fixture, ...fixture[session] };
  const found = routeTable(ids).find((candidate) => routeKey(candidate) === key);
  if (!found) throw new Error(`no route ${key}`);
  return found;
}

/** Calls a route with raw headers (so malformed authorizations reach the handler as sent). */
function send(
  target: MatrixRoute,
  options: { headers?: HeadersInit; query?: string; body?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(options.headers);
  const body = options.body ?? target.body;
  if (body !== undefined) headers.set('content-type', 'application/json');
  return world.kit.handler(
    new Request(`http://localhost/api/parley${target.path}${options.query ?? ''}`, {
      method: target.method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Runs `act` and checks that no row of any Parley table was added, changed or removed. */
async function expectNoChange(act: () => Promise<void>): Promise<void> {
  const before = await world.snapshot();
  await act();
  expect(await world.snapshot()).toEqual(before);
}

/** The ids and secrets of a workspace that must never reach anyone outside it. */
function secretsOf(fixture: WorkspaceFixture): string[] {
  return [
    fixture.agentId,
    fixture.guidelineId,
    fixture.journeyId,
    fixture.knowledgeBaseId,
    fixture.customerId,
    fixture.agentKey,
    fixture.agentKeyId,
    fixture.customerToken,
    fixture.apiKey,
    fixture.apiKeyId,
    fixture.otherAgentId,
    fixture.otherAgentApiKey,
    fixture.workflowLinkId,
    fixture.operatorSession.sessionId,
    fixture.widgetSession.sessionId,
    ...Object.values(fixture.tokens),
  ];
}

/** Every id and secret of both workspaces that the request (`named`: its path and body) does not hold. */
function secretsBesides(named: string): string[] {
  return [...secretsOf(world.a), ...secretsOf(world.b)].filter(
    (value) => !named.includes(value) && !named.includes(encodeURIComponent(value)),
  );
}

/** Checks a refusal says nothing of records or secrets the caller did not name itself. */
function expectNoLeak(text: string, request: MatrixRoute): void {
  const named = `${request.path} ${JSON.stringify(request.body ?? {})}`;
  for (const secret of secretsBesides(named)) expect(text).not.toContain(secret);
}

describe('the route table', () => {
  it('lists every route the route modules register, and nothing else', async () => {
    const directory = fileURLToPath(new URL('../../src/routes/', import.meta.url));
    const router = createRouter<RouteHandler>();
    let registrars = 0;
    for (const file of readdirSync(directory).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    )) {
      const module = (await import(`${directory}${file}`)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(module)) {
        if (/^register\w*Routes$/.test(name) && typeof value === 'function') {
          (value as (router: unknown) => void)(router);
          registrars += 1;
        }
      }
    }
    expect(registrars).toBeGreaterThanOrEqual(3);
    const registered = router.routes().map(routeKey).sort();
    expect(new Set(registered).size).toBe(registered.length);
    expect([...keys].sort()).toEqual(registered);
  });
});

describe.each(keys)('%s', (key) => {
  const isPublic = routeTable(placeholderIds).find((r) => routeKey(r) === key)?.access === 'public';

  it(isPublic ? 'is open to anyone' : 'refuses a request without a token (401)', async () => {
    const target = route(key, world.a);
    await expectNoChange(async () => {
      const response = await send(target);
      if (target.access === 'public') {
        expect(response.status).toBe(200);
        expect(response.headers.get('x-request-id')).toBeTruthy();
        await response.body?.cancel();
        return;
      }
      const { body } = await expectRefusal(response, 401, key);
      expect(body.error.code).toBe('unauthenticated');
    });
  });

  it(
    isPublic ? 'ignores the authorization header' : 'refuses malformed authorizations (401)',
    async () => {
      const target = route(key, world.a);
      const valid = world.a.tokens.admin;
      const malformed: Array<{ name: string; headers: Headers; secret?: string }> = [
        { name: 'Bearer abc', headers: new Headers({ authorization: 'Bearer abc' }) },
        {
          name: 'Bearer a.b.c',
          headers: new Headers({ authorization: 'Bearer a.b.c' }),
          secret: 'a.b.c',
        },
        { name: 'an empty bearer', headers: new Headers({ authorization: 'Bearer ' }) },
        {
          name: 'another scheme',
          headers: new Headers({ authorization: `Basic ${btoa('admin:hunter2')}` }),
        },
        {
          name: 'a valid token under another scheme',
          headers: new Headers({ authorization: `Token ${valid}` }),
          secret: valid,
        },
        {
          name: 'two tokens in one header',
          headers: new Headers({ authorization: `Bearer ${valid} ${valid}` }),
          secret: valid,
        },
        {
          name: 'two authorization headers',
          headers: (() => {
            const headers = new Headers();
            headers.append('authorization', `Bearer ${valid}`);
            headers.append('authorization', `Bearer ${world.a.tokens.read}`);
            return headers;
          })(),
          secret: valid,
        },
      ];
      await expectNoChange(async () => {
        for (const attempt of malformed) {
          const response = await send(target, { headers: attempt.headers });
          if (target.access === 'public') {
            expect(response.status, attempt.name).toBe(200);
            await response.body?.cancel();
            continue;
          }
          const { text } = await expectRefusal(response, 401, `${key} with ${attempt.name}`);
          if (attempt.secret) expect(text).not.toContain(attempt.secret);
        }
      });
    },
  );

  if (isPublic) return;

  it('hides the resources of workspace A from an operator of workspace B (404, never 403)', async () => {
    const target = route(key, world.a);
    const outsider = world.b.tokens.admin;
    // A renewal is a customer's act: any operator is unauthenticated there.
    const expected = target.access === 'customer' ? 401 : 404;
    const namesWorkspaceA =
      target.path !== target.pattern || JSON.stringify(target.body ?? {}).includes(world.a.agentId);
    await expectNoChange(async () => {
      if (namesWorkspaceA) {
        const { text } = await expectRefusal(
          await send(target, { headers: bearer(outsider) }),
          expected,
          `${key} by an operator of B`,
        );
        expectNoLeak(text, target);
      }
      const { text } = await expectRefusal(
        await send(target, {
          headers: bearer(outsider),
          query: `?workspaceId=${world.a.workspaceId}`,
        }),
        expected,
        `${key}?workspaceId=A by an operator of B`,
      );
      expectNoLeak(text, target);
    });
  });

  it('refuses operators whose role is below the route (403)', async () => {
    const target = route(key, world.a);
    const tooLow =
      target.access === 'customer'
        ? (['read', 'write', 'admin'] as const)
        : target.level === 'admin'
          ? (['read', 'write'] as const)
          : target.level === 'write'
            ? (['read'] as const)
            : ([] as const);
    await expectNoChange(async () => {
      for (const role of tooLow) {
        const { body } = await expectRefusal(
          await send(target, { headers: bearer(world.a.tokens[role]) }),
          target.access === 'customer' ? 401 : 403,
          `${key} by a ${role} operator of A`,
        );
        if (target.access !== 'customer') expect(body.error.code).toBe('forbidden');
      }
    });
  });

  it('turns away a customer token outside its own session (404)', async () => {
    const customerToken = world.a.customerToken;
    // The customer's own session of A, another session of A and a session of B.
    const elsewhere =
      target(key).access === 'operator'
        ? [route(key, world.a, 'widgetSession'), route(key, world.b, 'widgetSession')]
        : [route(key, world.a, 'operatorSession'), route(key, world.b, 'widgetSession')];
    await expectNoChange(async () => {
      for (const other of elsewhere) {
        const { body, text } = await expectRefusal(
          await send(other, { headers: bearer(customerToken) }),
          404,
          `${key} on ${other.path} with the customer token of A`,
        );
        expect(body.error.code).toBe('not_found');
        expectNoLeak(text, other);
      }
    });
  });

  it('refuses revoked, expired and unknown secret keys, and publishable keys, as bearer tokens (401)', async () => {
    const own = route(key, world.a);
    const credentials = [
      { name: 'a revoked secret key', token: world.a.revokedApiKey, reason: 'api_key_revoked' },
      { name: 'an expired secret key', token: world.a.expiredApiKey, reason: 'api_key_expired' },
      { name: 'an unknown secret key', token: `sk_${'x'.repeat(32)}`, reason: 'api_key_invalid' },
      { name: 'a publishable key', token: world.a.agentKey, reason: 'publishable_key_as_bearer' },
    ];
    await expectNoChange(async () => {
      for (const credential of credentials) {
        const { body, text } = await expectRefusal(
          await send(own, { headers: bearer(credential.token), body: own.serverBody }),
          401,
          `${key} with ${credential.name}`,
        );
        expect(body.error).toMatchObject({ code: 'unauthenticated', reason: credential.reason });
        expect(text).not.toContain(credential.token);
        expectNoLeak(text, own);
      }
    });
  });

  it('refuses a secret key a browser sent, readably, before looking it up (403)', async () => {
    const own = route(key, world.a);
    await expectNoChange(async () => {
      for (const { name, headers } of [
        { name: 'a page of another site', headers: { origin: world.a.allowedOrigin } },
        { name: 'a page of its own origin', headers: { 'sec-fetch-site': 'same-origin' } },
      ]) {
        for (const token of [world.a.apiKey, world.a.revokedApiKey]) {
          const response = await send(own, {
            headers: { ...bearer(token), ...headers },
            body: own.serverBody,
          });
          const { body, text } = await expectRefusal(response, 403, `${key} from ${name}`);
          expect(body.error).toMatchObject({ code: 'forbidden', reason: 'secret_key_in_browser' });
          expect(response.headers.get('access-control-allow-origin')).toBe(
            'origin' in headers ? headers.origin : null,
          );
          expect(text).not.toContain(token);
        }
      }
    });
  });

  const permission = target(key).serverPermission;
  if (permission) {
    it(`refuses a secret key of the agent without ${permission} (403, naming it)`, async () => {
      const own = route(key, world.a);
      await expectNoChange(async () => {
        const { body, text } = await expectRefusal(
          await send(own, {
            headers: bearer(world.a.apiKeysLacking[permission]),
            body: own.serverBody,
          }),
          403,
          `${key} without ${permission}`,
        );
        expect(body.error.code).toBe('forbidden');
        expect(body.error.message).toContain(permission);
        expectNoLeak(text, own);
      });
    });

    it('hides the sessions of the agent from a secret key of another agent or workspace (404)', async () => {
      const own = route(key, world.a);
      await expectNoChange(async () => {
        for (const [name, token] of [
          ['another agent of the workspace', world.a.otherAgentApiKey],
          ['the agent of workspace B', world.b.apiKey],
        ] as const) {
          const { body, text } = await expectRefusal(
            await send(own, { headers: bearer(token), body: own.serverBody }),
            404,
            `${key} with a secret key of ${name}`,
          );
          expect(body.error.code).toBe('not_found');
          expectNoLeak(text, own);
        }
      });
    });
  } else {
    it('does not exist for a secret key, even of the agent (404)', async () => {
      const own = route(key, world.a);
      await expectNoChange(async () => {
        for (const token of [world.a.apiKey, world.b.apiKey]) {
          const { body, text } = await expectRefusal(
            await send(own, { headers: bearer(token) }),
            404,
            `${key} with a secret key`,
          );
          expect(body.error.code).toBe('not_found');
          expectNoLeak(text, own);
        }
      });
    });
  }
});

/** The access of route `key`, from the placeholder table. */
function target(key: string): MatrixRoute {
  return routeTable(placeholderIds).find((candidate) => routeKey(candidate) === key) as MatrixRoute;
}

const customerKeys = keys.filter((key) => ['session', 'customer'].includes(target(key).access));
const serverKeys = keys.filter((key) => target(key).serverPermission !== undefined);

describe('widget session creation', () => {
  it('needs no token with a valid agent key, and echoes only the origins the key allows', async () => {
    const opened = await world.kit.call('POST', '/v1/sessions', {
      body: { agentKey: world.a.agentKey },
      headers: { origin: world.a.allowedOrigin },
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('access-control-allow-origin')).toBe(world.a.allowedOrigin);
    await opened.body?.cancel();
  });

  it('refuses a page of an origin the key does not allow (403: a readable refusal, no session)', async () => {
    await expectNoChange(async () => {
      const response = await world.kit.call('POST', '/v1/sessions', {
        body: { agentKey: world.a.agentKey },
        headers: { origin: 'https://evil.example' },
      });
      // Readable, so the widget on that page can say why; it holds the envelope only.
      expect(response.headers.get('access-control-allow-origin')).toBe('https://evil.example');
      const { body, text } = await expectRefusal(response, 403, 'session from a foreign origin');
      expect(body.error).toMatchObject({ code: 'forbidden', reason: 'origin_not_allowed' });
      expect(Object.keys(body)).toEqual(['error']);
      expect(text).not.toContain('customerToken');
    });
  });

  it('refuses a secret key as the agent key (401, readably: it says secret keys stay off pages)', async () => {
    await expectNoChange(async () => {
      const response = await world.kit.call('POST', '/v1/sessions', {
        body: { agentKey: world.a.apiKey },
        headers: { origin: world.a.allowedOrigin },
      });
      expect(response.headers.get('access-control-allow-origin')).toBe(world.a.allowedOrigin);
      const { body, text } = await expectRefusal(response, 401, 'a secret key as the agent key');
      expect(body.error).toMatchObject({
        code: 'unauthenticated',
        reason: 'secret_key_as_agent_key',
      });
      expect(body.error.message).toMatch(/never reach a browser/);
      expect(text).not.toContain(world.a.apiKey);
    });
  });

  it('refuses an unknown agent key (401) without echoing it', async () => {
    const forged = `pk_${'x'.repeat(40)}`;
    await expectNoChange(async () => {
      const { text } = await expectRefusal(
        await world.kit.call('POST', '/v1/sessions', { body: { agentKey: forged } }),
        401,
        'unknown agent key',
      );
      expect(text).not.toContain(forged);
    });
  });

  it('never lists the sessions, agents or customers of A to an operator of B', async () => {
    for (const path of ['/v1/agents', '/v1/customers', '/v1/sessions']) {
      const response = await world.kit.call('GET', path, { token: world.b.tokens.admin });
      const text = await response.text();
      expect(response.status, text).toBe(200);
      for (const secret of secretsOf(world.a)) expect(text).not.toContain(secret);
    }
  });
});

describe.each(customerKeys)('a customer on %s', (key) => {
  // The refusal is readable by that page (so a widget there can say why it cannot work,
  // instead of retrying what looks like a network failure); it carries the envelope only.
  it('is refused from a page of a foreign origin (403, a readable refusal and nothing else)', async () => {
    const own = route(key, world.a, 'widgetSession');
    await expectNoChange(async () => {
      const response = await send(own, {
        headers: { ...bearer(world.a.customerToken), origin: 'https://evil.example' },
      });
      expect(response.headers.get('access-control-allow-origin')).toBe('https://evil.example');
      const { body, text } = await expectRefusal(response, 403, `${key} from a foreign origin`);
      expect(body.error).toMatchObject({ code: 'forbidden', reason: 'origin_not_allowed' });
      expect(Object.keys(body)).toEqual(['error']);
      for (const secret of secretsOf(world.a)) expect(text).not.toContain(secret);
    });
  });
});

describe('a revoked agent key', () => {
  let revoked: { agentKey: string; sessionId: string; eventId: string; customerToken: string };

  beforeAll(async () => {
    const { a } = world;
    const issued = await world.kit.call('POST', `/v1/agents/${a.agentId}/keys`, {
      token: a.tokens.admin,
      body: { name: 'Soon revoked', allowedOrigins: [a.allowedOrigin] },
    });
    expect(issued.status).toBe(201);
    const { id, secret } = (await issued.json()) as { id: string; secret: string };
    const opened = await world.openWidgetSession(a, secret);
    const posted = await world.kit.engine
      .forWorkspace(a.workspaceId)
      .sessions.postCustomerMessage(opened.sessionId, { text: 'hello', clientMessageId: 'r-1' });
    await posted.turn;
    const revocation = await world.kit.call('DELETE', `/v1/agents/${a.agentId}/keys/${id}`, {
      token: a.tokens.admin,
    });
    expect(revocation.status).toBe(200);
    revoked = { agentKey: secret, ...opened, eventId: posted.event.id };
  });

  it('opens no session (401)', async () => {
    await expectNoChange(async () => {
      const { body } = await expectRefusal(
        await world.kit.call('POST', '/v1/sessions', {
          body: { agentKey: revoked.agentKey },
          headers: { origin: world.a.allowedOrigin },
        }),
        401,
        'session with a revoked key',
      );
      expect(body.error.code).toBe('unauthenticated');
    });
  });

  it.each(customerKeys)('voids the customer tokens it gave: %s (401)', async (key) => {
    const own = route(
      key,
      { ...world.a, widgetSession: { sessionId: revoked.sessionId, eventId: revoked.eventId } },
      'widgetSession',
    );
    await expectNoChange(async () => {
      const { body } = await expectRefusal(
        await send(own, {
          headers: { ...bearer(revoked.customerToken), origin: world.a.allowedOrigin },
        }),
        401,
        `${key} with a token of a revoked key`,
      );
      expect(body.error.code).toBe('unauthenticated');
    });
  });
});

/**
 * The refusals above are only worth something if the same requests succeed for their owners:
 * a wrong path in the table would also answer 404. Run last, as these change the data;
 * deletions come after everything else, the agent's own last.
 */
describe('the owners of workspace A are served by every route of the table', () => {
  it.each(customerKeys)('the customer of a widget session is served by %s', async (key) => {
    const own = route(key, world.a, 'widgetSession');
    if (own.method === 'POST' && own.pattern.endsWith('/events')) {
      own.body = { text: 'thanks!', clientMessageId: 'matrix-thanks' };
    }
    const response = await send(own, {
      headers: { ...bearer(world.a.customerToken), origin: world.a.allowedOrigin },
    });
    const text = own.pattern.endsWith('/stream') ? '' : await response.text();
    await response.body?.cancel().catch(() => undefined);
    expect(response.status, `${key} → ${text}`).toBeLessThan(300);
    expect(response.headers.get('access-control-allow-origin')).toBe(world.a.allowedOrigin);
  });

  it.each(serverKeys)("the agent's secret key is served by %s, with no CORS", async (key) => {
    const own = route(key, world.a, 'widgetSession');
    const response = await send(own, { headers: bearer(world.a.apiKey), body: own.serverBody });
    const text = own.pattern.endsWith('/stream') ? '' : await response.text();
    await response.body?.cancel().catch(() => undefined);
    expect(response.status, `${key} → ${text}`).toBe(own.success);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    // The message's turn runs after the 201: let it end, so no later test sees its writes.
    await vi.waitFor(() => expect(world.kit.engine.turnsInFlight).toBe(0), { timeout: 10_000 });
  });

  // Relationships go before the guidelines they join (archiving a guideline archives them),
  // the keys before the agent, the agent last.
  const lastOnes = [
    'DELETE /v1/agents/:agentId/relationships/:id',
    'DELETE /v1/agents/:agentId/guidelines/:id',
    'DELETE /v1/agents/:agentId/journeys/:id',
    'DELETE /v1/agents/:agentId/variables/:id',
    'DELETE /v1/agents/:agentId/terms/:id',
    'DELETE /v1/agents/:agentId/canned-responses/:id',
    'DELETE /v1/agents/:agentId/tools/:id',
    'DELETE /v1/customers/:customerId',
    'DELETE /v1/agents/:agentId/keys/:id',
    'DELETE /v1/agents/:agentId/api-keys/:id',
    'DELETE /v1/agents/:agentId',
  ];
  const order = (key: string) => lastOnes.indexOf(key);
  const ordered = [...keys].sort((left, right) => order(left) - order(right));

  it.each(ordered)('%s', async (key) => {
    const isCustomerOnly = target(key).access === 'customer';
    const own = route(key, world.a, isCustomerOnly ? 'widgetSession' : 'operatorSession');
    const token = isCustomerOnly ? world.a.customerToken : world.a.tokens.admin;
    const before = await world.snapshot();
    const response = await send(own, { headers: bearer(token) });
    const text = own.pattern.endsWith('/stream') ? '' : await response.text();
    await response.body?.cancel().catch(() => undefined);
    expect(response.status, `${key} → ${text}`).toBe(own.success);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    if (own.pattern.endsWith('/retry')) {
      // The turn runs after the 202: let it end, so no later test sees its writes.
      await vi.waitFor(() => expect(world.kit.engine.turnsInFlight).toBe(0), { timeout: 10_000 });
    }
    // The snapshot the refusals are compared with does see a write: this one's, if any.
    const writes =
      own.method !== 'GET' && own.success < 300 && !/\/(cancel|token)$/.test(own.pattern);
    const after = await world.snapshot();
    if (writes) expect(after).not.toEqual(before);
    else expect(after).toEqual(before);
  });
});
