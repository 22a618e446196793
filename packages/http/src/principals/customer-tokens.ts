import { ParleyError } from '@parley/core';
import { decodeJwt, errors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import type { CustomerPrincipal } from './principal';

const issuer = 'parley';
const audience = 'parley-customer';
const algorithm = 'HS256';

const claimsSchema = z.object({
  sub: z.string().min(1),
  ws: z.string().min(1),
  aid: z.string().min(1),
  sid: z.string().min(1),
  kid: z.string().min(1),
  exp: z.number(),
});

/** Issues and checks the short-lived tokens that bind a widget visitor to one session. */
export interface CustomerTokens {
  issue(
    claims: Omit<CustomerPrincipal, 'kind' | 'expiresAt'>,
  ): Promise<{ token: string; expiresAt: Date }>;
  /**
   * Whether a token claims to be a customer token (its unverified audience says so): which
   * verifier must judge it. Never a verdict on its own.
   */
  claimsToBeCustomerToken(token: string): boolean;
  /** The principal of a customer token; any doubt is a 401. */
  verify(token: string): Promise<CustomerPrincipal>;
}

/** Options of {@link createCustomerTokens}. */
export interface CustomerTokenOptions {
  /** At least 32 bytes; keep it secret and the same on every instance. */
  secret: string | Uint8Array;
  /** Lifetime of a token; default 24 hours. */
  ttlSeconds?: number;
  now?: () => Date;
}

/**
 * Customer tokens are JWTs signed with HS256 under the handler's own secret, with a fixed
 * issuer and audience, so an operator token (another audience) is never taken for one and
 * one is never taken for an operator token.
 */
export function createCustomerTokens(options: CustomerTokenOptions): CustomerTokens {
  const key =
    typeof options.secret === 'string' ? new TextEncoder().encode(options.secret) : options.secret;
  if (key.byteLength < 32) {
    throw new ParleyError(
      'validation_failed',
      'The customer token secret must be at least 32 bytes',
    );
  }
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const now = options.now ?? (() => new Date());
  return {
    async issue(claims) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiresAt = new Date((issuedAt + ttlSeconds) * 1000);
      const token = await new SignJWT({
        ws: claims.workspaceId,
        aid: claims.agentId,
        sid: claims.sessionId,
        kid: claims.agentKeyId,
      })
        .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
        .setSubject(claims.customerId)
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + ttlSeconds)
        .sign(key);
      return { token, expiresAt };
    },
    claimsToBeCustomerToken(token) {
      try {
        const { aud } = decodeJwt(token);
        return aud === audience || (Array.isArray(aud) && aud.includes(audience));
      } catch {
        return false;
      }
    },
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, key, {
          algorithms: [algorithm],
          issuer,
          audience,
          currentDate: now(),
          clockTolerance: 5,
        }));
      } catch (error) {
        const expired = error instanceof errors.JWTExpired;
        throw new ParleyError(
          'unauthenticated',
          expired ? 'The customer token has expired' : 'The customer token is invalid',
          {
            reason: expired ? 'token_expired' : 'token_invalid',
            cause: error,
          },
        );
      }
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) {
        throw new ParleyError('unauthenticated', 'The customer token is invalid', {
          reason: 'claim_invalid',
        });
      }
      return {
        kind: 'customer',
        workspaceId: claims.data.ws,
        agentId: claims.data.aid,
        sessionId: claims.data.sid,
        customerId: claims.data.sub,
        agentKeyId: claims.data.kid,
        expiresAt: new Date(claims.data.exp * 1000),
      };
    },
  };
}
