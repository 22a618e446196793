import type { AccessLevel, AuthorizeOperator, OperatorPrincipal } from './principal';

const rank: Record<AccessLevel, number> = { read: 0, write: 1, admin: 2 };

/**
 * A token's own scope: an operator whose principal names a workspace (a verified token does)
 * acts only there, and only up to their role (read < write < admin). A principal without one
 * (a host user) is not allowed anything by this check alone.
 */
export function authorizeByToken(
  principal: OperatorPrincipal,
  workspaceId: string,
  level: AccessLevel,
): boolean {
  return (
    principal.workspaceId === workspaceId &&
    principal.role !== undefined &&
    rank[principal.role] >= rank[level]
  );
}

/**
 * The handler's decision for every operator request. A token-scoped principal must be within
 * its scope, and then the host's `authorize` (when given) must agree too: a token only ever
 * narrows what its user may do. A host user (no scope) has exactly what `authorize` grants,
 * and nothing without it.
 */
export function createOperatorAuthorization(authorize?: AuthorizeOperator): AuthorizeOperator {
  return async (principal, workspaceId, level) => {
    if (principal.workspaceId !== undefined && !authorizeByToken(principal, workspaceId, level))
      return false;
    if (authorize) return (await authorize(principal, workspaceId, level)) === true;
    return principal.workspaceId !== undefined;
  };
}
