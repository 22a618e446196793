import { ParleyError } from '@parley/core';
import type { JwtVerifier } from '@parley/core/auth';
import type { CustomerTokens } from './customer-tokens';
import type { AccessLevel, OperatorPrincipal, RequestPrincipal } from './principal';

/** How operators prove who they are. */
export interface OperatorAuthentication {
  /**
   * The host's own lookup (Sim passes its session check): an operator, or `null` to fall
   * through to the verifier. Throw a ParleyError to refuse outright.
   */
  authenticate?: (request: Request) => Promise<OperatorPrincipal | null>;
  /** Verifies operator bearer tokens (see `createJwtVerifier` in `@parley/core/auth`). */
  verifier?: JwtVerifier;
}

/** The bearer token of a request, or `null`. */
export function bearerTokenOf(request: Request): string | null {
  const authorization = request.headers.get('authorization')?.trim() ?? '';
  const [scheme = '', token = '', ...rest] = authorization.split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer' || !token || rest.length > 0) return null;
  return token;
}

/**
 * Who sent the request: a customer (a token this handler issued), an operator (the host's
 * hook, else the verifier), or nobody (`null`). A token that is presented but accepted by
 * no one is a 401, never silently anonymous.
 */
export async function resolvePrincipal(
  request: Request,
  customerTokens: CustomerTokens,
  operators: OperatorAuthentication,
): Promise<RequestPrincipal | null> {
  const token = bearerTokenOf(request);
  if (token && customerTokens.claimsToBeCustomerToken(token)) return customerTokens.verify(token);
  if (operators.authenticate) {
    const operator = await operators.authenticate(request);
    if (operator) return operator;
  }
  if (token) {
    if (!operators.verifier) {
      throw new ParleyError('unauthenticated', 'This server accepts no operator tokens', {
        reason: 'token_not_accepted',
      });
    }
    return operators.verifier.verify(token);
  }
  return null;
}

const rank: Record<AccessLevel, number> = { read: 0, write: 1, admin: 2 };

/**
 * The default authorization: an operator acts only in the workspace their token names, and
 * only up to their role (read < write < admin).
 */
export function authorizeByToken(
  principal: OperatorPrincipal,
  workspaceId: string,
  level: AccessLevel,
): boolean {
  return principal.workspaceId === workspaceId && rank[principal.role] >= rank[level];
}
