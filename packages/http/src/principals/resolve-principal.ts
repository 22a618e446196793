import { ParleyError } from '@parley/core';
import { type JwtVerifier, operatorRoleSchema } from '@parley/core/auth';
import { z } from 'zod';
import { isOriginAllowed } from '../limits/cors';
import type { CustomerTokens } from './customer-tokens';
import type { OperatorPrincipal, OperatorUser, RequestPrincipal } from './principal';
import {
  isBrowserRequest,
  isPublishableKey,
  isSecretKey,
  publishableKeyAsBearer,
  type ServerKeys,
  secretKeyInBrowser,
} from './server-keys';

/** How operators prove who they are. */
export interface OperatorAuthentication {
  /**
   * The host's own lookup (Sim reads its session cookie): the signed-in user, or `null` to
   * fall through to the verifier. Throw a ParleyError to refuse outright.
   */
  authenticate?: (request: Request) => OperatorUser | null | Promise<OperatorUser | null>;
  /** Verifies operator bearer tokens (see `createJwtVerifier` in `@parley/core/auth`). */
  verifier?: JwtVerifier;
  /** Pages of other origins whose requests `authenticate` may answer (`*` allows any). */
  operatorOrigins?: readonly string[];
  /** Whether the host the request names is read from `x-forwarded-host` (behind trusted proxies). */
  trustForwardedHost?: boolean;
}

/** The bearer token of a request, or `null`. */
export function bearerTokenOf(request: Request): string | null {
  const authorization = request.headers.get('authorization')?.trim() ?? '';
  const [scheme = '', token = '', ...rest] = authorization.split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer' || !token || rest.length > 0) return null;
  return token;
}

/** The credentials a handler issues or stores itself: customer tokens and secret keys. */
export interface OwnCredentials {
  customerTokens: CustomerTokens;
  serverKeys: ServerKeys;
}

/**
 * Who sent the request: a host's backend (a secret key), a customer (a token this handler
 * issued), an operator (the host's hook, else the verifier), or nobody (`null`). A token that
 * is presented but accepted by no one is a 401, never silently anonymous; a publishable key
 * sent as a bearer token is one of those, and a secret key a browser sent is a 403 (see
 * {@link isBrowserRequest}).
 */
export async function resolvePrincipal(
  request: Request,
  credentials: OwnCredentials,
  operators: OperatorAuthentication,
): Promise<RequestPrincipal | null> {
  const token = bearerTokenOf(request);
  if (token && isPublishableKey(token)) throw publishableKeyAsBearer();
  if (token && isSecretKey(token)) {
    // Refused before the key is looked up: whatever it is, it must not be in a page.
    if (isBrowserRequest(request)) throw secretKeyInBrowser();
    return credentials.serverKeys.verify(token);
  }
  const { customerTokens } = credentials;
  if (token && customerTokens.claimsToBeCustomerToken(token)) return customerTokens.verify(token);
  if (operators.authenticate && isFromOwnOrAllowedPage(request, operators)) {
    const user = await operators.authenticate(request);
    if (user) return operatorPrincipalOf(user);
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

/**
 * `authenticate` reads ambient credentials (the host's session cookie), which a browser sends
 * whatever page made the request. A request another site's page made (its `Origin` names another
 * host) must not act as the signed-in user unless `operatorOrigins` lists that page: the hook is
 * not asked, so no host has to write its own check, and the request goes on without an operator
 * (an embedded widget's session creation still works; operator routes answer 401). Requests
 * without `Origin` (same-origin GETs, servers, curl) and bearer tokens are unaffected.
 */
function isFromOwnOrAllowedPage(request: Request, operators: OperatorAuthentication): boolean {
  const origin = request.headers.get('origin');
  if (origin === null || isOriginAllowed(origin, operators.operatorOrigins ?? [])) return true;
  const forwardedHost = operators.trustForwardedHost
    ? request.headers.get('x-forwarded-host')?.split(',')[0]?.trim()
    : undefined;
  const ownHost = forwardedHost || request.headers.get('host') || new URL(request.url).host;
  try {
    return new URL(origin).host === ownHost;
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) and malformed values: another page.
    return false;
  }
}

const operatorUserSchema = z
  .object({
    kind: z.literal('operator').optional(),
    userId: z.string().min(1).max(128),
    email: z.string().nullish(),
    name: z.string().nullish(),
    workspaceId: z.string().min(1).max(128).optional(),
    role: operatorRoleSchema.optional(),
  })
  .refine((user) => (user.workspaceId === undefined) === (user.role === undefined));

/**
 * The principal of a user the host's hook answered. A malformed answer is the host's bug, not
 * the caller's: a 500, with the hook named in the log, never an operator of unknown identity.
 */
function operatorPrincipalOf(user: OperatorUser): OperatorPrincipal {
  const parsed = operatorUserSchema.safeParse(user);
  if (!parsed.success) {
    throw new ParleyError(
      'internal',
      'authenticate answered no valid operator: it needs a userId (and workspaceId with role, or neither)',
      { cause: parsed.error },
    );
  }
  const { userId, email, name, workspaceId, role } = parsed.data;
  return {
    kind: 'operator',
    userId,
    email: email ?? null,
    name: name ?? null,
    ...(workspaceId === undefined ? {} : { workspaceId, role }),
  };
}
