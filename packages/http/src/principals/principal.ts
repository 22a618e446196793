import type { AgentApiKeyPermission } from '@parley/core';
import type { OperatorPrincipal, OperatorRole } from '@parley/core/auth';

export type { OperatorPrincipal };

/**
 * One of the host's users, as its `authenticate` hook answers: `{ userId, email, name }`, read
 * from its own session. Parley makes it an {@link OperatorPrincipal}; which workspaces the
 * user may act in is `authorize`'s to say, per request. A host that scopes its users as tokens
 * do may also give `workspaceId` and `role` (both or neither): the user then acts in that
 * workspace only, up to that role.
 */
export interface OperatorUser {
  userId: string;
  email?: string | null;
  name?: string | null;
  workspaceId?: string;
  role?: OperatorRole;
  /** Accepted for principals built by hand; always `operator`. */
  kind?: 'operator';
}

/**
 * A visitor of a site with the widget: bound to one session of one agent by the customer token
 * the handler issued. It reaches that session and nothing else.
 */
export interface CustomerPrincipal {
  kind: 'customer';
  workspaceId: string;
  agentId: string;
  sessionId: string;
  customerId: string;
  /** The publishable key the session was opened with: its origins and revocation apply. */
  agentKeyId: string;
  /** When the token stops working. */
  expiresAt: Date;
}

/**
 * A host's backend, authenticated by one of an agent's secret keys (`Authorization: Bearer
 * sk_…`), server to server. It acts for the customers of that agent, within the key's
 * permissions: it opens their sessions, posts their messages and reads what they could see.
 */
export interface ServerPrincipal {
  kind: 'server';
  workspaceId: string;
  agentId: string;
  /** The secret key's id: its revocation and expiry apply on every request. */
  apiKeyId: string;
  permissions: readonly AgentApiKeyPermission[];
}

/** Whoever a request comes from. */
export type RequestPrincipal = OperatorPrincipal | CustomerPrincipal | ServerPrincipal;

/** What an operator wants to do in a workspace, from least to most. */
export type AccessLevel = 'read' | 'write' | 'admin';

/**
 * The host's decision whether `principal` may act in `workspaceId` at `level`: Sim looks the
 * user up in its `permissions` table. Called on every operator request, after the principal's
 * own token scope (if any) allowed it.
 */
export type AuthorizeOperator = (
  principal: OperatorPrincipal,
  workspaceId: string,
  level: AccessLevel,
) => boolean | Promise<boolean>;
