import type { Principal as OperatorPrincipal } from '@parley/core';

export type { OperatorPrincipal };

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

/** Whoever a request comes from. */
export type RequestPrincipal = OperatorPrincipal | CustomerPrincipal;

/** What an operator wants to do in a workspace, from least to most. */
export type AccessLevel = 'read' | 'write' | 'admin';
