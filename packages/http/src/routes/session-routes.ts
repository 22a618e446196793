import {
  type AgentKey,
  type Customer,
  customEventDataSchema,
  customerMessageInputSchema,
  hashAgentKey,
  ParleyError,
  type ParleyEvent,
  type PostedMessage,
  type Session,
  sessionLabelsSchema,
  sessionListFilterSchema,
  sessionPatchSchema,
  type TurnOutcome,
  tagSchema,
  validationError,
  type WorkspaceStore,
} from '@parley/core';
import { eventKindSchema, toWireEvent } from '@parley/core/protocol';
import { z } from 'zod';
import { isOriginAllowed } from '../limits/cors';
import { wireEventViewFor } from '../principals/customer-event-view';
import type { VerifiedIdentity } from '../principals/identity-tokens';
import type { OperatorPrincipal, ServerPrincipal } from '../principals/principal';
import { isSecretKey } from '../principals/server-keys';
import {
  afterOffsetParameter,
  maximumOffset,
  secondsParameter,
  wholeNumberParameter,
} from '../request/query-numbers';
import { readJsonBody } from '../request/read-json-body';
import type { Router } from '../routing/router';
import { openSessionStream } from '../streaming/session-stream';
import {
  emptyResponse,
  jsonResponse,
  type RouteContext,
  type RouteHandler,
  requireOperator,
  requireServerPermission,
  requireSessionAccess,
} from './route-context';

function parse<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  subject: string,
): z.output<TSchema> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(subject, result.error);
  return result.data;
}

const operatorSessionSchema = z.object({
  agentId: z.string().min(1),
  customerId: z.string().min(1).optional(),
  title: z.string().trim().min(1).max(200).optional(),
  mode: z.enum(['auto', 'manual']).optional(),
  metadata: z.record(z.string(), z.json()).optional(),
  labels: sessionLabelsSchema.optional(),
});
const widgetSessionSchema = z.object({
  agentKey: z.string().min(8).max(200),
  customerName: z.string().trim().min(1).max(200).optional(),
  /** A JWT the site signed with the key's identity secret: the visitor is someone it knows. */
  identityToken: z.string().min(1).max(4096).optional(),
});

/**
 * A host's backend opening a session for one of its customers (a secret key): who the
 * customer is in the host (`externalId`; `name` and `email` fill a new customer's profile),
 * and whether to resume their latest active session with the agent instead of opening one.
 */
const serverSessionSchema = z.strictObject({
  /** The key's agent, if named at all: another agent is not found. */
  agentId: z.string().min(1).max(128).optional(),
  customer: z.strictObject({
    externalId: z.string().trim().min(1).max(256),
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().max(320).optional(),
  }),
  title: z.string().trim().min(1).max(200).optional(),
  metadata: z.record(z.string(), z.json()).optional(),
  labels: sessionLabelsSchema.optional(),
  resume: z.boolean().default(false),
});

const eventsQuerySchema = z.object({
  after: afterOffsetParameter.optional(),
  limit: wholeNumberParameter(1, 1000).optional(),
  kinds: z
    .string()
    .max(100)
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(eventKindSchema))
    .optional(),
  wait: secondsParameter(120).optional(),
});

const customerPostSchema = customerMessageInputSchema.extend({
  kind: z.literal('message').default('message'),
});
// An operator's message names no author: the author is whoever signed in (a
// `participantName` in the body is ignored).
const operatorPostSchema = z.discriminatedUnion('kind', [
  customerMessageInputSchema.extend({ kind: z.literal('message') }),
  customEventDataSchema.extend({ kind: z.literal('custom') }),
]);
const feedbackSchema = z.object({
  rating: z.enum(['up', 'down']),
  comment: z.string().trim().max(2000).optional(),
});

/**
 * The name an operator's messages are shown with: their principal's (the host's user, or the
 * token's `name` claim), trimmed to the 200 characters a message keeps; none without one.
 */
function displayNameOf(principal: OperatorPrincipal): string | undefined {
  const name = principal.name?.trim().slice(0, 200).trim();
  return name ? name : undefined;
}

/** The session's offset to resume after: `Last-Event-ID`, else `?after=`, else from the start. */
function resumeOffset(context: RouteContext): number {
  const header = context.request.headers.get('last-event-id');
  const raw = header ?? context.url.searchParams.get('after');
  if (raw === null || raw === '') return -1;
  const parsed = afterOffsetParameter.safeParse(raw.trim());
  if (!parsed.success) {
    throw new ParleyError(
      'validation_failed',
      `Last-Event-ID (or after) must be an event offset from -1 to ${maximumOffset}`,
    );
  }
  return parsed.data;
}

/** Records a turn's outcome in the metrics when it ends, whoever awaits it. */
function observeTurn(
  context: RouteContext,
  posted: PostedMessage | { turn: Promise<unknown> | null },
) {
  const started = performance.now();
  posted.turn?.then(
    (outcome) => {
      context.services.metrics.turn(outcome as never, (performance.now() - started) / 1000);
      // The request was answered long ago: its log line cannot tell how the turn ended.
      const ended = outcome as TurnOutcome;
      if (ended.status === 'error') {
        context.services.logger?.error(
          {
            requestId: context.requestId,
            sessionId: context.parameters.sessionId,
            traceId: ended.traceId,
            code: ended.error.code,
            reason: ended.error.reason,
          },
          'turn failed',
        );
      }
    },
    // The engine's turns settle with an outcome; should one reject all the same, say so.
    (error: unknown) => {
      context.services.logger?.error(
        {
          requestId: context.requestId,
          sessionId: context.parameters.sessionId,
          error: String(error),
        },
        'turn failed unexpectedly',
      );
    },
  );
}

/**
 * Runs the agent's `session_started` workflows for a session written through the store (the
 * widget's, in a transaction of their own), without waiting: the engine's own `create` does
 * the same for the sessions it writes.
 */
function reactToSessionStarted(context: RouteContext, workspaceId: string, sessionId: string) {
  context.services.engine
    .forWorkspace(workspaceId)
    .sessions.react(sessionId, 'session_started')
    .catch((error: unknown) => {
      context.services.logger?.error(
        { requestId: context.requestId, sessionId, error: String(error) },
        'session workflows not started',
      );
    });
}

/** A new anonymous visitor: a customer of their own and a fresh session. */
async function openAnonymousSession(
  context: RouteContext,
  agentKey: AgentKey,
  customerName: string | undefined,
): Promise<{ session: Session; customer: Customer; resumed: boolean }> {
  return context.services.engine.store.transaction(async (transaction) => {
    const scoped = transaction.forWorkspace(agentKey.workspaceId);
    const customer = await scoped.customers.create({ name: customerName ?? null });
    const session = await scoped.sessions.create({
      agentId: agentKey.agentId,
      customerId: customer.id,
    });
    return { customer, session, resumed: false };
  });
}

/**
 * The customer the host knows as `identity.externalId`, created on first sight (with its
 * name and email; a known customer's profile is left as it is).
 */
async function findOrCreateCustomer(
  scoped: Pick<WorkspaceStore, 'customers'>,
  identity: VerifiedIdentity,
): Promise<Customer> {
  const known = await scoped.customers.findByExternalId(identity.externalId);
  if (known) return known;
  try {
    return await scoped.customers.create({
      externalId: identity.externalId,
      name: identity.name ?? null,
      email: identity.email ?? null,
    });
  } catch (error) {
    // Two first visits at once: the other request created them; use that record.
    if (!(error instanceof ParleyError) || error.code !== 'conflict') throw error;
    const created = await scoped.customers.findByExternalId(identity.externalId);
    if (!created) throw error;
    return created;
  }
}

/**
 * A visitor the site vouches for: their customer record (found by the site's id, created on
 * first sight) and their latest active session with this agent, so they see their history;
 * a new session when they have none.
 */
async function openIdentifiedSession(
  context: RouteContext,
  agentKey: AgentKey,
  identity: VerifiedIdentity,
): Promise<{ session: Session; customer: Customer; resumed: boolean }> {
  const scoped = context.services.engine.store.forWorkspace(agentKey.workspaceId);
  const customer = await findOrCreateCustomer(scoped, identity);
  const latest = await latestActiveSession(scoped, agentKey.agentId, customer.id);
  if (latest) return { customer, session: latest, resumed: true };
  const session = await scoped.sessions.create({
    agentId: agentKey.agentId,
    customerId: customer.id,
  });
  return { customer, session, resumed: false };
}

/** The most recently opened active session of a customer with an agent, if any. */
async function latestActiveSession(
  scoped: { sessions: Pick<WorkspaceStore['sessions'], 'list'> },
  agentId: string,
  customerId: string,
): Promise<Session | null> {
  let latest: Session | null = null;
  let cursor: string | undefined;
  do {
    const page = await scoped.sessions.list({
      agentId,
      customerId,
      status: 'active',
      limit: 200,
      cursor,
    });
    latest = page.items.at(-1) ?? latest;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return latest;
}

/**
 * A host's backend opens a session for one of its customers (a secret key with
 * `sessions:write`): the customer found by the host's id or created, then their latest active
 * session with the key's agent when `resume` asks for it, else a new one.
 */
async function openServerSession(
  context: RouteContext,
  principal: ServerPrincipal,
  body: unknown,
): Promise<Response> {
  requireServerPermission(principal, 'sessions:write');
  const input = parse(serverSessionSchema, body, 'session');
  if (input.agentId !== undefined && input.agentId !== principal.agentId)
    throw new ParleyError('not_found', 'agent not found');
  const workspace = context.services.engine.forWorkspace(principal.workspaceId);
  // The agent first: a key whose agent was archived creates no customer.
  await workspace.agents.get(principal.agentId);
  const customer = await findOrCreateCustomer(workspace, input.customer);
  const latest = input.resume
    ? await latestActiveSession(workspace, principal.agentId, customer.id)
    : null;
  // Resumed, as the widget's identified visitors are: 200, and the body's title, metadata
  // and labels (a new session's) are left aside.
  if (latest) return jsonResponse(context, { session: latest, customer, resumed: true });
  const session = await workspace.sessions.create({
    agentId: principal.agentId,
    customerId: customer.id,
    title: input.title,
    metadata: input.metadata,
    labels: input.labels,
  });
  return jsonResponse(context, { session, customer, resumed: false }, 201);
}

/**
 * Opens a session, for whoever asks: a host's backend (a secret key, for one of its
 * customers), a widget (a publishable key in the body, no token) or an operator.
 */
const createSession: RouteHandler = async (context) => {
  const body = await readJsonBody(context.request, context.services.maxBodyBytes);
  if (context.principal?.kind === 'server')
    return openServerSession(context, context.principal, body);
  if (typeof body === 'object' && body !== null && 'agentKey' in body) {
    const input = parse(widgetSessionSchema, body, 'session');
    if (isSecretKey(input.agentKey)) {
      throw new ParleyError(
        'unauthenticated',
        'The agent key is a secret (sk_…): secret keys and identity secrets must never reach a browser (revoke or replace this one); the widget opens sessions with the publishable key (pk_…)',
        { reason: 'secret_key_as_agent_key' },
      );
    }
    const store = context.services.engine.store;
    const agentKey = await store.findAgentKeyByHash(await hashAgentKey(input.agentKey));
    if (!agentKey || agentKey.revokedAt) {
      throw new ParleyError('unauthenticated', 'The agent key is not valid', {
        reason: 'agent_key_invalid',
      });
    }
    // The handler let this page read the answer (a tokenless request): the refusal too, so
    // the widget can say why instead of retrying what looks like a network failure.
    const origin = context.request.headers.get('origin');
    if (origin && !isOriginAllowed(origin, agentKey.allowedOrigins)) {
      throw new ParleyError('forbidden', 'This site may not use this agent key', {
        reason: 'origin_not_allowed',
      });
    }
    const workspace = context.services.engine.forWorkspace(agentKey.workspaceId);
    const opened = input.identityToken
      ? await openIdentifiedSession(
          context,
          agentKey,
          await context.services.identityTokens.verify(input.identityToken, agentKey.id),
        )
      : await openAnonymousSession(context, agentKey, input.customerName);
    const { session, customer } = opened;
    if (!opened.resumed) reactToSessionStarted(context, agentKey.workspaceId, session.id);
    await workspace.agentKeys.touch(agentKey.id);
    const { token, expiresAt } = await context.services.customerTokens.issue({
      workspaceId: agentKey.workspaceId,
      agentId: agentKey.agentId,
      sessionId: session.id,
      customerId: customer.id,
      agentKeyId: agentKey.id,
    });
    return jsonResponse(
      context,
      {
        session,
        customerToken: token,
        expiresAt: expiresAt.toISOString(),
        resumed: opened.resumed,
      },
      opened.resumed ? 200 : 201,
    );
  }
  const { workspace } = await requireOperator(context, 'write');
  const input = parse(operatorSessionSchema, body, 'session');
  return jsonResponse(context, await workspace.sessions.create(input), 201);
};

/**
 * The session listing's query: `?agentId&customerId&status&cursor&limit`, and `label`, which
 * may repeat (`?label=vip&label=refund`): only sessions carrying every one of them.
 */
const sessionListingQuerySchema = sessionListFilterSchema.omit({ labels: true }).extend({
  cursor: z.string().max(512).optional(),
  limit: wholeNumberParameter(1, 200).optional(),
  label: z.array(tagSchema).max(20).optional(),
});

const listSessions: RouteHandler = async (context) => {
  const { workspace } = await requireOperator(context, 'read');
  const { searchParams } = context.url;
  const labels = searchParams.getAll('label');
  const { label, ...filter } = parse(
    sessionListingQuerySchema,
    {
      ...Object.fromEntries(searchParams),
      workspaceId: undefined,
      label: labels.length > 0 ? labels : undefined,
    },
    'session listing',
  );
  return jsonResponse(context, await workspace.sessions.list({ ...filter, labels: label }));
};

const getSession: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireSessionAccess(context, sessionId, 'read', 'events:read');
  return jsonResponse(context, await workspace.sessions.get(sessionId));
};

const patchSession: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireOperator(context, 'write');
  const patch = parse(
    sessionPatchSchema,
    await readJsonBody(context.request, context.services.maxBodyBytes),
    'session update',
  );
  return jsonResponse(context, await workspace.sessions.update(sessionId, patch));
};

const listEvents: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireSessionAccess(context, sessionId, 'read', 'events:read');
  const query = parse(
    eventsQuerySchema,
    Object.fromEntries(context.url.searchParams),
    'event listing',
  );
  const options = { after: query.after ?? -1, limit: query.limit ?? 100, kinds: query.kinds };
  let events = await workspace.events.list(sessionId, options);
  const wait = Math.min(query.wait ?? 0, context.services.maxWaitSeconds);
  const deadline = Date.now() + wait * 1000;
  // Long poll: wait for the next append to the session, the deadline or the client leaving.
  // An append of kinds the client did not ask for wakes the wait without ending it.
  while (events.length === 0 && Date.now() < deadline && !context.request.signal.aborted) {
    await new Promise<void>((resolve) => {
      let unsubscribe: (() => Promise<void>) | undefined;
      let finished = false;
      const done = () => {
        finished = true;
        clearTimeout(timer);
        context.request.signal.removeEventListener('abort', done);
        void unsubscribe?.();
        resolve();
      };
      const timer = setTimeout(done, deadline - Date.now());
      context.request.signal.addEventListener('abort', done, { once: true });
      void context.services.engine.eventBus
        .subscribe(sessionId, (message) => {
          if (message.type === 'events-appended' || message.type === 'bus-resync') done();
        })
        .then(async (stop) => {
          unsubscribe = stop;
          // A wait that ended before the subscription was active must not leave it behind.
          if (finished) return void stop();
          // An append between the first read and the subscription must not be waited past.
          if ((await workspace.events.list(sessionId, { ...options, limit: 1 })).length > 0) done();
        });
    });
    events = await workspace.events.list(sessionId, options);
  }
  return jsonResponse(context, { events: events.map(wireEventViewFor(context.principal)) });
};

const postEvent: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace, principal } = await requireSessionAccess(
    context,
    sessionId,
    'write',
    'messages:write',
  );
  const body = await readJsonBody(context.request, context.services.maxBodyBytes);
  // A secret key posts for the session's customer, as the customer would.
  if (principal.kind === 'customer' || principal.kind === 'server') {
    const { kind: _kind, ...message } = parse(customerPostSchema, body, 'message');
    const posted = await workspace.sessions.postCustomerMessage(sessionId, message);
    observeTurn(context, posted);
    context.services.metrics.eventsAppended(posted.duplicate ? 0 : 1);
    return jsonResponse(
      context,
      { event: toWireEvent(posted.event), duplicate: posted.duplicate },
      posted.duplicate ? 200 : 201,
    );
  }
  const input = parse(operatorPostSchema, body, 'event');
  let event: ParleyEvent;
  if (input.kind === 'message') {
    const { kind: _kind, ...message } = input;
    const participantName = displayNameOf(principal);
    event = await workspace.sessions.postHumanMessage(sessionId, {
      ...message,
      ...(participantName === undefined ? {} : { participantName }),
      participantId: principal.userId,
    });
  } else {
    const [appended] = await workspace.events.append(sessionId, [
      { kind: 'custom', source: 'human_agent', data: { type: input.type, payload: input.payload } },
    ]);
    event = appended as ParleyEvent;
    await context.services.engine.eventBus.publish({
      type: 'events-appended',
      workspaceId: workspace.workspaceId,
      sessionId,
      lastOffset: event.offset,
    });
  }
  context.services.metrics.eventsAppended(1);
  return jsonResponse(context, { event: toWireEvent(event), duplicate: false }, 201);
};

const streamEvents: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireSessionAccess(context, sessionId, 'read', 'events:read');
  await workspace.sessions.get(sessionId);
  const { services } = context;
  // The stream lives for hours: it keeps the events repository and the workspace id, not the
  // whole workspace (a dozen repositories, tens of KiB) or anything else of this request.
  const { workspaceId, events } = workspace;
  const body = await openSessionStream({
    workspace: { workspaceId, events },
    sessionId,
    after: resumeOffset(context),
    bus: services.engine.eventBus,
    drafts: services.replyDrafts,
    keepAliveMs: services.keepAliveMs,
    signal: context.request.signal,
    shutdown: services.shutdown,
    onClose: () => services.metrics.streamClosed(),
    view: wireEventViewFor(context.principal),
    settleAbandonedTurn: () =>
      services.engine.forWorkspace(workspaceId).sessions.settleAbandonedTurn(sessionId),
    abandonedTurnCheckMs: services.abandonedTurnCheckMs,
  });
  services.metrics.streamOpened();
  const headers = new Headers(context.responseHeaders);
  headers.set('content-type', 'text/event-stream; charset=utf-8');
  headers.set('cache-control', 'no-cache, no-transform');
  headers.set('connection', 'keep-alive');
  headers.set('x-accel-buffering', 'no');
  headers.set('x-parley-stream', 'v1');
  return new Response(body, { status: 200, headers });
};

const cancelTurn: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireSessionAccess(context, sessionId, 'write');
  await workspace.sessions.cancel(sessionId);
  return emptyResponse(context);
};

/**
 * Runs the turn again for the session's latest customer message: what the widget's retry
 * does after a turn ended in a retryable error. 202 once the turn is queued; its statuses,
 * reply and deltas arrive on the stream like any other turn's.
 */
const retryTurn: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireSessionAccess(context, sessionId, 'write');
  const session = await workspace.sessions.get(sessionId);
  if (session.status === 'closed') throw new ParleyError('conflict', 'The session is closed');
  const { turn } = await workspace.sessions.retry(sessionId);
  observeTurn(context, { turn });
  return jsonResponse(context, { accepted: true }, 202);
};

/** What a client shows of the session's agent: its name and description, nothing internal. */
const sessionAgent: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireSessionAccess(context, sessionId, 'read');
  const session = await workspace.sessions.get(sessionId);
  const agent = await workspace.agents.get(session.agentId);
  return jsonResponse(context, {
    id: agent.id,
    name: agent.name,
    description: agent.description,
  });
};

const renewToken: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const principal = context.principal;
  // A secret key needs no renewal: the route does not exist for it.
  if (principal?.kind === 'server') throw new ParleyError('not_found', 'Not found');
  if (principal?.kind !== 'customer') {
    throw new ParleyError('unauthenticated', 'Renew with the customer token that is still valid');
  }
  if (principal.sessionId !== sessionId) throw new ParleyError('not_found', 'session not found');
  const { token, expiresAt } = await context.services.customerTokens.issue(principal);
  return jsonResponse(context, { customerToken: token, expiresAt: expiresAt.toISOString() });
};

const workflowRunsQuerySchema = z.object({
  cursor: z.string().max(512).optional(),
  limit: wholeNumberParameter(1, 200).optional(),
});

/** The workflows run for a session (as tools of its turns, or on its events), oldest first. */
const listSessionWorkflows: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const { workspace } = await requireOperator(context, 'read');
  const query = parse(
    workflowRunsQuerySchema,
    Object.fromEntries(context.url.searchParams),
    'workflow run listing',
  );
  // The session first: another workspace's is a 404, not an empty list.
  await workspace.sessions.get(sessionId);
  return jsonResponse(context, await workspace.sessionWorkflows.list({ ...query, sessionId }));
};

const giveFeedback: RouteHandler = async (context) => {
  const sessionId = context.parameters.sessionId as string;
  const eventId = context.parameters.eventId as string;
  const { workspace } = await requireSessionAccess(context, sessionId, 'write');
  const feedback = parse(
    feedbackSchema,
    await readJsonBody(context.request, context.services.maxBodyBytes),
    'feedback',
  );
  const rated = await workspace.events.get(eventId);
  if (rated.sessionId !== sessionId) throw new ParleyError('not_found', 'event not found');
  const [event] = await workspace.events.append(sessionId, [
    {
      kind: 'custom',
      source: context.principal?.kind === 'customer' ? 'customer' : 'human_agent',
      data: {
        type: 'feedback',
        payload: { eventId, rating: feedback.rating, comment: feedback.comment ?? null },
      },
    },
  ]);
  await context.services.engine.eventBus.publish({
    type: 'events-appended',
    workspaceId: workspace.workspaceId,
    sessionId,
    lastOffset: (event as ParleyEvent).offset,
  });
  context.services.metrics.eventsAppended(1);
  return jsonResponse(context, { event: toWireEvent(event as ParleyEvent) }, 201);
};

/**
 * The conversation routes: sessions, their events, the stream, cancel, retry, the agent's
 * profile, token, feedback, and the workflows run for a session.
 */
export function registerSessionRoutes(router: Router<RouteHandler>): void {
  router.add('POST', '/v1/sessions', createSession);
  router.add('GET', '/v1/sessions', listSessions);
  router.add('GET', '/v1/sessions/:sessionId', getSession);
  router.add('PATCH', '/v1/sessions/:sessionId', patchSession);
  router.add('GET', '/v1/sessions/:sessionId/events', listEvents);
  router.add('POST', '/v1/sessions/:sessionId/events', postEvent);
  router.add('GET', '/v1/sessions/:sessionId/stream', streamEvents);
  router.add('POST', '/v1/sessions/:sessionId/cancel', cancelTurn);
  router.add('POST', '/v1/sessions/:sessionId/retry', retryTurn);
  router.add('GET', '/v1/sessions/:sessionId/agent', sessionAgent);
  router.add('POST', '/v1/sessions/:sessionId/token', renewToken);
  router.add('POST', '/v1/sessions/:sessionId/events/:eventId/feedback', giveFeedback);
  router.add('GET', '/v1/sessions/:sessionId/workflows', listSessionWorkflows);
}
