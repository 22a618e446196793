import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
  type KeyObject,
} from 'jose';
import { z } from 'zod';
import { ParleyError, toParleyError, validationError } from '../errors/parley-error';
import { type OperatorRole, operatorRoleSchema, type Principal } from './principal';
import type { TokenRejectionReason } from './token-rejection-reason';

/** Every JWS algorithm a verifier can pin, as named in a token's `alg` header. */
export const jwtAlgorithms = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/**
 * A JWS algorithm a verifier can pin. `HS*` are symmetric (a shared secret); the others are
 * asymmetric (RSA PKCS#1, RSA-PSS, ECDSA, Ed25519), verified with a public key.
 */
export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

/** Where a verifier finds its public keys: a JWKS URL it fetches and caches, or a fixed set. */
export type JwtVerifierKeySet =
  | {
      /** The JWKS endpoint, e.g. `https://sim.example.com/.well-known/jwks.json`. */
      url: string | URL;
      /** How long a fetched key set is trusted before it is fetched again; default 10 minutes. */
      cacheMaxAgeMs?: number;
      /** How long one fetch may take before the token is refused as retryable; default 5 s. */
      timeoutMs?: number;
    }
  | {
      /** The public keys, as a JWKS document's `keys`. */
      keys: JSONWebKeySet['keys'];
    };

/** Names of the claims a {@link Principal} is read from. */
export interface JwtClaimNames {
  /** The claim holding the operator's user id; default `sub`. */
  userId: string;
  /** The claim holding the workspace id; default `workspaceId`. */
  workspaceId: string;
  /** The claim holding the operator's email; default `email`. */
  email: string;
  /** The claim holding the operator's role; default `role`. */
  role: string;
  /** The claim holding the operator's display name; default `name`. */
  name: string;
}

/** Options of {@link createJwtVerifier}. */
export interface JwtVerifierOptions {
  /**
   * The algorithms a token may be signed with, pinned so that the token's own `alg` header never
   * chooses how it is checked. Required, non-empty. `HS*` algorithms require `secret`;
   * asymmetric ones (`RS*`, `PS*`, `ES*`, `EdDSA`) require `jwks` or `publicKey`. Mixing
   * symmetric and asymmetric algorithms in one verifier is refused, because that mix is what
   * algorithm-confusion attacks exploit (an HMAC keyed with the public key).
   */
  algorithms: readonly JwtAlgorithm[];
  /** The shared secret for `HS*`, at least 32 bytes; a string is UTF-8 encoded. */
  secret?: string | Uint8Array;
  /** The public keys for asymmetric algorithms: a remote JWKS URL or a local key set. */
  jwks?: JwtVerifierKeySet;
  /** A single public key for asymmetric algorithms; a JWK is imported once per algorithm. */
  publicKey?: CryptoKey | KeyObject | JWK;
  /** The accepted `iss` value (or values). Required. */
  issuer: string | readonly string[];
  /** The accepted `aud` value (or values); the token must name at least one. Required. */
  audience: string | readonly string[];
  /** Clock skew allowed on `exp`, `nbf` and `iat`, in seconds; default 5. */
  clockToleranceSeconds?: number;
  /**
   * The oldest a token may be, measured from its `iat`, in seconds; default
   * {@link defaultMaxTokenAgeSeconds} (one hour). `iat` is then required, and an older token is
   * refused with `token_too_old` whatever its `exp` says, so a leaked token with a far-off
   * expiry is not good for ever. `false` turns the check off: an explicit choice, for issuers
   * that cannot write `iat` (the token's `exp` alone then bounds it).
   */
  maxTokenAgeSeconds?: number | false;
  /** Claim names to read the principal from, for issuers that use other names. */
  claims?: Partial<JwtClaimNames>;
  /** The role of a token without a role claim; default `read` (least privilege). */
  defaultRole?: OperatorRole;
  /** The current time, injectable for tests; default the system clock. */
  now?: () => Date;
}

/** Options of one verification. */
export interface JwtVerifyOptions {
  /**
   * The workspace being accessed, e.g. from the request path. A token naming another workspace
   * is refused with `forbidden` and reason `workspace_mismatch`.
   */
  expectedWorkspaceId?: string;
}

/**
 * Verifies operator tokens and turns them into a {@link Principal}.
 *
 * Every refusal is a ParleyError whose `reason` is a {@link TokenRejectionReason}: code
 * `unauthenticated`, except `workspace_mismatch` which is `forbidden`. A `key_not_found`
 * refusal caused by a key set that could not be fetched or parsed (network failure, timeout,
 * non-200 answer) is marked `retryable`: the token may well be valid, the keys were not there.
 * Details name the claim at fault (`{ claim: 'workspaceId' }`) and never carry the token or the
 * secret; the underlying jose error, if any, is kept as `cause` for logs. A failure that is
 * no verdict on the token (a `now` option returning an invalid date) is an `internal` error.
 */
export interface JwtVerifier {
  /**
   * Verifies a compact JWS (signature, algorithm, issuer, audience, times) and maps its claims to
   * a {@link Principal}. When `expectedWorkspaceId` is given and the token names another
   * workspace, rejects with reason `workspace_mismatch`.
   */
  verify(token: string, options?: JwtVerifyOptions): Promise<Principal>;
  /**
   * Reads `Authorization: Bearer <token>` from a request (or its headers) and verifies the token.
   * A missing header, another scheme or an empty token is refused with `token_missing`.
   */
  verifyRequest(request: Request | Headers, options?: JwtVerifyOptions): Promise<Principal>;
  /** What the verifier checks, for the auth health: never the secret or the keys themselves. */
  describe(): JwtVerifierDescription;
}

/** A verifier's configuration as the auth health shows it; see {@link JwtVerifier.describe}. */
export interface JwtVerifierDescription {
  algorithms: JwtAlgorithm[];
  issuers: string[];
  audiences: string[];
  /** `false` when the age check is off. */
  maxTokenAgeSeconds: number | false;
  /**
   * Where the keys come from: a shared secret, a remote JWKS (its address, without query), a
   * local set or one key.
   */
  keys:
    | { source: 'secret' }
    | { source: 'remote_jwks'; url: string }
    | { source: 'local_jwks' | 'public_key' };
}

/** The maximum token age when `maxTokenAgeSeconds` is not given: one hour. */
export const defaultMaxTokenAgeSeconds = 3600;

/** Shortest shared secret accepted: 256 bits, the output size of HS256. */
const minimumSecretBytes = 32;

const defaultClaimNames: JwtClaimNames = {
  userId: 'sub',
  workspaceId: 'workspaceId',
  email: 'email',
  role: 'role',
  name: 'name',
};

const isSymmetric = (algorithm: JwtAlgorithm): boolean => algorithm.startsWith('HS');

const hasTag = (value: unknown, tag: string): boolean =>
  typeof value === 'object' &&
  value !== null &&
  (value as { [Symbol.toStringTag]?: unknown })[Symbol.toStringTag] === tag;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * True for a CryptoKey or KeyObject of type `public`, or a JWK without private or symmetric
 * material: a private key would also verify, but has no business in a verifier's memory.
 */
function isPublicKeyInput(value: unknown): boolean {
  if (hasTag(value, 'CryptoKey') || hasTag(value, 'KeyObject')) {
    return (value as { type?: unknown }).type === 'public';
  }
  if (!isPlainObject(value)) return false;
  return (
    typeof value.kty === 'string' &&
    value.kty !== 'oct' &&
    value.d === undefined &&
    value.priv === undefined
  );
}

function isHttpUrl(value: string | URL): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

const nonEmptyStringsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'expected a non-empty string or a non-empty list of non-empty strings',
});
const claimNameSchema = z.string().min(1);

const optionsSchema = z
  .strictObject({
    algorithms: z.array(z.enum(jwtAlgorithms)).min(1),
    secret: z.union([z.string(), z.instanceof(Uint8Array)]).optional(),
    jwks: z
      .union(
        [
          z.strictObject({
            url: z
              .union([z.string(), z.instanceof(URL)])
              .refine(isHttpUrl, 'expected an http(s) URL'),
            cacheMaxAgeMs: z.number().nonnegative().optional(),
            timeoutMs: z.int().nonnegative().optional(),
          }),
          z.strictObject({ keys: z.array(z.custom<JWK>(isPlainObject, 'expected a JWK object')) }),
        ],
        { error: 'expected { url } of a JWKS endpoint or { keys } of a key set' },
      )
      .optional(),
    publicKey: z
      .custom<CryptoKey | KeyObject | JWK>(isPublicKeyInput, {
        message: 'expected a public CryptoKey, KeyObject or JWK (no private or symmetric key)',
      })
      .optional(),
    issuer: nonEmptyStringsSchema,
    audience: nonEmptyStringsSchema,
    clockToleranceSeconds: z.number().nonnegative().default(5),
    maxTokenAgeSeconds: z
      .union([z.number().positive().finite(), z.literal(false)], {
        error: 'expected a positive number of seconds, or false to turn the check off',
      })
      .default(defaultMaxTokenAgeSeconds),
    claims: z
      .strictObject({
        userId: claimNameSchema.optional(),
        workspaceId: claimNameSchema.optional(),
        email: claimNameSchema.optional(),
        role: claimNameSchema.optional(),
        name: claimNameSchema.optional(),
      })
      .optional(),
    defaultRole: operatorRoleSchema.default('read'),
    now: z
      .custom<() => Date>((value) => typeof value === 'function', 'expected a function')
      .optional(),
  })
  .superRefine((options, context) => {
    // An empty list is already reported; checking keys against it would only add noise.
    if (options.algorithms.length === 0) return;
    const symmetric = options.algorithms.filter(isSymmetric);
    const asymmetric = options.algorithms.filter((algorithm) => !isSymmetric(algorithm));
    const refuse = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });

    if (symmetric.length > 0 && asymmetric.length > 0) {
      refuse(
        'algorithms',
        `mixes symmetric (${symmetric.join(', ')}) and asymmetric (${asymmetric.join(', ')}) algorithms; use one verifier per key type`,
      );
      return;
    }
    if (symmetric.length > 0) {
      if (options.secret === undefined) refuse('secret', 'is required for HS* algorithms');
      else if (encodeSecret(options.secret).byteLength < minimumSecretBytes) {
        refuse('secret', `must be at least ${minimumSecretBytes} bytes`);
      }
      if (options.jwks !== undefined) refuse('jwks', 'is only used with asymmetric algorithms');
      if (options.publicKey !== undefined) {
        refuse('publicKey', 'is only used with asymmetric algorithms');
      }
      return;
    }
    if (options.secret !== undefined) refuse('secret', 'is only used with HS* algorithms');
    if (options.jwks === undefined && options.publicKey === undefined) {
      refuse('jwks', 'is required for asymmetric algorithms, unless publicKey is given');
    }
    if (options.jwks !== undefined && options.publicKey !== undefined) {
      refuse('publicKey', 'give either jwks or publicKey, not both');
    }
  });

type ParsedOptions = z.output<typeof optionsSchema>;

function encodeSecret(secret: string | Uint8Array): Uint8Array {
  // Copied so that a caller mutating its buffer later cannot change what we verify with.
  return typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret);
}

const rejectionMessages: Record<TokenRejectionReason, string> = {
  token_missing: 'no bearer token was given',
  token_malformed: 'the token is not a well-formed JWT',
  algorithm_not_allowed: 'the signing algorithm is not allowed',
  signature_invalid: 'the signature is invalid',
  key_not_found: 'no key can verify the token',
  token_expired: 'the token has expired',
  token_not_yet_valid: 'the token is not valid yet',
  token_too_old: 'the token was issued too long ago',
  issuer_invalid: 'the issuer is not accepted',
  audience_invalid: 'the audience is not accepted',
  claim_missing: 'a required claim is missing',
  claim_invalid: 'a claim is invalid',
  workspace_mismatch: 'the token is for another workspace',
};

interface RejectionOptions {
  claim?: string | undefined;
  retryable?: boolean;
  cause?: unknown;
}

/** Builds the one error shape every refusal takes; the message never quotes the token. */
function rejection(reason: TokenRejectionReason, options: RejectionOptions = {}): ParleyError {
  const { claim, retryable = false, cause } = options;
  let message = rejectionMessages[reason];
  if (claim !== undefined && (reason === 'claim_missing' || reason === 'claim_invalid')) {
    message = `the "${claim}" claim is ${reason === 'claim_missing' ? 'missing' : 'invalid'}`;
  }
  if (reason === 'key_not_found' && retryable) {
    message = 'the verification keys could not be loaded';
  }
  return new ParleyError(
    reason === 'workspace_mismatch' ? 'forbidden' : 'unauthenticated',
    `Token rejected: ${message}`,
    {
      reason,
      ...(claim === undefined ? {} : { details: { claim } }),
      retryable,
      cause,
    },
  );
}

const joseErrorCodeOf = (error: unknown): string | undefined =>
  error instanceof errors.JOSEError ? error.code : undefined;

/**
 * Maps a failure of jose's `jwtVerify` to a refusal, by the jose error's `code`:
 *
 * - `ERR_JOSE_ALG_NOT_ALLOWED` → `algorithm_not_allowed`; with algorithms pinned this is also
 *   what `alg: none` and an HS/RS swap produce, before any key is looked at
 * - `ERR_JWS_SIGNATURE_VERIFICATION_FAILED` → `signature_invalid`
 * - `ERR_JWT_EXPIRED` on `exp` → `token_expired`; on `iat` → `token_too_old` (jose reports a
 *   `maxTokenAge` failure as an expiry of `iat`)
 * - `ERR_JWT_CLAIM_VALIDATION_FAILED`: reason `missing` → `claim_missing`; reason `invalid` (a
 *   time claim that is not a number) → `claim_invalid`; a failed check on `iss` →
 *   `issuer_invalid`, on `aud` → `audience_invalid`, on `nbf` or on `iat` (issued in the future,
 *   checked only with a maximum age) → `token_not_yet_valid`
 * - `ERR_JWKS_*` → `key_not_found` (normally already mapped by {@link keySetResolver})
 * - any other jose error → `token_malformed`: `ERR_JWS_INVALID`, `ERR_JWT_INVALID`, and
 *   `ERR_JOSE_NOT_SUPPORTED`, which after pinning only means an unknown `crit` header extension
 * - a `TypeError` thrown by jose once a key is in hand means that key cannot verify the token's
 *   algorithm (an ES256 token against an RSA key, an RSA key under 2048 bits) → `key_not_found`
 * - anything else is not a verdict on the token and becomes an `internal` error.
 */
function rejectionOfVerifyFailure(error: unknown): ParleyError {
  if (ParleyError.isInstance(error)) return error;
  if (!(error instanceof errors.JOSEError)) {
    return error instanceof TypeError
      ? rejection('key_not_found', { cause: error })
      : toParleyError(error);
  }
  const claim =
    error instanceof errors.JWTClaimValidationFailed || error instanceof errors.JWTExpired
      ? error.claim
      : undefined;
  switch (error.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return rejection('algorithm_not_allowed', { cause: error });
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return rejection('signature_invalid', { cause: error });
    case 'ERR_JWT_EXPIRED':
      return rejection(claim === 'iat' ? 'token_too_old' : 'token_expired', {
        claim,
        cause: error,
      });
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return rejection(reasonOfClaimFailure(error as errors.JWTClaimValidationFailed), {
        claim,
        cause: error,
      });
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
    case 'ERR_JWKS_INVALID':
    case 'ERR_JWKS_TIMEOUT':
      return rejection('key_not_found', { cause: error });
    default:
      return rejection('token_malformed', { cause: error });
  }
}

function reasonOfClaimFailure(error: errors.JWTClaimValidationFailed): TokenRejectionReason {
  if (error.reason === 'missing') return 'claim_missing';
  if (error.reason === 'invalid') return 'claim_invalid';
  switch (error.claim) {
    case 'iss':
      return 'issuer_invalid';
    case 'aud':
      return 'audience_invalid';
    case 'nbf':
    case 'iat':
      return 'token_not_yet_valid';
    default:
      return 'claim_invalid';
  }
}

type KeyResolver = JWTVerifyGetKey<CryptoKey | Uint8Array>;

/**
 * Wraps a JWKS so that its failures become refusals before jose sees them: a failure inside
 * key resolution is about the keys, never the token. `ERR_JWKS_MULTIPLE_MATCHING_KEYS` passes
 * through, because its candidates are tried one by one (see `verifySignedClaims`).
 */
function keySetResolver(keySet: KeyResolver, remote: boolean): KeyResolver {
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      const code = joseErrorCodeOf(error);
      if (code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error;
      // An unknown kid is a verdict on the token (jose already re-fetched the set once); any
      // other failure of a remote set (network, timeout, non-200, bad JSON) is an outage.
      throw rejection('key_not_found', {
        retryable: remote && code !== 'ERR_JWKS_NO_MATCHING_KEY',
        cause: error,
      });
    }
  };
}

/**
 * A resolver for one public JWK, imported at most once per algorithm (an RSA JWK may serve
 * RS256 and PS256, which Web Crypto imports as two different keys).
 */
function publicJwkResolver(jwk: JWK): KeyResolver {
  const imported = new Map<string, Promise<CryptoKey>>();
  return async (header) => {
    const algorithm = header.alg;
    try {
      if (jwk.alg !== undefined && jwk.alg !== algorithm) {
        throw new Error(`the key is bound to ${jwk.alg}, the token uses ${algorithm}`);
      }
      let key = imported.get(algorithm);
      if (key === undefined) {
        key = importJWK(jwk, algorithm) as Promise<CryptoKey>;
        imported.set(algorithm, key);
      }
      return await key;
    } catch (error) {
      throw rejection('key_not_found', { cause: error });
    }
  };
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

function createKeyResolver(options: ParsedOptions): KeyResolver {
  if (options.secret !== undefined) {
    const secret = encodeSecret(options.secret);
    return async () => secret;
  }
  if (options.jwks !== undefined) {
    const { jwks } = options;
    try {
      if ('keys' in jwks) return keySetResolver(createLocalJWKSet({ keys: jwks.keys }), false);
      const remoteKeySet = createRemoteJWKSet(new URL(jwks.url), {
        ...(jwks.cacheMaxAgeMs === undefined ? {} : { cacheMaxAge: jwks.cacheMaxAgeMs }),
        ...(jwks.timeoutMs === undefined ? {} : { timeoutDuration: jwks.timeoutMs }),
      });
      return keySetResolver(remoteKeySet, true);
    } catch (error) {
      const reason = messageOf(error);
      throw new ParleyError('validation_failed', `Invalid JWT verifier options: jwks: ${reason}`, {
        details: { issues: [{ path: 'jwks', message: reason }] },
        cause: error,
      });
    }
  }
  // The schema guarantees a public key when there is neither a secret nor a key set.
  const publicKey = options.publicKey!;
  if (hasTag(publicKey, 'CryptoKey') || hasTag(publicKey, 'KeyObject')) {
    return async () => publicKey as CryptoKey | KeyObject;
  }
  // Copied, so that a caller editing its object later cannot change the key we trust.
  return publicJwkResolver({ ...(publicKey as JWK) });
}

/**
 * Tries each key of a JWKS that matched the token's header (several keys and no `kid`, as during
 * a key rotation). The first key whose signature verifies decides; if none does, the token's
 * signature is invalid.
 */
async function verifyWithCandidateKeys(
  token: string,
  multipleKeys: errors.JWKSMultipleMatchingKeys,
  joseOptions: JWTVerifyOptions,
): Promise<JWTPayload> {
  let lastFailure: unknown = multipleKeys;
  for await (const candidate of multipleKeys) {
    try {
      return (await jwtVerify(token, candidate, joseOptions)).payload;
    } catch (error) {
      if (joseErrorCodeOf(error) !== 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') throw error;
      lastFailure = error;
    }
  }
  throw lastFailure;
}

/** Reads a claim, treating `null` like absence: some issuers write `"email": null`. */
function claimValue(payload: JWTPayload, claim: string): unknown {
  return Object.hasOwn(payload, claim) ? (payload[claim] ?? undefined) : undefined;
}

function requiredStringClaim(payload: JWTPayload, claim: string): string {
  const value = claimValue(payload, claim);
  if (value === undefined) throw rejection('claim_missing', { claim });
  if (typeof value !== 'string' || value === '') throw rejection('claim_invalid', { claim });
  return value;
}

/** A claim that may be absent (or `null`), else a non-empty string. */
function optionalStringClaim(payload: JWTPayload, claim: string): string | null {
  const value = claimValue(payload, claim);
  if (value === undefined) return null;
  if (typeof value !== 'string' || value === '') throw rejection('claim_invalid', { claim });
  return value;
}

function principalOfClaims(
  payload: JWTPayload,
  claimNames: JwtClaimNames,
  defaultRole: OperatorRole,
): Principal {
  const userId = requiredStringClaim(payload, claimNames.userId);
  const workspaceId = requiredStringClaim(payload, claimNames.workspaceId);

  const email = optionalStringClaim(payload, claimNames.email);
  const name = optionalStringClaim(payload, claimNames.name);

  const roleClaim = claimValue(payload, claimNames.role);
  const role = roleClaim === undefined ? defaultRole : operatorRoleSchema.safeParse(roleClaim).data;
  if (role === undefined) throw rejection('claim_invalid', { claim: claimNames.role });

  return { kind: 'operator', userId, workspaceId, email, name, role };
}

/**
 * Creates a verifier of operator tokens: JWTs issued by the host app (e.g. Sim) that name a user,
 * the workspace they act in, and their role there.
 *
 * The algorithms are pinned; issuer, audience, an expiry (`exp`) and an issue time (`iat`)
 * are required, and a token older than `maxTokenAgeSeconds` (one hour unless configured) is
 * refused; a token's header never picks the key: HS* tokens are checked with `secret`,
 * asymmetric ones with `jwks` or `publicKey`.
 *
 * @throws ParleyError `validation_failed`, naming the option, when the options are invalid or
 *   unsafe (no algorithms, a secret under 32 bytes, symmetric and asymmetric algorithms mixed,
 *   a missing or misplaced key).
 *
 * @example
 * const verifier = createJwtVerifier({
 *   algorithms: ['HS256'],
 *   secret: process.env.PARLEY_JWT_SECRET,
 *   issuer: 'sim',
 *   audience: 'parley',
 *   maxTokenAgeSeconds: 600,
 * });
 * const principal = await verifier.verifyRequest(request, { expectedWorkspaceId });
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw validationError('JWT verifier options', parsed.error);
  const settings = parsed.data;

  const resolveKey = createKeyResolver(settings);
  const claimNames: JwtClaimNames = {
    userId: settings.claims?.userId ?? defaultClaimNames.userId,
    workspaceId: settings.claims?.workspaceId ?? defaultClaimNames.workspaceId,
    email: settings.claims?.email ?? defaultClaimNames.email,
    role: settings.claims?.role ?? defaultClaimNames.role,
    name: settings.claims?.name ?? defaultClaimNames.name,
  };
  const baseJoseOptions: JWTVerifyOptions = {
    algorithms: [...settings.algorithms],
    issuer: typeof settings.issuer === 'string' ? settings.issuer : [...settings.issuer],
    audience: typeof settings.audience === 'string' ? settings.audience : [...settings.audience],
    clockTolerance: settings.clockToleranceSeconds,
    // A token without an expiry would be valid forever; the issuer must always set one.
    requiredClaims: ['exp'],
    ...(settings.maxTokenAgeSeconds === false ? {} : { maxTokenAge: settings.maxTokenAgeSeconds }),
  };

  function currentJoseOptions(): JWTVerifyOptions {
    if (settings.now === undefined) return baseJoseOptions;
    const currentDate = settings.now();
    // Checked here so that a broken clock is reported as such, not as a refused token.
    if (!(currentDate instanceof Date) || Number.isNaN(currentDate.getTime())) {
      throw new ParleyError('internal', 'JWT verifier: the now() option returned an invalid date');
    }
    return { ...baseJoseOptions, currentDate };
  }

  async function verifySignedClaims(token: string): Promise<JWTPayload> {
    const joseOptions = currentJoseOptions();
    try {
      return (await jwtVerify(token, resolveKey, joseOptions)).payload;
    } catch (error) {
      if (error instanceof errors.JWKSMultipleMatchingKeys) {
        try {
          return await verifyWithCandidateKeys(token, error, joseOptions);
        } catch (candidateError) {
          throw rejectionOfVerifyFailure(candidateError);
        }
      }
      throw rejectionOfVerifyFailure(error);
    }
  }

  async function verify(token: string, verifyOptions: JwtVerifyOptions = {}): Promise<Principal> {
    if (typeof token !== 'string') throw rejection('token_malformed');
    const payload = await verifySignedClaims(token);
    const principal = principalOfClaims(payload, claimNames, settings.defaultRole);
    const { expectedWorkspaceId } = verifyOptions;
    if (expectedWorkspaceId !== undefined && principal.workspaceId !== expectedWorkspaceId) {
      throw rejection('workspace_mismatch', { claim: claimNames.workspaceId });
    }
    return principal;
  }

  async function verifyRequest(
    request: Request | Headers,
    verifyOptions?: JwtVerifyOptions,
  ): Promise<Principal> {
    const headers = 'headers' in request ? request.headers : request;
    const authorization = headers.get('authorization')?.trim() ?? '';
    // The scheme is case-insensitive (RFC 9110 §11.1); the token is one run of non-spaces.
    const [scheme = '', ...credentials] = authorization.split(/\s+/);
    if (scheme.toLowerCase() !== 'bearer' || credentials.length === 0) {
      throw rejection('token_missing');
    }
    if (credentials.length > 1) throw rejection('token_malformed');
    return verify(credentials[0]!, verifyOptions);
  }

  function describe(): JwtVerifierDescription {
    const jwks = settings.jwks as { url?: string | URL } | undefined;
    return {
      algorithms: [...settings.algorithms],
      issuers: typeof settings.issuer === 'string' ? [settings.issuer] : [...settings.issuer],
      audiences:
        typeof settings.audience === 'string' ? [settings.audience] : [...settings.audience],
      maxTokenAgeSeconds: settings.maxTokenAgeSeconds,
      keys:
        settings.secret !== undefined
          ? { source: 'secret' }
          : jwks?.url !== undefined
            ? { source: 'remote_jwks', url: withoutQuery(jwks.url) }
            : jwks !== undefined
              ? { source: 'local_jwks' }
              : { source: 'public_key' },
    };
  }

  return { verify, verifyRequest, describe };
}

/** A URL without its query and credentials: what may be shown of a JWKS endpoint. */
function withoutQuery(url: string | URL): string {
  const parsed = new URL(String(url));
  return `${parsed.origin}${parsed.pathname}`;
}
