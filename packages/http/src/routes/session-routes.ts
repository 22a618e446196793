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
import type { OperatorPrincipal } from '../principals/principal';
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
  let customer = await scoped.customers.findByExternalId(identity.externalId);
  if (!customer) {
    try {
      customer = await scoped.customers.create({
        externalId: identity.externalId,
        name: identity.name ?? null,
        email: identity.email ?? null,
      });
    } catch (error) {
      // Two first visits at once: the other request created them; use that record.
      if (!(error instanceof ParleyError) || error.code !== 'conflict') throw error;
      customer = await scoped.customers.findByExternalId(identity.externalId);
      if (!customer) throw error;
    }
  }
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
  scoped: WorkspaceStore,
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

const createSession: RouteHandler = async (context) => {
  const body = await readJsonBody(context.request, context.services.maxBodyBytes);
  if (typeof body === 'object' && body !== null && 'agentKey' in body) {
    const input = parse(widgetSessionSchema, body, 'session');
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
  const { workspace } = await requireSessionAccess(context, sessionId, 'read');
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
  const { workspace } = await requireSessionAccess(context, sessionId, 'read');
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
  const { workspace, principal } = await requireSessionAccess(context, sessionId, 'write');
  const body = await readJsonBody(context.request, context.services.maxBodyBytes);
  if (principal.kind === 'customer') {
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
  const { workspace } = await requireSessionAccess(context, sessionId, 'read');
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
  if (principal?.kind !== 'customer') {
    throw new ParleyError('unauthenticated', 'Renew with the customer token that is still valid');
  }
  if (principal.sessionId !== sessionId) throw new ParleyError('not_found', 'session not found');
  const { token, expiresAt } = await context.services.customerTokens.issue(principal);
  return jsonResponse(context, { customerToken: token, expiresAt: expiresAt.toISOString() });
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
 * profile, token, feedback.
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
}
