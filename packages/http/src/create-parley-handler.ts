import { setMaxListeners } from 'node:events';
import { type Clock, type Engine, ParleyError, toParleyError } from '@parley/core';
import type { JwtVerifier } from '@parley/core/auth';
import { createErrorResponse } from './error-response';
import { clientAddressOf } from './limits/client-addresses';
import { allowOrigin, isOriginAllowed } from './limits/cors';
import {
  createHealthRateLimits,
  type HealthRateLimits,
  type HealthRouteGroup,
  healthRouteGroupOf,
} from './limits/health-rate-limits';
import { type BucketOptions, createRateLimiter, type RateLimiter } from './limits/rate-limiter';
import { createHandlerMetrics, type HandlerMetrics } from './operations/handler-metrics';
import { createModelProbe } from './operations/model-probe';
import { createOperatorAuthorization } from './principals/authorize-operator';
import { createCustomerTokens } from './principals/customer-tokens';
import { createIdentityTokens } from './principals/identity-tokens';
import type {
  AuthorizeOperator,
  OperatorUser,
  RequestPrincipal,
  ServerPrincipal,
} from './principals/principal';
import { resolvePrincipal } from './principals/resolve-principal';
import { createServerKeys } from './principals/server-keys';
import { requestIdFrom } from './request/request-id';
import { registerHealthRoutes } from './routes/health-routes';
import { registerOperatorRoutes } from './routes/operator-routes';
import type { HandlerServices, RouteContext, RouteHandler } from './routes/route-context';
import { registerSessionRoutes } from './routes/session-routes';
import { createRouter } from './routing/router';
import { createReplyDrafts, type ReplyDrafts } from './streaming/reply-drafts';

/** Writes one line per request and per failure; never receives tokens or bodies. */
export interface HandlerLogger {
  info(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

/** Options of {@link createParleyHandler}. */
export interface ParleyHandlerOptions {
  engine: Engine;
  /** Where the routes live, e.g. `/api/parley`; default the root. */
  basePath?: string;
  /**
   * The host's own sign-in, tried before the verifier: the user a request comes from
   * (`{ userId, email, name }`, read from the host's session cookie), or `null` to fall
   * through to the verifier. May be async.
   */
  authenticate?: (request: Request) => OperatorUser | null | Promise<OperatorUser | null>;
  /** Verifies operator bearer tokens (`createJwtVerifier` of `@parley/core/auth`). */
  verifier?: JwtVerifier;
  /**
   * Whether an operator may act in the workspace a request names (`?workspaceId=`, else their
   * token's) at `read`, `write` or `admin`, asked on every operator request; may be async.
   * A token-scoped operator (the verifier's) must also be within their token's workspace and
   * role. Without it, only token-scoped operators get anywhere: their workspace, up to their
   * role; `authenticate`'s users then reach nothing.
   */
  authorize?: AuthorizeOperator;
  /**
   * Signs the customer tokens widget sessions get, and derives each agent key's identity
   * secret: at least 32 bytes, the same on every instance. Required: `undefined` is accepted so
   * that an environment variable can be passed as it is, and an unset one fails the handler's
   * creation with a message naming the option.
   */
  customerTokenSecret: string | Uint8Array | undefined;
  /** Lifetime of a customer token; default 24 hours. */
  customerTokenTtlSeconds?: number;
  /**
   * Origins whose pages may call operator routes from a browser; customer routes follow their
   * agent key. `authenticate` answers pages of the handler's own origin, and of these.
   */
  operatorOrigins?: readonly string[];
  /**
   * Per principal and per client address; `false` turns limiting off. `health` sets the
   * health routes' budgets per client address per minute, by group (defaults: health 60,
   * database 30, engine 30, auth 20, dashboard 30, alerts 20), on top of the others.
   */
  rateLimit?:
    | false
    | {
        perPrincipal?: BucketOptions;
        perAddress?: BucketOptions;
        health?: Partial<Record<HealthRouteGroup, number>>;
      };
  /** Largest request body; default 64 KiB. */
  maxBodyBytes?: number;
  /** Longest long poll (`?wait=`); default 30 s. */
  maxWaitSeconds?: number;
  /** Keep-alive comment interval of event streams; default 15 s. */
  keepAliveMs?: number;
  /**
   * A bearer token `/v1/metrics` requires (give your Prometheus scraper the same); without it,
   * metrics are open to whoever reaches the server, so keep them on an internal network.
   */
  metricsToken?: string;
  /**
   * How long an open turn may stay silent before a stream watching it checks whether anyone
   * still runs it (its instance may have died, or the database lost its end); a turn nobody
   * runs ends with a retryable `error`. Default 10 s.
   */
  abandonedTurnCheckMs?: number;
  /**
   * How many proxies in front of this server append to `x-forwarded-for` (a load balancer,
   * nginx, Vercel: 1 each); default 0, which ignores the header. The client address is then
   * the entry that many hops from the right: entries further left are whatever the client
   * sent, so it cannot pick its own rate-limit bucket.
   */
  trustedProxies?: number;
  /**
   * The network address of a request, for servers that do not go through `toNodeListener`
   * (which records the socket's): e.g. Hono's `getConnInfo`, or a platform's header you trust.
   * Used when `trustedProxies` finds no `x-forwarded-for`. Without any of them, every request
   * shares the address `unknown` for rate limits.
   */
  clientAddress?: (request: Request) => string | undefined;
  logger?: HandlerLogger;
  clock?: Clock;
}

/** Parley over HTTP: one fetch-style function, plus what a server needs around it. */
export interface ParleyHandler {
  (request: Request): Promise<Response>;
  /**
   * Graceful shutdown: stops taking requests (503 `not_ready`), closes event streams with a
   * retry hint, lets turns finish until `deadlineMs` (default 10 s), then cancels the rest.
   */
  close(options?: { deadlineMs?: number }): Promise<void>;
  readonly metrics: HandlerMetrics;
}

const defaultLimits = {
  perPrincipal: { capacity: 60, refillPerSecond: 2 },
  perAddress: { capacity: 120, refillPerSecond: 5 },
};

function principalKey(principal: RequestPrincipal): string {
  switch (principal.kind) {
    case 'customer':
      return `session:${principal.sessionId}`;
    case 'server':
      return `api-key:${principal.apiKeyId}`;
    case 'operator':
      return `operator:${principal.userId}`;
  }
}

/**
 * Creates the handler: `(request: Request) => Promise<Response>`, every route of the
 * architecture under `basePath`, JSON validated with zod, one error envelope, `x-request-id`
 * on every response, `request.signal` honoured. Mount it as it is in Hono, through
 * `toNodeListener` in `node:http`, Express and Connect, or in a Next.js catch-all route file
 * through `createParleyRouteHandlers` (which creates it on the first request).
 */
export async function createParleyHandler(options: ParleyHandlerOptions): Promise<ParleyHandler> {
  const trustedProxies = options.trustedProxies ?? 0;
  if (!Number.isInteger(trustedProxies) || trustedProxies < 0) {
    throw new ParleyError(
      'validation_failed',
      'trustedProxies must be a whole number of proxies, 0 or more',
      { details: { option: 'trustedProxies' } },
    );
  }
  const basePath = (options.basePath ?? '').replace(/\/+$/, '');
  const router = createRouter<RouteHandler>();
  registerHealthRoutes(router);
  registerSessionRoutes(router);
  registerOperatorRoutes(router);
  const shutdown = new AbortController();
  // Every open stream listens for the shutdown: thousands are expected, not a leak.
  setMaxListeners(0, shutdown.signal);
  const replyDrafts: ReplyDrafts = await createReplyDrafts(options.engine.eventBus);
  const metrics = createHandlerMetrics({
    turnStartFailures: () => options.engine.turnStartFailures,
  });
  const now = options.clock ? () => options.clock?.now() as Date : () => new Date();
  const customerTokenSecret = requireCustomerTokenSecret(options.customerTokenSecret);
  const services: HandlerServices = {
    engine: options.engine,
    customerTokens: createCustomerTokens({
      secret: customerTokenSecret,
      ttlSeconds: options.customerTokenTtlSeconds,
      now,
    }),
    identityTokens: createIdentityTokens({
      secret:
        typeof customerTokenSecret === 'string'
          ? new TextEncoder().encode(customerTokenSecret)
          : customerTokenSecret,
      now,
    }),
    serverKeys: createServerKeys({ store: options.engine.store, now }),
    authorize: createOperatorAuthorization(options.authorize),
    replyDrafts,
    metrics,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    maxWaitSeconds: options.maxWaitSeconds ?? 30,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    metricsToken: options.metricsToken,
    abandonedTurnCheckMs: options.abandonedTurnCheckMs ?? 10_000,
    shutdown: shutdown.signal,
    isShuttingDown: () => shutdown.signal.aborted,
    logger: options.logger,
    now,
    health: {
      startedAt: now().getTime(),
      modelProbe: createModelProbe(options.engine.model, { now }),
      auth: {
        verifier: options.verifier,
        hostSignIn: options.authenticate !== undefined,
        hostAuthorize: options.authorize !== undefined,
      },
      summaries: new Map(),
    },
  };
  const limits = options.rateLimit === false ? null : { ...defaultLimits, ...options.rateLimit };
  const principalLimiter: RateLimiter | null = limits
    ? createRateLimiter(limits.perPrincipal, () => now().getTime())
    : null;
  const addressLimiter: RateLimiter | null = limits
    ? createRateLimiter(limits.perAddress, () => now().getTime())
    : null;
  const healthLimits: HealthRateLimits | null = limits
    ? createHealthRateLimits(limits.health, () => now().getTime())
    : null;
  const operatorOrigins = options.operatorOrigins ?? [];

  /** Checks a customer's key is still valid and the page calling is one it allows. */
  async function checkCustomerKey(context: RouteContext): Promise<void> {
    const principal = context.principal;
    if (principal?.kind !== 'customer') return;
    const key = await services.engine.store
      .forWorkspace(principal.workspaceId)
      .agentKeys.find(principal.agentKeyId);
    const origin = context.request.headers.get('origin');
    // An allowed page reads every answer. A refused one reads the refusal too (it reveals
    // nothing: no session data, only that this key may not be used here), so the widget can
    // say why instead of taking it for a network failure and retrying forever.
    if (origin) allowOrigin(context.responseHeaders, origin);
    if (!key || key.revokedAt) {
      throw new ParleyError('unauthenticated', 'The agent key of this session was revoked', {
        reason: 'agent_key_revoked',
      });
    }
    if (origin && !isOriginAllowed(origin, key.allowedOrigins)) {
      throw new ParleyError('forbidden', 'This site may not use this agent key', {
        reason: 'origin_not_allowed',
      });
    }
  }

  /** {@link resolvePrincipal} with the handler's options. */
  async function resolvePrincipalOf(
    request: Request,
    responseHeaders: Headers,
  ): Promise<RequestPrincipal | null> {
    try {
      return await resolvePrincipal(request, services, {
        authenticate: options.authenticate,
        verifier: options.verifier,
        operatorOrigins,
        trustForwardedHost: trustedProxies > 0,
      });
    } catch (error) {
      // A page that sent a secret key reads why it was refused (it reveals nothing: the key
      // was not even looked up), so its developer sees the warning instead of a CORS error.
      const origin = request.headers.get('origin');
      if (origin && ParleyError.isInstance(error) && error.reason === 'secret_key_in_browser')
        allowOrigin(responseHeaders, origin);
      throw error;
    }
  }

  /**
   * Records that a secret key served a request. A failure is logged, never the request's: the
   * answer (a message may already be stored) stands.
   */
  async function recordKeyUse(principal: ServerPrincipal, requestId: string): Promise<void> {
    try {
      await services.serverKeys.recordUse(principal);
    } catch (error) {
      try {
        options.logger?.error(
          { requestId, apiKeyId: principal.apiKeyId, error: describe(error) },
          'secret key use not recorded',
        );
      } catch {
        // A logger that fails has nowhere to report.
      }
    }
  }

  function applyOperatorCors(context: RouteContext): void {
    const origin = context.request.headers.get('origin');
    if (origin && isOriginAllowed(origin, operatorOrigins))
      allowOrigin(context.responseHeaders, origin);
  }

  /** A failure's text for the log, even for a value whose `toString` throws. */
  function describe(value: unknown): string {
    try {
      return String(value);
    } catch {
      return 'an error that cannot be printed';
    }
  }

  /**
   * Answers a request whose handling threw: the error envelope, logged with its request id.
   * Every step is guarded (an error value that cannot be printed, details that cannot be
   * serialized, a logger or metric that throws), so the handler never rejects.
   */
  function answerFailure(
    request: Request,
    caught: unknown,
    requestId: string,
    route: string,
    responseHeaders: Headers,
  ): Response {
    let error: ParleyError;
    try {
      error = toParleyError(caught);
    } catch {
      error = new ParleyError('internal', 'An error that cannot be printed');
    }
    let response: Response;
    try {
      response = createErrorResponse(error, requestId);
      for (const [name, value] of responseHeaders)
        if (name !== 'x-request-id') response.headers.set(name, value);
    } catch (unanswerable) {
      error = new ParleyError('internal', 'An error that cannot be answered', {
        cause: unanswerable,
      });
      response = createErrorResponse(error, requestId);
    }
    try {
      metrics.request(route, error.httpStatus);
      metrics.error(error.code);
      const log = error.code === 'internal' || error.code === 'database_failed' ? 'error' : 'info';
      options.logger?.[log](
        {
          requestId,
          method: request.method,
          route,
          status: error.httpStatus,
          code: error.code,
          reason: error.reason,
          ...(log === 'error' ? { error: describe(error.cause ?? error.message) } : {}),
        },
        'request failed',
      );
    } catch {
      // A logger or metric that fails must not change the answer, and has nowhere to report.
    }
    return response;
  }

  async function handle(request: Request): Promise<Response> {
    // Set before anything that can throw, so even a failure to read the request has its id.
    let requestId: string = globalThis.crypto.randomUUID();
    let route = 'unmatched';
    let responseHeaders = new Headers({ 'x-request-id': requestId });
    try {
      requestId = requestIdFrom(request.headers.get('x-request-id'));
      responseHeaders = new Headers({ 'x-request-id': requestId });
      const started = performance.now();
      const url = new URL(request.url);
      if (!url.pathname.startsWith(basePath)) throw new ParleyError('not_found', 'Not found');
      const path = url.pathname.slice(basePath.length) || '/';
      if (request.method === 'OPTIONS') {
        // Preflights are answered for any origin: what a request may do is decided on the
        // request itself, where the agent key (or operator configuration) is known.
        const origin = request.headers.get('origin');
        if (origin) {
          allowOrigin(responseHeaders, origin);
          responseHeaders.set(
            'access-control-allow-methods',
            'GET, POST, PUT, PATCH, DELETE, OPTIONS',
          );
          responseHeaders.set(
            'access-control-allow-headers',
            'authorization, content-type, last-event-id, x-request-id',
          );
          responseHeaders.set('access-control-max-age', '600');
        }
        return new Response(null, { status: 204, headers: responseHeaders });
      }
      if (shutdown.signal.aborted && !path.startsWith('/v1/health') && path !== '/v1/ready') {
        throw new ParleyError('not_ready', 'This instance is shutting down; retry elsewhere', {
          retryable: true,
        });
      }
      const match = router.match(request.method, path);
      // The pattern, not the path: ids (whatever their shape) never become metric labels.
      route = `${request.method} ${match.pattern}`;
      const address = clientAddressOf(request, trustedProxies, options.clientAddress);
      addressLimiter?.take(address);
      const healthGroup = healthRouteGroupOf(path);
      if (healthGroup) healthLimits?.take(healthGroup, address);
      const principal =
        path === '/v1/ready' || path === '/v1/metrics'
          ? null
          : path === '/v1/health'
            ? // Open to load balancers whatever they send: a sign-in that fails (its database
              // away) only leaves the answer at the status alone.
              await resolvePrincipalOf(request, responseHeaders).catch(() => null)
            : await resolvePrincipalOf(request, responseHeaders);
      if (principal) principalLimiter?.take(principalKey(principal));
      const context: RouteContext = {
        request,
        url,
        parameters: match.parameters,
        requestId,
        principal,
        services,
        responseHeaders,
      };
      if (principal?.kind === 'customer') await checkCustomerKey(context);
      // A secret key a browser sent was refused already: a server principal gets no CORS.
      else if (principal?.kind !== 'server') applyOperatorCors(context);
      const origin = request.headers.get('origin');
      // Widget session creation carries no token: any page reads its answer, refusals included
      // (the agent key's origins are checked there, and a widget must read why it was refused).
      if (!principal && origin) allowOrigin(responseHeaders, origin);
      const answered = await match.handler(context);
      if (principal?.kind === 'server' && answered.status < 400)
        await recordKeyUse(principal, requestId);
      try {
        metrics.request(route, answered.status);
        options.logger?.info(
          {
            requestId,
            method: request.method,
            route,
            status: answered.status,
            ms: Math.round(performance.now() - started),
          },
          'request',
        );
      } catch {
        // The answer stands (a message may already be stored): a logger or metric that fails
        // must not turn it into an error, and has nowhere to report.
      }
      return answered;
    } catch (caught) {
      return answerFailure(request, caught, requestId, route, responseHeaders);
    }
  }

  let closing: Promise<void> | undefined;
  const handler = Object.assign(handle, {
    metrics,
    close(closeOptions: { deadlineMs?: number } = {}) {
      closing ??= (async () => {
        shutdown.abort();
        const deadline = Date.now() + (closeOptions.deadlineMs ?? 10_000);
        while (options.engine.turnsInFlight > 0 && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await options.engine.close();
        await replyDrafts.close();
      })();
      return closing;
    },
  });
  return handler as ParleyHandler;
}

function requireCustomerTokenSecret(secret: string | Uint8Array | undefined): string | Uint8Array {
  if (secret === undefined || secret === '') {
    throw new ParleyError(
      'validation_failed',
      'customerTokenSecret is not set: give at least 32 bytes, the same on every instance (for example from an environment variable)',
    );
  }
  return secret;
}
