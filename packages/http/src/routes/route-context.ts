import {
  type AgentApiKeyPermission,
  type Engine,
  ParleyError,
  type WorkspaceEngine,
} from '@parley/core';
import type { AuthConfiguration } from '../operations/auth-health';
import type { HandlerMetrics } from '../operations/handler-metrics';
import type { countStatuses, HealthStatus } from '../operations/health-status';
import type { ModelProbe } from '../operations/model-probe';
import type { CustomerTokens } from '../principals/customer-tokens';
import type { IdentityTokens } from '../principals/identity-tokens';
import type {
  AccessLevel,
  AuthorizeOperator,
  CustomerPrincipal,
  OperatorPrincipal,
  RequestPrincipal,
  ServerPrincipal,
} from '../principals/principal';
import type { ServerKeys } from '../principals/server-keys';
import type { RouteParameters } from '../routing/router';
import type { ReplyDrafts } from '../streaming/reply-drafts';

/** What every route shares: the engine and the handler's own parts. */
export interface HandlerServices {
  engine: Engine;
  customerTokens: CustomerTokens;
  identityTokens: IdentityTokens;
  serverKeys: ServerKeys;
  /** The token's scope, then the host's `authorize`: see `createOperatorAuthorization`. */
  authorize: AuthorizeOperator;
  replyDrafts: ReplyDrafts;
  metrics: HandlerMetrics;
  maxBodyBytes: number;
  maxWaitSeconds: number;
  keepAliveMs: number;
  /** When set, `/v1/metrics` answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** Silence after which a stream checks whether its open turn was abandoned. */
  abandonedTurnCheckMs: number;
  /** Aborted when the handler shuts down: streams close with a retry hint. */
  shutdown: AbortSignal;
  isShuttingDown: () => boolean;
  /** The handler's logger, for what happens after a response: turns that fail. */
  logger?: { error(fields: Record<string, unknown>, message: string): void };
  /** The handler's clock. */
  now: () => Date;
  /** What the health routes read beyond the engine. */
  health: {
    /** When the handler was made, ms since the epoch: the uptime's start. */
    startedAt: number;
    modelProbe: ModelProbe;
    auth: AuthConfiguration;
    /** Each workspace's dashboard summary, while fresh. */
    summaries: Map<string, { at: number; timestamp: string; overview: DashboardOverview }>;
  };
}

/** The overview of the dashboard summary (`GET /v1/health/dashboard/summary`). */
export interface DashboardOverview {
  systemStatus: HealthStatus;
  uptime: number;
  activeAlerts: number;
  services: ReturnType<typeof countStatuses>;
}

/** One request, as a route sees it. */
export interface RouteContext {
  request: Request;
  url: URL;
  parameters: RouteParameters;
  requestId: string;
  principal: RequestPrincipal | null;
  services: HandlerServices;
  /** Headers every response of this request carries (CORS, request id). */
  responseHeaders: Headers;
}

/** A route: answers one request. */
export type RouteHandler = (context: RouteContext) => Promise<Response>;

/** A JSON response carrying the request's common headers. */
export function jsonResponse(context: RouteContext, body: unknown, status = 200): Response {
  const headers = new Headers(context.responseHeaders);
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status, headers });
}

/** A 204 carrying the request's common headers. */
export function emptyResponse(context: RouteContext): Response {
  return new Response(null, { status: 204, headers: new Headers(context.responseHeaders) });
}

/**
 * The workspace a request names: `?workspaceId=` on every operator route, else the one the
 * operator's token was issued for. A host user (no token scope) must name it.
 */
export function workspaceIdOf(context: RouteContext, principal: OperatorPrincipal): string {
  const named = context.url.searchParams.get('workspaceId') || undefined;
  const workspaceId = named ?? principal.workspaceId;
  if (workspaceId === undefined) {
    throw new ParleyError('validation_failed', 'Name the workspace: add ?workspaceId= to the URL', {
      reason: 'workspace_required',
    });
  }
  if (workspaceId.length > 128) {
    throw new ParleyError('validation_failed', 'workspaceId is longer than 128 characters', {
      reason: 'workspace_invalid',
    });
  }
  return workspaceId;
}

/**
 * The workspace an operator acts in ({@link workspaceIdOf}), once `authorize` allows them at
 * `level`. No principal is a 401; a customer or a secret key on an operator route is a 404
 * (the route does not exist for them); a workspace they may not read is a 404 too, so ids of
 * other workspaces cannot be probed; one they may read but not act in at `level` is a 403.
 */
export async function requireOperator(
  context: RouteContext,
  level: AccessLevel,
): Promise<{ principal: OperatorPrincipal; workspace: WorkspaceEngine }> {
  const principal = context.principal;
  if (!principal) throw new ParleyError('unauthenticated', 'Sign in: send an operator token');
  if (principal.kind !== 'operator') throw new ParleyError('not_found', 'Not found');
  const workspaceId = workspaceIdOf(context, principal);
  if (!(await context.services.authorize(principal, workspaceId, level))) {
    // Reading a workspace one belongs to but may not write is forbidden; any other workspace
    // is invisible.
    const member =
      level !== 'read' && (await context.services.authorize(principal, workspaceId, 'read'));
    throw member
      ? new ParleyError('forbidden', `Your role does not allow ${level} access here`)
      : new ParleyError('not_found', 'Not found');
  }
  return { principal, workspace: context.services.engine.forWorkspace(workspaceId) };
}

/** Checks a secret key may do what a route does: a 403 naming the permission it lacks. */
export function requireServerPermission(
  principal: ServerPrincipal,
  permission: AgentApiKeyPermission,
): void {
  if (!principal.permissions.includes(permission)) {
    throw new ParleyError('forbidden', `This secret key lacks the ${permission} permission`, {
      reason: 'permission_missing',
      details: { permission },
    });
  }
}

/**
 * Access to one session: its customer (whose token names it), an operator of its workspace
 * at `level`, or, on the routes that name a `serverPermission`, a secret key of the session's
 * agent holding it (one lacking it is a 403). Anyone else gets a 404, as for a session that
 * does not exist: a secret key on any other session route too.
 */
export async function requireSessionAccess(
  context: RouteContext,
  sessionId: string,
  level: AccessLevel,
  serverPermission?: AgentApiKeyPermission,
): Promise<{
  principal: RequestPrincipal;
  workspace: WorkspaceEngine;
  customer: CustomerPrincipal | null;
}> {
  const principal = context.principal;
  if (!principal) throw new ParleyError('unauthenticated', 'Send a customer or operator token');
  if (principal.kind === 'server') {
    if (!serverPermission) throw new ParleyError('not_found', 'Not found');
    requireServerPermission(principal, serverPermission);
    const workspace = context.services.engine.forWorkspace(principal.workspaceId);
    // A key acts for its agent's customers: another agent's session is not found, like
    // another workspace's.
    const session = await workspace.sessions.find(sessionId);
    if (session?.agentId !== principal.agentId)
      throw new ParleyError('not_found', 'session not found');
    return { principal, workspace, customer: null };
  }
  if (principal.kind === 'customer') {
    if (principal.sessionId !== sessionId) throw new ParleyError('not_found', 'session not found');
    return {
      principal,
      workspace: context.services.engine.forWorkspace(principal.workspaceId),
      customer: principal,
    };
  }
  const { workspace } = await requireOperator(context, level);
  return { principal, workspace, customer: null };
}
