import { defineAgent } from '@parley/core';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIdentityToken } from '../src/index';
import { createHandlerKit, type HandlerKit, operatorToken } from './handler-kit';

const workspaceId = 'workspace-identity';
const origin = 'https://shop.example';
let kit: HandlerKit;
let agentId: string;
let keys: Array<{ id: string; secret: string; identitySecret: string }>;

interface OpenedSession {
  session: { id: string; customerId: string };
  customerToken: string;
  resumed: boolean;
}

async function issueKey(name: string) {
  const response = await kit.call('POST', `/v1/agents/${agentId}/keys`, {
    token: await operatorToken({ workspaceId }),
    body: { name, allowedOrigins: [origin] },
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; secret: string; identitySecret: string };
}

function openSession(body: Record<string, unknown>) {
  return kit.call('POST', '/v1/sessions', { body, headers: { origin } });
}

async function say(opened: OpenedSession, text: string) {
  const response = await kit.call('POST', `/v1/sessions/${opened.session.id}/events`, {
    token: opened.customerToken,
    body: { text, clientMessageId: `${text}-${opened.session.id}` },
  });
  expect(response.status).toBe(201);
}

async function customerTexts(opened: OpenedSession): Promise<string[]> {
  const response = await kit.call('GET', `/v1/sessions/${opened.session.id}/events?kinds=message`, {
    token: opened.customerToken,
  });
  expect(response.status).toBe(200);
  const { events } = (await response.json()) as {
    events: Array<{ source: string; data: { text: string } }>;
  };
  return events.filter((event) => event.source === 'customer').map((event) => event.data.text);
}

beforeAll(async () => {
  kit = await createHandlerKit();
  const report = await kit.engine.sync(
    workspaceId,
    defineAgent({ name: 'Shop', compositionMode: 'canned_strict' }),
  );
  agentId = report.agent.id;
  keys = [await issueKey('Website'), await issueKey('Other site')];
});
afterAll(async () => {
  await kit.close();
});

describe('identity tokens: a returning customer gets their history', () => {
  it('shows the identity secret once, when the key is issued, and never in listings', async () => {
    const [key] = keys;
    expect(key?.identitySecret).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(key?.identitySecret).not.toBe(keys[1]?.identitySecret);
    const listed = await kit.call('GET', `/v1/agents/${agentId}/keys`, {
      token: await operatorToken({ workspaceId }),
    });
    expect(await listed.text()).not.toContain(key?.identitySecret);
  });

  it('resumes the same session for the same visitor, on any device', async () => {
    const [key] = keys;
    if (!key) throw new Error('no key');
    const identityToken = await signIdentityToken({
      identitySecret: key.identitySecret,
      externalId: 'site-user-42',
      name: 'Ada',
      email: 'ada@example.com',
    });
    const first = await openSession({ agentKey: key.secret, identityToken });
    expect(first.status).toBe(201);
    const opened = (await first.json()) as OpenedSession;
    expect(opened.resumed).toBe(false);
    await say(opened, 'where is my order?');

    // Later, from another browser: a new identity token for the same visitor.
    const again = await openSession({
      agentKey: key.secret,
      identityToken: await signIdentityToken({
        identitySecret: key.identitySecret,
        externalId: 'site-user-42',
      }),
    });
    expect(again.status).toBe(200);
    const resumed = (await again.json()) as OpenedSession;
    expect(resumed.resumed).toBe(true);
    expect(resumed.session.id).toBe(opened.session.id);
    expect(await customerTexts(resumed)).toEqual(['where is my order?']);

    const customer = await kit.engine
      .forWorkspace(workspaceId)
      .customers.get(opened.session.customerId);
    expect(customer).toMatchObject({
      externalId: 'site-user-42',
      name: 'Ada',
      email: 'ada@example.com',
    });
  });

  it('gives another visitor their own customer and session', async () => {
    const [key] = keys;
    if (!key) throw new Error('no key');
    const open = async (externalId: string) =>
      (await (
        await openSession({
          agentKey: key.secret,
          identityToken: await signIdentityToken({
            identitySecret: key.identitySecret,
            externalId,
          }),
        })
      ).json()) as OpenedSession;
    const grace = await open('site-user-grace');
    const ada = await open('site-user-42');
    expect(grace.session.id).not.toBe(ada.session.id);
    expect(grace.session.customerId).not.toBe(ada.session.customerId);
    expect(await customerTexts(grace)).toEqual([]);
  });

  it('starts a new session when the visitor closed their last one', async () => {
    const [key] = keys;
    if (!key) throw new Error('no key');
    const token = () =>
      signIdentityToken({ identitySecret: key.identitySecret, externalId: 'site-user-closer' });
    const first = (await (
      await openSession({ agentKey: key.secret, identityToken: await token() })
    ).json()) as OpenedSession;
    await kit.engine
      .forWorkspace(workspaceId)
      .sessions.update(first.session.id, { status: 'closed' });
    const next = await openSession({ agentKey: key.secret, identityToken: await token() });
    expect(next.status).toBe(201);
    const opened = (await next.json()) as OpenedSession;
    expect(opened.session.id).not.toBe(first.session.id);
    expect(opened.session.customerId).toBe(first.session.customerId);
  });

  it('creates one customer when a visitor opens two sessions at once', async () => {
    const [key] = keys;
    if (!key) throw new Error('no key');
    const responses = await Promise.all(
      [1, 2, 3].map(async () =>
        openSession({
          agentKey: key.secret,
          identityToken: await signIdentityToken({
            identitySecret: key.identitySecret,
            externalId: 'site-user-racing',
          }),
        }),
      ),
    );
    const opened = await Promise.all(
      responses.map(async (response) => {
        expect([200, 201]).toContain(response.status);
        return (await response.json()) as OpenedSession;
      }),
    );
    expect(new Set(opened.map((each) => each.session.customerId)).size).toBe(1);
    const found = await kit.engine
      .forWorkspace(workspaceId)
      .customers.list({ externalId: 'site-user-racing' });
    expect(found.items).toHaveLength(1);
  });

  it('refuses identity tokens not signed for this key, expired, stale or with bad claims', async () => {
    const [key, otherKey] = keys;
    if (!key || !otherKey) throw new Error('no key');
    const now = Math.floor(Date.now() / 1000);
    const sign = (
      secret: string,
      claims: Record<string, unknown>,
      header: { alg: string } = { alg: 'HS256' },
    ) => new SignJWT(claims).setProtectedHeader(header).sign(new TextEncoder().encode(secret));
    const valid = { sub: 'site-user-9', aud: 'parley-identity', iat: now, exp: now + 600 };
    const cases: Array<[string, Promise<string> | string, string]> = [
      [
        "another key's secret",
        signIdentityToken({ identitySecret: otherKey.identitySecret, externalId: 'site-user-9' }),
        'identity_token_invalid',
      ],
      ['the publishable key as secret', sign(key.secret, valid), 'identity_token_invalid'],
      ['expired', sign(key.identitySecret, { ...valid, exp: now - 60 }), 'identity_token_expired'],
      [
        'older than an hour',
        sign(key.identitySecret, { ...valid, iat: now - 7200, exp: now + 600 }),
        'identity_token_expired',
      ],
      [
        'no expiry',
        sign(key.identitySecret, { sub: 'x', aud: 'parley-identity', iat: now }),
        'identity_token_invalid',
      ],
      [
        'wrong audience',
        sign(key.identitySecret, { ...valid, aud: 'parley-customer' }),
        'identity_token_invalid',
      ],
      [
        'HS512 when HS256 is pinned',
        sign(key.identitySecret, valid, { alg: 'HS512' }),
        'identity_token_invalid',
      ],
      [
        'unsigned',
        `${btoa('{"alg":"none"}')}.${btoa(JSON.stringify(valid))}.`,
        'identity_token_invalid',
      ],
      [
        'a blank subject',
        sign(key.identitySecret, { ...valid, sub: '   ' }),
        'identity_claim_invalid',
      ],
    ];
    const before = await kit.engine.forWorkspace(workspaceId).customers.list({ limit: 200 });
    for (const [label, token, reason] of cases) {
      const response = await openSession({ agentKey: key.secret, identityToken: await token });
      expect(response.status, label).toBe(401);
      const body = (await response.json()) as { error: { code: string; details?: unknown } };
      expect(body.error.code, label).toBe('unauthenticated');
      expect(JSON.stringify(body), label).toContain(reason);
    }
    const after = await kit.engine.forWorkspace(workspaceId).customers.list({ limit: 200 });
    expect(after.items.map((customer) => customer.id)).toEqual(
      before.items.map((customer) => customer.id),
    );
  });

  it('retires the identity secret with its revoked key', async () => {
    const fresh = await issueKey('Short-lived');
    const identityToken = await signIdentityToken({
      identitySecret: fresh.identitySecret,
      externalId: 'site-user-42',
    });
    const revoke = await kit.call('DELETE', `/v1/agents/${agentId}/keys/${fresh.id}`, {
      token: await operatorToken({ workspaceId }),
    });
    expect(revoke.status).toBe(200);
    const response = await openSession({ agentKey: fresh.secret, identityToken });
    expect(response.status).toBe(401);
  });
});
