import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  callExpecting,
  createHandlerKit,
  createShopAgent,
  type HandlerKit,
  openingHoursReply,
  operatorToken,
  readFrames,
} from './handler-kit';

/**
 * Secret keys (`sk_…`): an admin issues one for an agent, and the host's backend opens
 * sessions for its own customers with it, posts their messages and reads what they could see,
 * server to server.
 */

const workspaceId = 'server-keys';
const otherWorkspaceId = 'server-keys-other';
const logged: string[] = [];
let kit: HandlerKit;
let agentId: string;
let admin: string;
const issuedSecrets: string[] = [];

interface IssuedKey {
  apiKey: {
    id: string;
    agentId: string;
    name: string;
    keyPrefix: string;
    permissions: string[];
    expiresAt: string | null;
    revokedAt: string | null;
    lastUsedAt: string | null;
    createdBy: string | null;
  };
  secret: string;
}
interface OpenedSession {
  session: { id: string; agentId: string; customerId: string; title: string | null };
  customer: { id: string; externalId: string; name: string | null; email: string | null };
  resumed: boolean;
}
interface WireEvent {
  id: string;
  kind: string;
  source: string;
  data: Record<string, unknown>;
}
type ErrorBody = {
  error: {
    code: string;
    message: string;
    reason?: string;
    details?: { issues?: Array<{ path: string }> };
  };
};

/** Calls a route and answers its JSON, failing on any other status (see `callExpecting`). */
const call = <T = unknown>(
  method: string,
  path: string,
  options: Parameters<typeof callExpecting>[3],
): Promise<T> => callExpecting<T>(kit, method, path, options);

async function issueKey(body: Record<string, unknown> = { name: 'Backend' }, agent = agentId) {
  const issued = await call<IssuedKey>('POST', `/v1/agents/${agent}/api-keys`, {
    token: admin,
    body,
    status: 201,
  });
  issuedSecrets.push(issued.secret);
  return issued;
}

const openSession = (secret: string, body: Record<string, unknown>, status: number) =>
  call<OpenedSession>('POST', '/v1/sessions', { token: secret, body, status });

beforeAll(async () => {
  kit = await createHandlerKit({
    handler: {
      logger: {
        info: (fields, message) => logged.push(JSON.stringify({ fields, message })),
        error: (fields, message) => logged.push(JSON.stringify({ fields, message })),
      },
    },
  });
  admin = await operatorToken({ workspaceId, userId: 'admin-1' });
  ({ agentId } = await createShopAgent(kit, { workspaceId }));
});
afterAll(async () => {
  // No log line, whatever the request, ever held a secret key.
  for (const secret of issuedSecrets) for (const line of logged) expect(line).not.toContain(secret);
  await kit.close();
});

describe('a backend with a secret key', () => {
  it('opens a session for its customer, posts their message, reads the events and the stream, and resumes', async () => {
    const issued = await issueKey({ name: 'Backend' });
    expect(issued.secret).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
    expect(issued.apiKey).toMatchObject({
      agentId,
      name: 'Backend',
      permissions: ['sessions:write', 'messages:write', 'events:read'],
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      createdBy: 'admin-1',
    });
    expect(issued.secret.startsWith(issued.apiKey.keyPrefix)).toBe(true);
    expect(JSON.stringify(issued.apiKey)).not.toContain(issued.secret);
    expect(issued.apiKey).not.toHaveProperty('keyHash');

    const opened = await openSession(
      issued.secret,
      {
        customer: { externalId: 'u-1', name: 'Ada', email: 'ada@example.com' },
        title: 'Order help',
        metadata: { plan: 'pro' },
        labels: ['backend'],
      },
      201,
    );
    expect(opened.resumed).toBe(false);
    expect(opened.customer).toMatchObject({
      externalId: 'u-1',
      name: 'Ada',
      email: 'ada@example.com',
    });
    expect(opened.session).toMatchObject({
      agentId,
      customerId: opened.customer.id,
      title: 'Order help',
      metadata: { plan: 'pro' },
      labels: ['backend'],
    });
    const sessionPath = `/v1/sessions/${opened.session.id}`;

    const posted = await call<{ event: WireEvent; duplicate: boolean }>(
      'POST',
      `${sessionPath}/events`,
      {
        token: issued.secret,
        body: { text: 'when are you open?', clientMessageId: 'backend-1' },
        status: 201,
      },
    );
    expect(posted).toMatchObject({
      duplicate: false,
      event: { kind: 'message', source: 'customer', data: { text: 'when are you open?' } },
    });
    // The same message again is the first one, and starts no second turn.
    const again = await call<{ duplicate: boolean; event: WireEvent }>(
      'POST',
      `${sessionPath}/events`,
      {
        token: issued.secret,
        body: { text: 'when are you open?', clientMessageId: 'backend-1' },
        status: 200,
      },
    );
    expect(again).toMatchObject({ duplicate: true, event: { id: posted.event.id } });

    const { events } = await call<{ events: WireEvent[] }>(
      'GET',
      `${sessionPath}/events?after=-1&wait=10&kinds=message`,
      { token: issued.secret, status: 200 },
    );
    expect(events[0]?.data.text).toBe('when are you open?');
    await vi.waitFor(async () => {
      const read = await call<{ events: WireEvent[] }>('GET', `${sessionPath}/events`, {
        token: issued.secret,
        status: 200,
      });
      expect(read.events.map((event) => event.data.text)).toContain(openingHoursReply);
      // The customer's view: a turn's status without its explanation.
      const statuses = read.events.filter((event) => event.kind === 'status');
      expect(statuses.length).toBeGreaterThan(0);
      for (const status of statuses) expect(status.data).not.toHaveProperty('explanation');
    });

    const stream = await kit.call('GET', `${sessionPath}/stream`, { token: issued.secret });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('access-control-allow-origin')).toBeNull();
    const frames = await readFrames(stream, (read) =>
      read.some((frame) => (frame.data as WireEvent | undefined)?.data?.text === openingHoursReply),
    );
    const streamed = frames.map((frame) => frame.data as WireEvent);
    expect(streamed[0]).toMatchObject({ kind: 'message', source: 'customer' });
    for (const event of streamed.filter((candidate) => candidate.kind === 'status'))
      expect(event.data).not.toHaveProperty('explanation');

    const session = await call<{ id: string }>('GET', sessionPath, {
      token: issued.secret,
      status: 200,
    });
    expect(session.id).toBe(opened.session.id);

    // Resuming finds the customer's latest active session with the agent; not resuming opens
    // another for the same customer.
    const resumed = await openSession(
      issued.secret,
      { customer: { externalId: 'u-1' }, resume: true },
      200,
    );
    expect(resumed).toMatchObject({
      resumed: true,
      session: { id: opened.session.id },
      customer: { id: opened.customer.id },
    });
    const fresh = await openSession(issued.secret, { customer: { externalId: 'u-1' } }, 201);
    expect(fresh.session.id).not.toBe(opened.session.id);
    expect(fresh.customer.id).toBe(opened.customer.id);
    const latest = await openSession(
      issued.secret,
      { customer: { externalId: 'u-1' }, resume: true, agentId },
      200,
    );
    expect(latest.session.id).toBe(fresh.session.id);
  });

  it('finds one customer when two first opens race, and leaves a known profile as it is', async () => {
    const { secret } = await issueKey({ name: 'Racing backend' });
    const [first, second] = await Promise.all(
      ['First', 'Second'].map((name) =>
        kit.call('POST', '/v1/sessions', {
          token: secret,
          body: { customer: { externalId: 'u-race', name } },
        }),
      ),
    );
    expect(first?.status).toBe(201);
    expect(second?.status).toBe(201);
    const [a, b] = (await Promise.all([first?.json(), second?.json()])) as OpenedSession[];
    expect(a?.customer.id).toBe(b?.customer.id);
    const later = await openSession(
      secret,
      { customer: { externalId: 'u-race', name: 'Renamed' } },
      201,
    );
    expect(later.customer.name).toBe(a?.customer.name);
  });

  it("sees the customer's view of what operators and tools did", async () => {
    const { secret } = await issueKey({ name: 'Viewing backend' });
    const opened = await openSession(secret, { customer: { externalId: 'u-view' } }, 201);
    const operator = await operatorToken({ workspaceId, userId: 'operator-7', name: 'Grace' });
    await call('POST', `/v1/sessions/${opened.session.id}/events`, {
      token: operator,
      body: { kind: 'message', text: 'Grace here, happy to help' },
      status: 201,
    });
    const { events } = await call<{ events: WireEvent[] }>(
      'GET',
      `/v1/sessions/${opened.session.id}/events`,
      { token: secret, status: 200 },
    );
    const message = events.find((event) => event.data.text === 'Grace here, happy to help');
    expect(message?.data).toMatchObject({ participantName: 'Grace' });
    expect(message?.data).not.toHaveProperty('participantId');
  });

  it('refuses what the key may not do: 403 naming the permission, 404 for another agent', async () => {
    const reader = await issueKey({ name: 'Reader', permissions: ['events:read'] });
    const refusal = await call<ErrorBody>('POST', '/v1/sessions', {
      token: reader.secret,
      body: { customer: { externalId: 'u-2' } },
      status: 403,
    });
    expect(refusal.error).toMatchObject({ code: 'forbidden', reason: 'permission_missing' });
    expect(refusal.error.message).toContain('sessions:write');

    const writer = await issueKey({ name: 'Writer' });
    const other = await call<{ id: string }>('POST', '/v1/agents', {
      token: admin,
      body: { name: 'Another agent' },
      status: 201,
    });
    const named = await call<ErrorBody>('POST', '/v1/sessions', {
      token: writer.secret,
      body: { agentId: other.id, customer: { externalId: 'u-2' } },
      status: 404,
    });
    expect(named.error.code).toBe('not_found');
    const { secret: otherSecret } = await issueKey({ name: 'Other agent' }, other.id);
    const opened = await openSession(writer.secret, { customer: { externalId: 'u-2' } }, 201);
    for (const [method, path] of [
      ['GET', `/v1/sessions/${opened.session.id}`],
      ['GET', `/v1/sessions/${opened.session.id}/events`],
      ['GET', `/v1/sessions/${opened.session.id}/stream`],
      ['POST', `/v1/sessions/${opened.session.id}/events`],
    ] as const) {
      const body = method === 'POST' ? { text: 'hello' } : undefined;
      const hidden = await call<ErrorBody>(method, path, { token: otherSecret, body, status: 404 });
      expect(hidden.error.code).toBe('not_found');
    }
    // A session's other routes, and every operator route, do not exist for a secret key.
    for (const [method, path] of [
      ['PATCH', `/v1/sessions/${opened.session.id}`],
      ['POST', `/v1/sessions/${opened.session.id}/cancel`],
      ['POST', `/v1/sessions/${opened.session.id}/token`],
      ['GET', '/v1/sessions'],
      ['GET', `/v1/agents/${agentId}/api-keys`],
    ] as const) {
      const body = method === 'PATCH' ? { title: 'Renamed' } : undefined;
      await call(method, path, { token: writer.secret, body, status: 404 });
    }
  });

  it('refuses a body with fields it does not know, naming them (400)', async () => {
    const { secret } = await issueKey({ name: 'Strict backend' });
    for (const [body, field] of [
      [{ customer: { externalId: 'u-3' }, agentKey: 'pk_whatever' }, '(root)'],
      [{ customer: { externalId: '' } }, 'customer.externalId'],
      [{ customer: { externalId: 'u-3', email: 'not an email' } }, 'customer.email'],
      [{ title: 'No customer' }, 'customer'],
      [{ customer: { externalId: 'u-3' }, resume: 'yes' }, 'resume'],
    ] as const) {
      const refusal = await call<ErrorBody>('POST', '/v1/sessions', {
        token: secret,
        body,
        status: 400,
      });
      expect(refusal.error.code).toBe('validation_failed');
      expect(refusal.error.message).toContain('Invalid session');
      expect(refusal.error.details?.issues?.map((issue) => issue.path)).toContain(field);
      if (field === '(root)') expect(refusal.error.message).toContain('agentKey');
    }
  });

  it('records when a key was last used, for the requests it served only', async () => {
    const served = await issueKey({ name: 'Served backend' });
    const refused = await issueKey({ name: 'Refused backend', permissions: ['events:read'] });
    await openSession(served.secret, { customer: { externalId: 'u-4' } }, 201);
    await call('POST', '/v1/sessions', {
      token: refused.secret,
      body: { customer: { externalId: 'u-4' } },
      status: 403,
    });
    const listing = await call<{ items: IssuedKey['apiKey'][] }>(
      'GET',
      `/v1/agents/${agentId}/api-keys?limit=200`,
      { token: admin, status: 200 },
    );
    const byId = new Map(listing.items.map((key) => [key.id, key]));
    expect(byId.get(served.apiKey.id)?.lastUsedAt).not.toBeNull();
    expect(byId.get(refused.apiKey.id)?.lastUsedAt).toBeNull();
    // Listings and reads never show a secret.
    const text = JSON.stringify(listing);
    for (const secret of issuedSecrets) expect(text).not.toContain(secret);
  });

  it('serves the request when recording the last use fails, and logs that', async () => {
    const { apiKey, secret } = await issueKey({ name: 'Unrecorded backend' });
    const forWorkspace = kit.store.forWorkspace.bind(kit.store);
    const spy = vi.spyOn(kit.store, 'forWorkspace').mockImplementation((id) => {
      const workspace = forWorkspace(id);
      return {
        ...workspace,
        agentApiKeys: {
          ...workspace.agentApiKeys,
          touch: () => Promise.reject(new Error('the database blinked')),
        },
      };
    });
    const from = logged.length;
    try {
      await openSession(secret, { customer: { externalId: 'u-5' } }, 201);
    } finally {
      spy.mockRestore();
    }
    const lines = logged.slice(from);
    expect(lines.some((line) => line.includes('secret key use not recorded'))).toBe(true);
    expect(lines.some((line) => line.includes(apiKey.id))).toBe(true);
  });
});

describe('refused credentials', () => {
  it('refuses an unknown, a revoked and an expired key (401), and says which', async () => {
    const unknown = await call<ErrorBody>('GET', '/v1/sessions/anything', {
      token: `sk_${'a'.repeat(32)}`,
      status: 401,
    });
    expect(unknown.error).toMatchObject({ code: 'unauthenticated', reason: 'api_key_invalid' });

    const { apiKey, secret } = await issueKey({ name: 'Soon revoked' });
    const revoked = await call<IssuedKey['apiKey']>(
      'DELETE',
      `/v1/agents/${agentId}/api-keys/${apiKey.id}`,
      { token: admin, status: 200 },
    );
    expect(revoked.revokedAt).not.toBeNull();
    const refusal = await call<ErrorBody>('POST', '/v1/sessions', {
      token: secret,
      body: { customer: { externalId: 'u-6' } },
      status: 401,
    });
    expect(refusal.error).toMatchObject({ code: 'unauthenticated', reason: 'api_key_revoked' });
    expect(refusal.error.message).toMatch(/revoked/);
  });

  it("measures expiry on the handler's clock", async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const clocked = await createHandlerKit({
      store: kit.store,
      handler: { clock: { now: () => now } },
    });
    try {
      const token = await operatorToken({ workspaceId });
      const past = await clocked.call('POST', `/v1/agents/${agentId}/api-keys`, {
        token,
        body: { name: 'Already expired', expiresAt: '2029-12-31T00:00:00Z' },
      });
      expect(past.status).toBe(400);
      const pastBody = (await past.json()) as ErrorBody;
      expect(pastBody.error.details?.issues?.map((issue) => issue.path)).toEqual(['expiresAt']);

      const issuedResponse = await clocked.call('POST', `/v1/agents/${agentId}/api-keys`, {
        token,
        body: { name: 'Expiring', expiresAt: '2030-01-01T01:00:00Z' },
      });
      expect(issuedResponse.status).toBe(201);
      const { secret } = (await issuedResponse.json()) as IssuedKey;
      issuedSecrets.push(secret);
      const open = () =>
        clocked.call('POST', '/v1/sessions', {
          token: secret,
          body: { customer: { externalId: 'u-clock' }, resume: true },
        });
      expect((await open()).status).toBe(201);
      now = new Date('2030-01-01T01:00:01Z');
      const expired = await open();
      expect(expired.status).toBe(401);
      expect(((await expired.json()) as ErrorBody).error.reason).toBe('api_key_expired');
    } finally {
      await clocked.handler.close({ deadlineMs: 1000 });
    }
  });

  it('takes no publishable key as a bearer token, and no secret key as an agent key (401)', async () => {
    const { agentKey } = await createShopAgent(kit, { workspaceId: otherWorkspaceId });
    const bearer = await call<ErrorBody>('POST', '/v1/sessions', {
      token: agentKey,
      body: { customer: { externalId: 'u-7' } },
      status: 401,
    });
    expect(bearer.error).toMatchObject({ reason: 'publishable_key_as_bearer' });
    expect(bearer.error.message).toMatch(/POST \/v1\/sessions/);
    expect(bearer.error.message).toMatch(/secret key/);

    const { secret } = await issueKey({ name: 'Pasted into a page' });
    const widget = await call<ErrorBody>('POST', '/v1/sessions', {
      body: { agentKey: secret },
      headers: { origin: 'https://shop.example' },
      status: 401,
    });
    expect(widget.error).toMatchObject({ reason: 'secret_key_as_agent_key' });
    expect(JSON.stringify(widget)).not.toContain(secret);
  });

  it('refuses a secret key a browser sent (403, readable by the page, before any lookup)', async () => {
    const { secret } = await issueKey({ name: 'Leaked backend' });
    const browsers: Array<Record<string, string>> = [
      { origin: 'https://shop.example' },
      { origin: 'http://localhost' },
      { 'sec-fetch-site': 'same-origin' },
    ];
    for (const headers of browsers) {
      const response = await kit.call('POST', '/v1/sessions', {
        token: secret,
        body: { customer: { externalId: 'u-8' } },
        headers,
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBe(headers.origin ?? null);
      const body = (await response.json()) as ErrorBody;
      expect(body.error).toMatchObject({ code: 'forbidden', reason: 'secret_key_in_browser' });
      expect(body.error.message).toMatch(/never be used from a browser/);
    }
  });
});

describe('managing secret keys', () => {
  it('lists, reads, renames and revokes them; only admins, only their own agents', async () => {
    const { apiKey, secret } = await issueKey({
      name: 'Managed',
      permissions: ['events:read', 'messages:write'],
    });
    expect(apiKey.permissions).toEqual(['events:read', 'messages:write']);
    const path = `/v1/agents/${agentId}/api-keys/${apiKey.id}`;
    const read = await call<IssuedKey['apiKey']>('GET', path, { token: admin, status: 200 });
    expect(read).toMatchObject({ id: apiKey.id, name: 'Managed' });
    expect(JSON.stringify(read)).not.toContain(secret);
    const renamed = await call<IssuedKey['apiKey']>('PATCH', path, {
      token: admin,
      body: { name: 'Renamed' },
      status: 200,
    });
    expect(renamed.name).toBe('Renamed');

    for (const role of ['read', 'write'] as const) {
      const token = await operatorToken({ workspaceId, role });
      await call('GET', `/v1/agents/${agentId}/api-keys`, { token, status: 403 });
      await call('POST', `/v1/agents/${agentId}/api-keys`, {
        token,
        body: { name: 'Nope' },
        status: 403,
      });
    }
    const outsider = await operatorToken({ workspaceId: otherWorkspaceId });
    await call('GET', path, { token: outsider, status: 404 });
    await call('DELETE', path, { token: outsider, status: 404 });
    await call('GET', `/v1/agents/${agentId}/api-keys`, { token: outsider, status: 404 });

    // A key read under another agent of the workspace is not found.
    const other = await call<{ id: string }>('POST', '/v1/agents', {
      token: admin,
      body: { name: 'Third agent' },
      status: 201,
    });
    await call('GET', `/v1/agents/${other.id}/api-keys/${apiKey.id}`, {
      token: admin,
      status: 404,
    });
    await call('DELETE', `/v1/agents/${other.id}/api-keys/${apiKey.id}`, {
      token: admin,
      status: 404,
    });

    const revoked = await call<IssuedKey['apiKey']>('DELETE', path, { token: admin, status: 200 });
    expect(revoked.revokedAt).not.toBeNull();
    // Revoking again answers the key as it is.
    const twice = await call<IssuedKey['apiKey']>('DELETE', path, { token: admin, status: 200 });
    expect(twice.revokedAt).toBe(revoked.revokedAt);
  });

  it('refuses bodies that do not describe a key, naming the field (400)', async () => {
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: 'Bad', permissions: ['sessions:delete'] }, 'permissions.0'],
      [{ name: 'Bad', permissions: [] }, 'permissions'],
      [{ name: 'Bad', permissions: ['events:read', 'events:read'] }, 'permissions'],
      [{ name: 'Bad', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ name: 'Bad', expiresAt: '2000-01-01T00:00:00Z' }, 'expiresAt'],
    ] as const) {
      const refusal = await call<ErrorBody>('POST', `/v1/agents/${agentId}/api-keys`, {
        token: admin,
        body,
        status: 400,
      });
      expect(refusal.error.code).toBe('validation_failed');
      expect(refusal.error.details?.issues?.map((issue) => issue.path)).toContain(field);
    }
    await call('POST', '/v1/agents/no-such-agent/api-keys', {
      token: admin,
      body: { name: 'Orphan' },
      status: 404,
    });
  });
});
