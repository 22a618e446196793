import { createHmac } from 'node:crypto';
import { createJwtVerifier } from '@parley/core/auth';
import { base64url, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerTokens } from '../../src/index';
import { customerSecret, operatorSecret, operatorToken } from '../handler-kit';
import { createSecurityWorld, expectRefusal, type SecurityWorld } from './security-fixtures';

/**
 * Forged, altered and stale tokens against both verifiers: the operator JWT verifier (pinned
 * to HS256, with a maximum token age) and the handler's own customer tokens. Every one is a
 * 401 whose message says what is wrong without quoting the token, and changes nothing.
 */

const maxTokenAgeSeconds = 3600;
let world: SecurityWorld;

beforeAll(async () => {
  world = await createSecurityWorld({
    handler: {
      verifier: createJwtVerifier({
        algorithms: ['HS256'],
        secret: operatorSecret,
        issuer: 'test-host',
        audience: 'parley',
        maxTokenAgeSeconds,
      }),
    },
  });
});
afterAll(async () => {
  await world?.close();
});

const encoder = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);
const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

/** A compact JWS from a header and payload, signed by `sign` over `header.payload`. */
function assemble(
  header: Record<string, unknown>,
  payload: JWTPayload,
  sign: (input: string) => string = () => '',
): string {
  const input = `${encodeJson(header)}.${encodeJson(payload)}`;
  return `${input}.${sign(input)}`;
}

/** An HMAC-SHA256 signature of `input` under `secret`, as a JWS signature. */
const hmacSha256 = (secret: string) => (input: string) =>
  createHmac('sha256', secret).update(input).digest('base64url');

/** Signs `payload` with jose under `alg` and `key`. */
/** Tokens signed with an RSA or EC key of the attacker's where HS256 is pinned. */
function asymmetricKeyAttacks(
  claims: () => JWTPayload,
  suffix = '',
): Array<[name: string, forge: () => Promise<string>]> {
  return (['RS256', 'ES256'] as const).map((alg) => [
    `${alg} signed with an ${alg === 'RS256' ? 'RSA' : 'EC'} key${suffix}`,
    async () => sign(claims(), alg, (await generateKeyPair(alg)).privateKey),
  ]);
}

/** The claims without one of them. */
function without(claims: JWTPayload, name: string): JWTPayload {
  const { [name]: _removed, ...rest } = claims;
  return rest;
}

async function sign(
  payload: JWTPayload,
  alg: string,
  key: Uint8Array | CryptoKey,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

/** A token with its payload swapped for `payload`, keeping the original header and signature. */
function withPayload(token: string, payload: JWTPayload): string {
  const [header, , signature] = token.split('.');
  return `${header}.${encodeJson(payload)}.${signature}`;
}

const decodePayload = (token: string) =>
  JSON.parse(
    new TextDecoder().decode(base64url.decode(token.split('.')[1] as string)),
  ) as JWTPayload;

/** Checks a 401 that names the problem without quoting any part of the token. */
async function expectTokenRefused(response: Response, token: string, context: string) {
  const { body, text } = await expectRefusal(response, 401, context);
  expect(body.error.code, context).toBe('unauthenticated');
  expect(body.error.message, context).toMatch(/token/i);
  expect(text, context).not.toContain(token);
  for (const part of token.split('.'))
    if (part.length >= 8) expect(text, context).not.toContain(part);
  return body;
}

/** Runs `act` and checks that no Parley table changed. */
async function expectNoChange(act: () => Promise<void>): Promise<void> {
  const before = await world.snapshot();
  await act();
  expect(await world.snapshot()).toEqual(before);
}

/** Sends `token` to every target: each refuses it (401), and no Parley table changes. */
async function expectRefusedEverywhere(
  token: string,
  name: string,
  targets: ReadonlyArray<{ method: string; path: string; body?: unknown }>,
): Promise<void> {
  await expectNoChange(async () => {
    for (const target of targets) {
      await expectTokenRefused(
        await world.kit.call(target.method, target.path, { token, body: target.body }),
        token,
        `${name}: ${target.method} ${target.path}`,
      );
    }
  });
}

describe('operator tokens', () => {
  /** Claims of a valid admin of workspace A. */
  const claims = (): JWTPayload => ({
    sub: 'security-a-admin',
    workspaceId: 'security-a',
    role: 'admin',
    iss: 'test-host',
    aud: 'parley',
    iat: now(),
    exp: now() + 600,
  });
  const sharedSecret = encoder.encode(operatorSecret);

  /** What an operator can reach: a read, a write and a conversation. */
  const targets = () => [
    { method: 'GET', path: `/v1/agents/${world.a.agentId}` },
    {
      method: 'POST',
      path: `/v1/agents/${world.a.agentId}/guidelines`,
      body: { condition: 'the customer is forged', action: 'never be stored' },
    },
    {
      method: 'POST',
      path: `/v1/sessions/${world.a.operatorSession.sessionId}/events`,
      body: { kind: 'message', text: 'forged operator message' },
    },
  ];

  const attacks: Array<[name: string, forge: () => Promise<string>]> = [
    ['alg: none, unsigned', async () => assemble({ alg: 'none', typ: 'JWT' }, claims())],
    [
      'alg: none, with the HS256 signature kept',
      async () => {
        const valid = await sign(claims(), 'HS256', sharedSecret);
        return withPayload(valid, claims()).replace(/^[^.]+/, encodeJson({ alg: 'none' }));
      },
    ],
    [
      'HS256 under another secret',
      async () => sign(claims(), 'HS256', encoder.encode('another-secret-of-at-least-32-bytes!!')),
    ],
    ...asymmetricKeyAttacks(claims, ' (not HS256)'),
    // Algorithm confusion: an RS256 header over an HMAC made with the verifier's own secret,
    // what a verifier that trusts the header with a shared key would accept.
    [
      'RS256 header over an HMAC of the shared secret',
      async () => assemble({ alg: 'RS256', typ: 'JWT' }, claims(), hmacSha256(operatorSecret)),
    ],
    [
      'HS512 with the right secret (HS256 is pinned)',
      async () => sign(claims(), 'HS512', sharedSecret),
    ],
    [
      'expired',
      async () => sign({ ...claims(), iat: now() - 1200, exp: now() - 600 }, 'HS256', sharedSecret),
    ],
    [
      'not valid before a future time',
      async () => sign({ ...claims(), nbf: now() + 600 }, 'HS256', sharedSecret),
    ],
    [
      'issued in the future',
      async () => sign({ ...claims(), iat: now() + 600, exp: now() + 1200 }, 'HS256', sharedSecret),
    ],
    [
      'issued longer ago than the maximum age',
      async () =>
        sign({ ...claims(), iat: now() - maxTokenAgeSeconds - 600 }, 'HS256', sharedSecret),
    ],
    ['another issuer', async () => sign({ ...claims(), iss: 'evil-host' }, 'HS256', sharedSecret)],
    [
      'another audience',
      async () => sign({ ...claims(), aud: 'someone-else' }, 'HS256', sharedSecret),
    ],
    ['no expiry', async () => sign(without(claims(), 'exp'), 'HS256', sharedSecret)],
    ['no sub', async () => sign(without(claims(), 'sub'), 'HS256', sharedSecret)],
    ['no workspaceId', async () => sign(without(claims(), 'workspaceId'), 'HS256', sharedSecret)],
    ['an unknown role', async () => sign({ ...claims(), role: 'owner' }, 'HS256', sharedSecret)],
    [
      'a reader token raised to admin, original signature',
      async () => {
        const reader = await operatorToken({ workspaceId: 'security-a', role: 'read' });
        return withPayload(reader, { ...decodePayload(reader), role: 'admin' });
      },
    ],
    [
      'a token of B moved to workspace A, original signature',
      async () => {
        const outsider = await operatorToken({ workspaceId: 'security-b', role: 'admin' });
        return withPayload(outsider, { ...decodePayload(outsider), workspaceId: 'security-a' });
      },
    ],
    [
      'operator claims signed with the customer-token secret',
      async () => sign(claims(), 'HS256', encoder.encode(customerSecret)),
    ],
    [
      'a customer token relabelled for operators, original signature',
      async () => {
        const customer = world.a.customerToken;
        return withPayload(customer, {
          ...decodePayload(customer),
          ...claims(),
          exp: decodePayload(customer).exp,
        });
      },
    ],
  ];

  it('lets the untampered token through the same routes (the attacks below are the only change)', async () => {
    const token = await sign(claims(), 'HS256', sharedSecret);
    for (const target of targets()) {
      const response = await world.kit.call(target.method, target.path, {
        token,
        body: target.method === 'GET' ? undefined : target.body,
      });
      expect(response.status, await response.text()).toBeLessThan(300);
    }
  });

  it.each(attacks)('refuses %s (401)', async (name, forge) => {
    await expectRefusedEverywhere(await forge(), name, targets());
  });

  it('names why a token was refused, so a client can react (expired, algorithm, signature)', async () => {
    const reasons: Record<string, string> = {};
    for (const [name, forge] of attacks) {
      const token = await forge();
      const response = await world.kit.call('GET', `/v1/agents/${world.a.agentId}`, { token });
      reasons[name] =
        ((await response.json()) as { error: { reason?: string } }).error.reason ?? '';
    }
    expect(reasons).toMatchObject({
      'alg: none, unsigned': 'algorithm_not_allowed',
      'RS256 signed with an RSA key (not HS256)': 'algorithm_not_allowed',
      'RS256 header over an HMAC of the shared secret': 'algorithm_not_allowed',
      'HS512 with the right secret (HS256 is pinned)': 'algorithm_not_allowed',
      'HS256 under another secret': 'signature_invalid',
      'a reader token raised to admin, original signature': 'signature_invalid',
      expired: 'token_expired',
      'not valid before a future time': 'token_not_yet_valid',
      'issued longer ago than the maximum age': 'token_too_old',
      'another issuer': 'issuer_invalid',
      'another audience': 'audience_invalid',
      'no sub': 'claim_missing',
      'no workspaceId': 'claim_missing',
    });
  });

  it('refuses an operator token where only the customer of the session may act (renewal, 401)', async () => {
    const token = world.a.tokens.admin;
    await expectNoChange(async () => {
      const body = await expectTokenRefused(
        await world.kit.call('POST', `/v1/sessions/${world.a.widgetSession.sessionId}/token`, {
          token,
        }),
        token,
        'renewal with an operator token',
      );
      expect(body.error.message).toMatch(/customer token/);
    });
  });
});

describe('customer tokens', () => {
  /** Claims of the widget session of workspace A, as the handler issues them. */
  const claims = (): JWTPayload => {
    const issued = decodePayload(world.a.customerToken);
    return { ...issued, iat: now(), exp: now() + 3600 };
  };
  const handlerSecret = encoder.encode(customerSecret);

  /** What a customer can reach in their session: read the events, post a message. */
  const targets = () => [
    { method: 'GET', path: `/v1/sessions/${world.a.widgetSession.sessionId}/events` },
    {
      method: 'POST',
      path: `/v1/sessions/${world.a.widgetSession.sessionId}/events`,
      body: { text: 'forged customer message', clientMessageId: 'forged-1' },
    },
    { method: 'POST', path: `/v1/sessions/${world.a.widgetSession.sessionId}/token` },
  ];

  const attacks: Array<[name: string, forge: () => Promise<string>]> = [
    ['alg: none, unsigned', async () => assemble({ alg: 'none', typ: 'JWT' }, claims())],
    [
      'signed with another secret',
      async () =>
        sign(claims(), 'HS256', encoder.encode('not-the-handler-secret-0123456789abcdef')),
    ],
    [
      'signed with the operator secret',
      async () => sign(claims(), 'HS256', encoder.encode(operatorSecret)),
    ],
    ...asymmetricKeyAttacks(claims),
    [
      'RS256 header over an HMAC of the handler secret',
      async () => assemble({ alg: 'RS256', typ: 'JWT' }, claims(), hmacSha256(customerSecret)),
    ],
    [
      'HS512 with the handler secret (HS256 is pinned)',
      async () => sign(claims(), 'HS512', handlerSecret),
    ],
    [
      'expired (issued by the handler two days ago)',
      async () => {
        const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
        const tokens = createCustomerTokens({ secret: customerSecret, now: () => twoDaysAgo });
        const issued = decodePayload(world.a.customerToken);
        return (
          await tokens.issue({
            workspaceId: issued.ws as string,
            agentId: issued.aid as string,
            sessionId: issued.sid as string,
            customerId: issued.sub as string,
            agentKeyId: issued.kid as string,
          })
        ).token;
      },
    ],
    [
      'not valid before a future time',
      async () => sign({ ...claims(), nbf: now() + 600 }, 'HS256', handlerSecret),
    ],
    ['another issuer', async () => sign({ ...claims(), iss: 'test-host' }, 'HS256', handlerSecret)],
    [
      'another audience',
      async () => sign({ ...claims(), aud: 'parley-widget' }, 'HS256', handlerSecret),
    ],
    ['no session claim', async () => sign(without(claims(), 'sid'), 'HS256', handlerSecret)],
    ['no customer (sub)', async () => sign(without(claims(), 'sub'), 'HS256', handlerSecret)],
    [
      'the session claim edited, original signature',
      async () =>
        withPayload(world.a.customerToken, {
          ...decodePayload(world.a.customerToken),
          sid: world.a.operatorSession.sessionId,
        }),
    ],
    [
      'the session claim moved to workspace B, original signature',
      async () =>
        withPayload(world.a.customerToken, {
          ...decodePayload(world.a.customerToken),
          ws: world.b.workspaceId,
          sid: world.b.widgetSession.sessionId,
        }),
    ],
    [
      'the expiry pushed out, original signature',
      async () =>
        withPayload(world.a.customerToken, {
          ...decodePayload(world.a.customerToken),
          exp: now() + 365 * 86_400,
        }),
    ],
    [
      'an operator token relabelled as a customer token, original signature',
      async () => {
        const operator = world.a.tokens.admin;
        return withPayload(operator, { ...decodePayload(operator), ...claims() });
      },
    ],
  ];

  it.each(attacks)('refuses %s (401)', async (name, forge) => {
    await expectRefusedEverywhere(await forge(), name, targets());
  });

  it('says an expired customer token has expired, so the widget can start over', async () => {
    const [, forge] = attacks.find(([name]) => name.startsWith('expired')) as (typeof attacks)[0];
    const response = await world.kit.call(
      'GET',
      `/v1/sessions/${world.a.widgetSession.sessionId}/events`,
      { token: await forge() },
    );
    const { body } = await expectRefusal(response, 401, 'expired customer token');
    expect(body.error).toMatchObject({ code: 'unauthenticated', reason: 'token_expired' });
  });

  it('is no operator token: on an operator route it finds nothing (404, as the code defines)', async () => {
    await expectNoChange(async () => {
      for (const path of ['/v1/agents', `/v1/agents/${world.a.agentId}`, '/v1/sessions']) {
        const { body } = await expectRefusal(
          await world.kit.call('GET', path, { token: world.a.customerToken }),
          404,
          `customer token on ${path}`,
        );
        expect(body.error.code).toBe('not_found');
      }
    });
  });

  it('is still honoured untouched, on the same routes (the attacks are the only change)', async () => {
    for (const target of targets()) {
      const response = await world.kit.call(target.method, target.path, {
        token: world.a.customerToken,
        body: target.method === 'GET' ? undefined : target.body,
      });
      expect(response.status, await response.text()).toBeLessThan(300);
    }
  });
});
