import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CompactSign,
  type CryptoKey,
  errors,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { ParleyError, type ParleyErrorCode } from '../errors/parley-error';
import {
  createJwtVerifier,
  defaultMaxTokenAgeSeconds,
  type JwtVerifier,
  type JwtVerifierOptions,
  type Principal,
  principalSchema,
  type TokenRejectionReason,
  tokenRejectionReasons,
} from './index';

const secret = 'test-secret-for-parley-operator-tokens';
const secretBytes = new TextEncoder().encode(secret);
const issuer = 'https://sim.test';
const audience = 'parley';
const now = new Date('2030-01-01T00:00:00Z');
const nowSeconds = now.getTime() / 1000;
const clock = () => now;

/** The claims of a valid operator token at `now`; pass `undefined` to drop a claim. */
function operatorClaims(overrides: Record<string, unknown> = {}): JWTPayload {
  return {
    iss: issuer,
    aud: audience,
    sub: 'user-1',
    workspaceId: 'workspace-1',
    email: 'ada@example.com',
    role: 'write',
    iat: nowSeconds,
    exp: nowSeconds + 300,
    ...overrides,
  };
}

interface SignTokenOptions {
  algorithm?: string;
  key?: CryptoKey | Uint8Array;
  header?: Record<string, unknown>;
}

function signToken(claims: JWTPayload, options: SignTokenOptions = {}): Promise<string> {
  const { algorithm = 'HS256', key = secretBytes, header = {} } = options;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: algorithm, typ: 'JWT', ...header })
    .sign(key);
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Awaits a promise expected to fail and returns its ParleyError (failing the test otherwise). */
async function rejectionOf(promise: Promise<unknown>): Promise<ParleyError> {
  const outcome = await promise.then(
    () => new Error('expected a rejection, but the promise resolved'),
    (error: unknown) => error,
  );
  if (!ParleyError.isInstance(outcome)) throw outcome;
  return outcome;
}

async function expectRejection(
  promise: Promise<unknown>,
  code: ParleyErrorCode,
  reason: TokenRejectionReason,
): Promise<ParleyError> {
  const error = await rejectionOf(promise);
  expect({ code: error.code, reason: error.reason }).toEqual({ code, reason });
  return error;
}

function constructionError(options: JwtVerifierOptions): ParleyError {
  try {
    createJwtVerifier(options);
  } catch (error) {
    if (ParleyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected createJwtVerifier to refuse these options');
}

const hsOptions: JwtVerifierOptions = {
  algorithms: ['HS256'],
  secret,
  issuer,
  audience,
  now: clock,
};
const hsVerifier = createJwtVerifier(hsOptions);

let rsaKeys: { publicKey: CryptoKey; privateKey: CryptoKey };
let rsaPublicJwk: JWK;
let rsVerifier: JwtVerifier;

beforeAll(async () => {
  rsaKeys = await generateKeyPair('RS256', { extractable: true });
  rsaPublicJwk = { ...(await exportJWK(rsaKeys.publicKey)), kid: 'key-1', alg: 'RS256' };
  rsVerifier = createJwtVerifier({
    algorithms: ['RS256'],
    jwks: { keys: [rsaPublicJwk] },
    issuer,
    audience,
    now: clock,
  });
});

const rsSign = (claims: JWTPayload, header: Record<string, unknown> = { kid: 'key-1' }) =>
  signToken(claims, { algorithm: 'RS256', key: rsaKeys.privateKey, header });

describe('createJwtVerifier: valid tokens', () => {
  it('maps a valid HS256 token to the exact principal', async () => {
    const principal = await hsVerifier.verify(await signToken(operatorClaims()));

    expect(principal).toEqual({
      kind: 'operator',
      userId: 'user-1',
      workspaceId: 'workspace-1',
      email: 'ada@example.com',
      name: null,
      role: 'write',
    });
    expect(principalSchema.parse(principal)).toEqual(principal);
  });

  it('verifies an RS256 token through a local JWKS, choosing the key by kid', async () => {
    const principal = await rsVerifier.verify(await rsSign(operatorClaims()));

    expect(principal.userId).toBe('user-1');
  });

  it('verifies an RS256 token with a single public key, as a CryptoKey or as a JWK', async () => {
    const token = await rsSign(operatorClaims());
    const common = { algorithms: ['RS256'], issuer, audience, now: clock } as const;

    const fromCryptoKey = createJwtVerifier({ ...common, publicKey: rsaKeys.publicKey });
    const fromJwk = createJwtVerifier({ ...common, publicKey: rsaPublicJwk });

    expect((await fromCryptoKey.verify(token)).userId).toBe('user-1');
    expect((await fromJwk.verify(token)).userId).toBe('user-1');
    expect((await fromJwk.verify(token)).userId).toBe('user-1');
  });

  it('tries every matching JWKS key when the token names no kid (key rotation)', async () => {
    const oldKeys = await generateKeyPair('RS256', { extractable: true });
    const verifier = createJwtVerifier({
      algorithms: ['RS256'],
      jwks: { keys: [await exportJWK(oldKeys.publicKey), await exportJWK(rsaKeys.publicKey)] },
      issuer,
      audience,
      now: clock,
    });

    const principal = await verifier.verify(await rsSign(operatorClaims(), {}));

    expect(principal.userId).toBe('user-1');
  });

  it('accepts an expired exp and a future nbf within the clock tolerance', async () => {
    const token = await signToken(operatorClaims({ exp: nowSeconds - 3, nbf: nowSeconds + 3 }));

    await expect(hsVerifier.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('accepts any of several issuers and audiences', async () => {
    const verifier = createJwtVerifier({
      ...hsOptions,
      issuer: ['https://other.test', issuer],
      audience: ['elsewhere', audience],
    });

    const token = await signToken(operatorClaims({ aud: ['unrelated', audience] }));

    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('reads the principal from custom claim names', async () => {
    const verifier = createJwtVerifier({
      ...hsOptions,
      claims: {
        userId: 'uid',
        workspaceId: 'ws',
        email: 'mail',
        role: 'permission',
        name: 'displayName',
      },
    });
    const token = await signToken(
      operatorClaims({
        sub: undefined,
        workspaceId: undefined,
        email: undefined,
        role: undefined,
        uid: 'user-9',
        ws: 'workspace-9',
        mail: 'grace@example.com',
        permission: 'admin',
        name: 'Not this one',
        displayName: 'Grace Hopper',
      }),
    );

    expect(await verifier.verify(token)).toEqual({
      kind: 'operator',
      userId: 'user-9',
      workspaceId: 'workspace-9',
      email: 'grace@example.com',
      name: 'Grace Hopper',
      role: 'admin',
    });
  });

  it('reads the display name from the name claim, and refuses one that is not a string', async () => {
    const named = await hsVerifier.verify(await signToken(operatorClaims({ name: 'Ada' })));
    expect(named.name).toBe('Ada');

    const error = await hsVerifier
      .verify(await signToken(operatorClaims({ name: 42 })))
      .catch((caught: unknown) => caught as ParleyError);
    expect(error).toMatchObject({ code: 'unauthenticated', reason: 'claim_invalid' });
    expect((error as ParleyError).details).toEqual({ claim: 'name' });
  });

  it('applies the default role, read unless configured, when the role claim is absent', async () => {
    const token = await signToken(operatorClaims({ role: undefined, email: undefined }));
    const writerByDefault = createJwtVerifier({ ...hsOptions, defaultRole: 'write' });

    expect(await hsVerifier.verify(token)).toMatchObject({ role: 'read', email: null });
    expect(await writerByDefault.verify(token)).toMatchObject({ role: 'write' });
  });

  it('treats a null email as absent', async () => {
    const token = await signToken(operatorClaims({ email: null }));

    expect(await hsVerifier.verify(token)).toMatchObject({ email: null });
  });

  it('accepts a token for the expected workspace', async () => {
    const token = await signToken(operatorClaims());

    await expect(
      hsVerifier.verify(token, { expectedWorkspaceId: 'workspace-1' }),
    ).resolves.toMatchObject({ workspaceId: 'workspace-1' });
  });
});

describe('createJwtVerifier: attacks', () => {
  it('refuses an unsigned token (alg none)', async () => {
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(operatorClaims())}.`;

    await expectRejection(hsVerifier.verify(token), 'unauthenticated', 'algorithm_not_allowed');
    await expectRejection(rsVerifier.verify(token), 'unauthenticated', 'algorithm_not_allowed');
  });

  it('refuses an HS256 token when RS256 is pinned', async () => {
    const token = await signToken(operatorClaims());

    await expectRejection(rsVerifier.verify(token), 'unauthenticated', 'algorithm_not_allowed');
  });

  it('refuses an RS256 token when HS256 is pinned', async () => {
    const token = await rsSign(operatorClaims());

    await expectRejection(hsVerifier.verify(token), 'unauthenticated', 'algorithm_not_allowed');
  });

  it('refuses the classic confusion: an HS256 token keyed with the RSA public key PEM', async () => {
    const publicKeyPem = await exportSPKI(rsaKeys.publicKey);
    const token = await signToken(operatorClaims({ role: 'admin' }), {
      key: new TextEncoder().encode(publicKeyPem),
      header: { kid: 'key-1' },
    });
    const withPublicKey = createJwtVerifier({
      algorithms: ['RS256'],
      publicKey: rsaKeys.publicKey,
      issuer,
      audience,
      now: clock,
    });

    await expectRejection(rsVerifier.verify(token), 'unauthenticated', 'algorithm_not_allowed');
    await expectRejection(withPublicKey.verify(token), 'unauthenticated', 'algorithm_not_allowed');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signToken(operatorClaims(), {
      key: new TextEncoder().encode('another-secret-of-at-least-32-bytes!!'),
    });

    await expectRejection(hsVerifier.verify(token), 'unauthenticated', 'signature_invalid');
  });

  it('refuses a tampered payload that keeps the original signature', async () => {
    const [header, , signature] = (await signToken(operatorClaims())).split('.');
    const tampered = `${header}.${base64url(operatorClaims({ role: 'admin' }))}.${signature}`;

    await expectRejection(hsVerifier.verify(tampered), 'unauthenticated', 'signature_invalid');
  });

  it('refuses a token signed by another RSA key that claims a trusted kid', async () => {
    const attacker = await generateKeyPair('RS256');
    const token = await signToken(operatorClaims(), {
      algorithm: 'RS256',
      key: attacker.privateKey,
      header: { kid: 'key-1' },
    });

    await expectRejection(rsVerifier.verify(token), 'unauthenticated', 'signature_invalid');
  });

  it('ignores a public key embedded in the token header (jwk)', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const token = await signToken(operatorClaims(), {
      algorithm: 'RS256',
      key: attacker.privateKey,
      header: { kid: 'key-1', jwk: await exportJWK(attacker.publicKey) },
    });

    await expectRejection(rsVerifier.verify(token), 'unauthenticated', 'signature_invalid');
  });

  it('refuses a token without kid that none of several matching JWKS keys verifies', async () => {
    const [first, second, attacker] = await Promise.all([
      generateKeyPair('RS256', { extractable: true }),
      generateKeyPair('RS256', { extractable: true }),
      generateKeyPair('RS256'),
    ]);
    const verifier = createJwtVerifier({
      algorithms: ['RS256'],
      jwks: { keys: [await exportJWK(first.publicKey), await exportJWK(second.publicKey)] },
      issuer,
      audience,
      now: clock,
    });
    const token = await signToken(operatorClaims(), {
      algorithm: 'RS256',
      key: attacker.privateKey,
    });

    await expectRejection(verifier.verify(token), 'unauthenticated', 'signature_invalid');
  });

  it('refuses a token whose kid is not in the JWKS', async () => {
    const token = await rsSign(operatorClaims(), { kid: 'unknown-key' });

    const error = await expectRejection(
      rsVerifier.verify(token),
      'unauthenticated',
      'key_not_found',
    );
    expect(error.retryable).toBe(false);
  });

  it('refuses a token whose algorithm the single configured key cannot verify', async () => {
    const ecKeys = await generateKeyPair('ES256');
    const verifier = createJwtVerifier({
      algorithms: ['RS256', 'ES256'],
      publicKey: rsaKeys.publicKey,
      issuer,
      audience,
      now: clock,
    });
    const token = await signToken(operatorClaims(), { algorithm: 'ES256', key: ecKeys.privateKey });

    await expectRejection(verifier.verify(token), 'unauthenticated', 'key_not_found');
  });
});

describe('createJwtVerifier: registered claims and time', () => {
  it('refuses a token without an expiry, which would be valid forever', async () => {
    const token = await signToken(operatorClaims({ exp: undefined }));

    const error = await expectRejection(
      hsVerifier.verify(token),
      'unauthenticated',
      'claim_missing',
    );
    expect(error.details).toEqual({ claim: 'exp' });
  });

  it('refuses a token from another issuer', async () => {
    const token = await signToken(operatorClaims({ iss: 'https://evil.test' }));

    const error = await expectRejection(
      hsVerifier.verify(token),
      'unauthenticated',
      'issuer_invalid',
    );
    expect(error.details).toEqual({ claim: 'iss' });
  });

  it('refuses a token without an issuer', async () => {
    const token = await signToken(operatorClaims({ iss: undefined }));

    const error = await expectRejection(
      hsVerifier.verify(token),
      'unauthenticated',
      'claim_missing',
    );
    expect(error.details).toEqual({ claim: 'iss' });
  });

  it('refuses a token for another audience', async () => {
    const token = await signToken(operatorClaims({ aud: 'someone-else' }));

    await expectRejection(hsVerifier.verify(token), 'unauthenticated', 'audience_invalid');
  });

  it('refuses an expired token', async () => {
    const token = await signToken(operatorClaims({ exp: nowSeconds - 60 }));

    const error = await expectRejection(
      hsVerifier.verify(token),
      'unauthenticated',
      'token_expired',
    );
    expect(error.message).toBe('Token rejected: the token has expired');
    expect(error.cause).toBeInstanceOf(errors.JWTExpired);
  });

  it('refuses a token whose nbf is in the future beyond the tolerance', async () => {
    const token = await signToken(operatorClaims({ nbf: nowSeconds + 60 }));

    await expectRejection(hsVerifier.verify(token), 'unauthenticated', 'token_not_yet_valid');
  });

  it('honours a custom clock tolerance', async () => {
    const strict = createJwtVerifier({ ...hsOptions, clockToleranceSeconds: 0 });
    const lenient = createJwtVerifier({ ...hsOptions, clockToleranceSeconds: 120 });
    const token = await signToken(operatorClaims({ exp: nowSeconds - 60 }));

    await expectRejection(strict.verify(token), 'unauthenticated', 'token_expired');
    await expect(lenient.verify(token)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('refuses a token issued longer ago than maxTokenAgeSeconds, even if not expired', async () => {
    const verifier = createJwtVerifier({ ...hsOptions, maxTokenAgeSeconds: 600 });
    const token = await signToken(operatorClaims({ iat: nowSeconds - 3600, exp: nowSeconds + 60 }));

    const error = await expectRejection(verifier.verify(token), 'unauthenticated', 'token_too_old');
    expect(error.details).toEqual({ claim: 'iat' });
  });

  it('refuses a token without iat when maxTokenAgeSeconds is set', async () => {
    const verifier = createJwtVerifier({ ...hsOptions, maxTokenAgeSeconds: 600 });
    const token = await signToken(operatorClaims({ iat: undefined }));

    const error = await expectRejection(verifier.verify(token), 'unauthenticated', 'claim_missing');
    expect(error.details).toEqual({ claim: 'iat' });
  });

  it('refuses a token issued in the future when maxTokenAgeSeconds is set', async () => {
    const verifier = createJwtVerifier({ ...hsOptions, maxTokenAgeSeconds: 600 });
    const token = await signToken(operatorClaims({ iat: nowSeconds + 3600 }));

    await expectRejection(verifier.verify(token), 'unauthenticated', 'token_not_yet_valid');
  });

  it('refuses a token older than one hour by default, whatever its exp says', async () => {
    const verifier = createJwtVerifier(hsOptions);
    const monthOld = await signToken(
      operatorClaims({ iat: nowSeconds - 30 * 24 * 3600, exp: nowSeconds + 3600 }),
    );
    const justUnderAnHour = await signToken(
      operatorClaims({ iat: nowSeconds - defaultMaxTokenAgeSeconds + 30, exp: nowSeconds + 60 }),
    );

    expect(defaultMaxTokenAgeSeconds).toBe(3600);
    await expectRejection(verifier.verify(monthOld), 'unauthenticated', 'token_too_old');
    await expect(verifier.verify(justUnderAnHour)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it('requires iat by default', async () => {
    const token = await signToken(operatorClaims({ iat: undefined }));

    const error = await expectRejection(
      createJwtVerifier(hsOptions).verify(token),
      'unauthenticated',
      'claim_missing',
    );
    expect(error.details).toEqual({ claim: 'iat' });
  });

  it('accepts tokens of any age, and without iat, only when the check is turned off explicitly', async () => {
    const verifier = createJwtVerifier({ ...hsOptions, maxTokenAgeSeconds: false });
    const monthOld = await signToken(
      operatorClaims({ iat: nowSeconds - 30 * 24 * 3600, exp: nowSeconds + 3600 }),
    );
    const withoutIat = await signToken(operatorClaims({ iat: undefined }));

    await expect(verifier.verify(monthOld)).resolves.toMatchObject({ userId: 'user-1' });
    await expect(verifier.verify(withoutIat)).resolves.toMatchObject({ userId: 'user-1' });
  });

  it.each([0, -5, Number.POSITIVE_INFINITY, true])(
    'refuses maxTokenAgeSeconds %s at creation, naming the option',
    (value) => {
      expect(() =>
        createJwtVerifier({ ...hsOptions, maxTokenAgeSeconds: value as number }),
      ).toThrow(/maxTokenAgeSeconds/);
    },
  );

  it('refuses a token whose exp is not a number', async () => {
    const token = await signToken(operatorClaims({ exp: 'tomorrow' }));

    const error = await expectRejection(
      hsVerifier.verify(token),
      'unauthenticated',
      'claim_invalid',
    );
    expect(error.details).toEqual({ claim: 'exp' });
  });
});

describe('createJwtVerifier: operator claims', () => {
  it.each([
    ['sub', 'claim_missing', { sub: undefined }],
    ['workspaceId', 'claim_missing', { workspaceId: undefined }],
    ['workspaceId', 'claim_missing', { workspaceId: null }],
    ['workspaceId', 'claim_invalid', { workspaceId: 42 }],
    ['workspaceId', 'claim_invalid', { workspaceId: '' }],
    ['email', 'claim_invalid', { email: 42 }],
    ['role', 'claim_invalid', { role: 'owner' }],
    ['role', 'claim_invalid', { role: ['admin'] }],
  ] as const)('names the %s claim in a %s refusal (%o)', async (claim, reason, overrides) => {
    const token = await signToken(operatorClaims(overrides));

    const error = await expectRejection(hsVerifier.verify(token), 'unauthenticated', reason);
    expect(error.details).toEqual({ claim });
    expect(error.message).toContain(`"${claim}"`);
  });

  it('names the custom claim that is missing', async () => {
    const verifier = createJwtVerifier({ ...hsOptions, claims: { workspaceId: 'ws' } });
    const token = await signToken(operatorClaims());

    const error = await expectRejection(verifier.verify(token), 'unauthenticated', 'claim_missing');
    expect(error.details).toEqual({ claim: 'ws' });
  });

  it('forbids a token for another workspace than the expected one', async () => {
    const token = await signToken(operatorClaims({ workspaceId: 'workspace-2' }));

    const error = await expectRejection(
      hsVerifier.verify(token, { expectedWorkspaceId: 'workspace-1' }),
      'forbidden',
      'workspace_mismatch',
    );
    expect(error.httpStatus).toBe(403);
  });
});

describe('createJwtVerifier: malformed tokens', () => {
  it.each([
    ['abc', 'abc'],
    ['an empty string', ''],
    ['three dots', '...'],
    ['two dots', '..'],
    ['four segments', 'a.b.c.d'],
    ['a header that is not JSON', `${Buffer.from('nope').toString('base64url')}.e30.c2ln`],
  ])('refuses %s', async (_name, token) => {
    await expectRejection(hsVerifier.verify(token), 'unauthenticated', 'token_malformed');
  });

  it('refuses a correctly signed token with an unknown critical header extension', async () => {
    const signingInput = `${base64url({ alg: 'HS256', crit: ['x-unknown'], 'x-unknown': 1 })}.${base64url(operatorClaims())}`;
    const signature = createHmac('sha256', secretBytes).update(signingInput).digest('base64url');

    await expectRejection(
      hsVerifier.verify(`${signingInput}.${signature}`),
      'unauthenticated',
      'token_malformed',
    );
  });

  it('refuses a signed payload that is not a JSON object', async () => {
    const token = await new CompactSign(new TextEncoder().encode('[1,2,3]'))
      .setProtectedHeader({ alg: 'HS256' })
      .sign(secretBytes);

    await expectRejection(hsVerifier.verify(token), 'unauthenticated', 'token_malformed');
  });

  it('refuses a token that is not a string', async () => {
    const notAString = 42 as unknown as string;

    await expectRejection(hsVerifier.verify(notAString), 'unauthenticated', 'token_malformed');
  });
});

describe('createJwtVerifier: verifyRequest', () => {
  const requestWith = (authorization?: string) =>
    new Request('https://parley.test/v1/sessions', {
      headers: authorization === undefined ? {} : { authorization },
    });

  it('verifies a bearer token from the Authorization header, scheme case-insensitive', async () => {
    const token = await signToken(operatorClaims());

    await expect(hsVerifier.verifyRequest(requestWith(`Bearer ${token}`))).resolves.toMatchObject({
      userId: 'user-1',
    });
    await expect(hsVerifier.verifyRequest(requestWith(`bearer  ${token} `))).resolves.toMatchObject(
      { userId: 'user-1' },
    );
    await expect(
      hsVerifier.verifyRequest(new Headers({ Authorization: `Bearer ${token}` })),
    ).resolves.toMatchObject({ userId: 'user-1' });
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['the Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['a bare token without a scheme', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln'],
    ['Bearer without a token', 'Bearer'],
    ['Bearer followed by spaces', 'Bearer    '],
  ])('answers token_missing for %s', async (_name, authorization) => {
    await expectRejection(
      hsVerifier.verifyRequest(requestWith(authorization)),
      'unauthenticated',
      'token_missing',
    );
  });

  it('refuses a Bearer value with several tokens as malformed', async () => {
    await expectRejection(
      hsVerifier.verifyRequest(requestWith('Bearer a.b.c d.e.f')),
      'unauthenticated',
      'token_malformed',
    );
  });

  it('passes the expected workspace on', async () => {
    const token = await signToken(operatorClaims());

    await expectRejection(
      hsVerifier.verifyRequest(requestWith(`Bearer ${token}`), {
        expectedWorkspaceId: 'workspace-2',
      }),
      'forbidden',
      'workspace_mismatch',
    );
  });
});

describe('createJwtVerifier: remote JWKS over HTTP', () => {
  let server: Server;
  let baseUrl: string;
  let keySetRequests = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/jwks.json') {
        keySetRequests += 1;
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ keys: [rsaPublicJwk] }));
      } else if (request.url === '/broken.json') {
        response.statusCode = 500;
        response.end('upstream exploded');
      }
      // Any other path never answers, to exercise the fetch timeout.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  });

  const remoteVerifier = (path: string, timeoutMs?: number) =>
    createJwtVerifier({
      algorithms: ['RS256'],
      jwks: { url: `${baseUrl}${path}`, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
      issuer,
      audience,
      now: clock,
    });

  it('verifies a valid token with keys fetched once and then cached', async () => {
    const verifier = remoteVerifier('/jwks.json');
    const token = await rsSign(operatorClaims());
    const requestsBefore = keySetRequests;

    expect((await verifier.verify(token)).userId).toBe('user-1');
    expect((await verifier.verify(token)).userId).toBe('user-1');
    expect(keySetRequests - requestsBefore).toBe(1);
  });

  it('refuses an unknown kid as key_not_found, not retryable', async () => {
    const token = await rsSign(operatorClaims(), { kid: 'unknown-key' });

    const error = await expectRejection(
      remoteVerifier('/jwks.json').verify(token),
      'unauthenticated',
      'key_not_found',
    );
    expect(error.retryable).toBe(false);
  });

  it('reports a key set answering 500 as a retryable key_not_found', async () => {
    const token = await rsSign(operatorClaims());

    const error = await expectRejection(
      remoteVerifier('/broken.json').verify(token),
      'unauthenticated',
      'key_not_found',
    );
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Token rejected: the verification keys could not be loaded');
  });

  it('reports a key set that does not answer in time as a retryable key_not_found', async () => {
    const token = await rsSign(operatorClaims());

    const error = await expectRejection(
      remoteVerifier('/silent.json', 100).verify(token),
      'unauthenticated',
      'key_not_found',
    );
    expect(error.retryable).toBe(true);
    expect(error.cause).toBeInstanceOf(errors.JWKSTimeout);
  });
});

describe('createJwtVerifier: construction refusals', () => {
  it.each<[string, string, Partial<JwtVerifierOptions> & Record<string, unknown>]>([
    ['empty algorithms', 'algorithms', { algorithms: [] }],
    ['an unknown algorithm (none)', 'algorithms', { algorithms: ['none' as 'HS256'] }],
    ['HS256 without a secret', 'secret', { secret: undefined }],
    ['a secret shorter than 32 bytes', 'secret', { secret: 'x'.repeat(31) }],
    ['a short secret given as bytes', 'secret', { secret: new Uint8Array(16) }],
    ['HS256 mixed with RS256', 'algorithms', { algorithms: ['HS256', 'RS256'] }],
    ['RS256 without a key', 'jwks', { algorithms: ['RS256'], secret: undefined }],
    ['a secret next to RS256', 'secret', { algorithms: ['RS256'], jwks: { keys: [] } }],
    ['a JWKS next to HS256', 'jwks', { jwks: { keys: [] } }],
    [
      'a JWKS URL that is not http(s)',
      'jwks',
      { algorithms: ['RS256'], secret: undefined, jwks: { url: 'file:///etc/keys' } },
    ],
    [
      'a private JWK as the public key',
      'publicKey',
      {
        algorithms: ['RS256'],
        secret: undefined,
        publicKey: { kty: 'RSA', n: 'x', e: 'AQAB', d: 'secret' },
      },
    ],
    [
      'a symmetric JWK as the public key',
      'publicKey',
      { algorithms: ['RS256'], secret: undefined, publicKey: { kty: 'oct', k: 'abc' } },
    ],
    ['no issuer', 'issuer', { issuer: undefined as unknown as string }],
    ['an empty audience list', 'audience', { audience: [] }],
    ['a negative clock tolerance', 'clockToleranceSeconds', { clockToleranceSeconds: -1 }],
    ['a misspelled option', 'audiences', { audiences: ['parley'] }],
  ])('refuses %s, naming %s', (_name, option, overrides) => {
    const error = constructionError({ ...hsOptions, ...overrides } as JwtVerifierOptions);

    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain(option);
    expect(error.message).not.toContain(secret);
  });

  it('refuses a private CryptoKey as the public key', () => {
    const error = constructionError({
      algorithms: ['RS256'],
      publicKey: rsaKeys.privateKey,
      issuer,
      audience,
    });

    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('publicKey');
  });

  it('refuses a JWKS and a public key together', () => {
    const error = constructionError({
      algorithms: ['RS256'],
      jwks: { keys: [rsaPublicJwk] },
      publicKey: rsaKeys.publicKey,
      issuer,
      audience,
    });

    expect(error.message).toContain('publicKey');
  });

  it('refuses a malformed local key set', () => {
    const error = constructionError({
      algorithms: ['RS256'],
      jwks: { keys: 'not a list' as unknown as JWK[] },
      issuer,
      audience,
    });

    expect(error.message).toContain('jwks');
  });
});

describe('createJwtVerifier: what a refusal carries', () => {
  it('never includes the token or the secret in the message or the JSON sent to clients', async () => {
    const tokens = [
      await signToken(operatorClaims({ workspaceId: 42 })),
      await signToken(operatorClaims({ exp: nowSeconds - 60 })),
      await signToken(operatorClaims({ workspaceId: 'workspace-2' })),
    ];

    for (const token of tokens) {
      const error = await rejectionOf(hsVerifier.verify(token, { expectedWorkspaceId: 'w' }));
      const visible = `${error.message} ${JSON.stringify(error.toJSON())}`;
      expect(visible).not.toContain(token);
      expect(visible).not.toContain(token.split('.')[2]);
      expect(visible).not.toContain(secret);
    }
  });

  it('gives every refusal a reason from tokenRejectionReasons', async () => {
    const error = await rejectionOf(hsVerifier.verify('abc'));

    expect(tokenRejectionReasons).toContain(error.reason);
  });
});

describe('createJwtVerifier: describe', () => {
  it('says what it checks and where its keys come from, never the secret, the keys or a query', () => {
    const described = hsVerifier.describe();
    expect(described).toEqual({
      algorithms: ['HS256'],
      issuers: [issuer],
      audiences: [audience],
      maxTokenAgeSeconds: defaultMaxTokenAgeSeconds,
      keys: { source: 'secret' },
    });
    expect(JSON.stringify(described)).not.toContain(secret);
    expect(rsVerifier.describe().keys).toEqual({ source: 'local_jwks' });
    const remote = createJwtVerifier({
      algorithms: ['ES256'],
      jwks: { url: 'https://sim.example.com/.well-known/jwks.json?token=hidden' },
      issuer: ['sim', 'sim-staging'],
      audience,
      maxTokenAgeSeconds: false,
    });
    expect(remote.describe()).toMatchObject({
      issuers: ['sim', 'sim-staging'],
      maxTokenAgeSeconds: false,
      keys: { source: 'remote_jwks', url: 'https://sim.example.com/.well-known/jwks.json' },
    });
  });
});

describe('public types', () => {
  it('lists every rejection reason exactly', () => {
    expectTypeOf<(typeof tokenRejectionReasons)[number]>().toEqualTypeOf<TokenRejectionReason>();
    expect(new Set(tokenRejectionReasons).size).toBe(tokenRejectionReasons.length);
  });

  it('resolves verify and verifyRequest to a Principal', () => {
    expectTypeOf<JwtVerifier['verify']>().returns.resolves.toEqualTypeOf<Principal>();
    expectTypeOf<JwtVerifier['verifyRequest']>().returns.resolves.toEqualTypeOf<Principal>();
  });
});
