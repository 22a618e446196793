import { ParleyError } from '@parley/core';
import { errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';

const algorithm = 'HS256';
const audience = 'parley-identity';
const secretPrefix = 'sk_';

/**
 * Claims a site puts in an identity token: `sub` is its own id of the visitor (stored as the
 * customer's `externalId`); `name` and `email` fill the customer's profile when it is new.
 */
const claimsSchema = z.object({
  sub: z.string().trim().min(1).max(256),
  name: z.string().trim().min(1).max(200).optional(),
  email: z.email().max(320).optional(),
});

/** Who an identity token says the visitor is. */
export interface VerifiedIdentity {
  externalId: string;
  name?: string;
  email?: string;
}

/**
 * Identity tokens let a site that knows its visitor (a signed-in user) say so: it signs a
 * short JWT with the agent key's identity secret, the widget passes it when it opens a
 * session, and the visitor gets their own customer record and their history back.
 */
export interface IdentityTokens {
  /** The identity secret of an agent key (`sk_…`): shown to the operator who issues the key. */
  secretFor(agentKeyId: string): Promise<string>;
  /** The identity a token signed with `agentKeyId`'s secret vouches for; any doubt is a 401. */
  verify(token: string, agentKeyId: string): Promise<VerifiedIdentity>;
}

/** Options of {@link createIdentityTokens}. */
export interface IdentityTokenOptions {
  /** The handler's customer-token secret; identity secrets are derived from it. */
  secret: Uint8Array;
  /** Oldest an identity token may be (now − `iat`), default 1 hour: sites sign one per page view. */
  maxTokenAgeSeconds?: number;
  now?: () => Date;
}

function base64Url(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString('base64url');
}

/**
 * Identity secrets are derived (HMAC-SHA256 of the handler's secret over the key's id), not
 * stored: nothing secret sits in the database, every instance derives the same one, and
 * revoking the agent key retires its identity secret with it. Rotating the handler's secret
 * rotates every identity secret.
 */
export function createIdentityTokens(options: IdentityTokenOptions): IdentityTokens {
  const maxTokenAgeSeconds = options.maxTokenAgeSeconds ?? 3600;
  const now = options.now ?? (() => new Date());
  const derivationKey = globalThis.crypto.subtle.importKey(
    'raw',
    options.secret as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  async function secretFor(agentKeyId: string): Promise<string> {
    const derived = await globalThis.crypto.subtle.sign(
      'HMAC',
      await derivationKey,
      new TextEncoder().encode(`parley identity secret:${agentKeyId}`),
    );
    return `${secretPrefix}${base64Url(derived)}`;
  }
  return {
    secretFor,
    async verify(token, agentKeyId) {
      const key = new TextEncoder().encode(await secretFor(agentKeyId));
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: [algorithm],
          audience,
          currentDate: now(),
          clockTolerance: 5,
          requiredClaims: ['sub', 'iat', 'exp'],
          maxTokenAge: maxTokenAgeSeconds,
        }));
      } catch (error) {
        const expired = error instanceof errors.JWTExpired;
        throw new ParleyError(
          'unauthenticated',
          expired
            ? 'The identity token has expired'
            : 'The identity token is invalid for this agent key',
          { reason: expired ? 'identity_token_expired' : 'identity_token_invalid', cause: error },
        );
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) {
        throw new ParleyError('unauthenticated', 'The identity token has invalid claims', {
          reason: 'identity_claim_invalid',
        });
      }
      return {
        externalId: claims.data.sub,
        ...(claims.data.name ? { name: claims.data.name } : {}),
        ...(claims.data.email ? { email: claims.data.email } : {}),
      };
    },
  };
}

/**
 * Signs an identity token on the site's server (never in the browser: the identity secret
 * must stay on the server). The token vouches for `externalId` for `ttlSeconds` (default 10
 * minutes); pass it to the widget, which sends it when it opens a session.
 */
export async function signIdentityToken(options: {
  /** The agent key's identity secret (`sk_…`), shown when the key was issued. */
  identitySecret: string;
  /** The site's own id of the visitor. */
  externalId: string;
  name?: string;
  email?: string;
  ttlSeconds?: number;
  now?: Date;
}): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    ...(options.name ? { name: options.name } : {}),
    ...(options.email ? { email: options.email } : {}),
  })
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(options.externalId)
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (options.ttlSeconds ?? 600))
    .sign(new TextEncoder().encode(options.identitySecret));
}
