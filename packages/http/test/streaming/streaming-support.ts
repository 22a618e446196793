import {
  type AgentDefinition,
  createInMemoryEventBus,
  type EngineOptions,
  type EventBus,
} from '@parley/core';
import type { PgliteStore } from '@parley/core/pglite';
import { createPostgresEventBus, createPostgresStore } from '@parley/core/postgres';
import type { WireEvent } from '@parley/core/protocol';
import {
  createPostgresTestSchema,
  type FakeOpenAIServer,
  testDatabaseUrl,
} from '@parley/core/testing';
import type { ParleyHandlerOptions } from '../../src/index';
import { createHandlerKit, type HandlerKit, operatorToken, type SseFrame } from '../handler-kit';

/**
 * What the streaming tests share on top of the handler kit: a widget agent and its sessions,
 * posting and streaming as a customer, and reading frames back as events, deltas and statuses.
 */

/** The agent's workspace in every streaming test. */
export const workspaceId = 'workspace-streaming';

/** An agent with a publishable key, ready for widget sessions. */
export interface WidgetAgent {
  agentId: string;
  /** The `pk_…` secret the widget exchanges for a customer token. */
  agentKey: string;
  /** A token of an operator of the agent's workspace. */
  operator: string;
}

/** A widget session as its customer holds it. */
export interface CustomerSession {
  sessionId: string;
  customerToken: string;
}

/** Syncs `definition` into the streaming workspace and issues it a publishable key. */
export async function createWidgetAgent(
  kit: HandlerKit,
  definition: AgentDefinition,
): Promise<WidgetAgent> {
  const report = await kit.engine.sync(workspaceId, definition);
  const operator = await operatorToken({ workspaceId });
  const response = await kit.call('POST', `/v1/agents/${report.agent.id}/keys`, {
    token: operator,
    body: { name: 'Website', allowedOrigins: ['https://shop.example'] },
  });
  if (response.status !== 201) throw new Error(`agent key: ${await response.text()}`);
  const { secret } = (await response.json()) as { secret: string };
  return { agentId: report.agent.id, agentKey: secret, operator };
}

/** Opens a widget session with the agent key, as the widget does. */
export async function openCustomerSession(
  kit: HandlerKit,
  agent: WidgetAgent,
): Promise<CustomerSession> {
  const response = await kit.call('POST', '/v1/sessions', { body: { agentKey: agent.agentKey } });
  if (response.status !== 201) throw new Error(`session: ${await response.text()}`);
  const { session, customerToken } = (await response.json()) as {
    session: { id: string };
    customerToken: string;
  };
  return { sessionId: session.id, customerToken };
}

/** Posts a customer message (`POST …/events`). */
export function postMessage(
  kit: HandlerKit,
  session: CustomerSession,
  text: string,
  clientMessageId?: string,
): Promise<Response> {
  return kit.call('POST', `/v1/sessions/${session.sessionId}/events`, {
    token: session.customerToken,
    body: { kind: 'message', text, ...(clientMessageId ? { clientMessageId } : {}) },
  });
}

/** Opens the session's event stream as its customer (or with `token`, e.g. an operator's). */
export function openStream(
  kit: HandlerKit,
  session: CustomerSession,
  options: { lastEventId?: string; after?: string; signal?: AbortSignal; token?: string } = {},
): Promise<Response> {
  const query = options.after === undefined ? '' : `?after=${encodeURIComponent(options.after)}`;
  return kit.call('GET', `/v1/sessions/${session.sessionId}/stream${query}`, {
    token: options.token ?? session.customerToken,
    headers: options.lastEventId === undefined ? {} : { 'last-event-id': options.lastEventId },
    signal: options.signal,
  });
}

/** The persisted events among the frames (`event: event`), in the order they came. */
export function persistedEvents(frames: readonly SseFrame[]): WireEvent[] {
  return frames.filter((frame) => frame.event === 'event').map((frame) => frame.data as WireEvent);
}

/** The `delta` frames' payloads, in the order they came. */
export function deltasOf(
  frames: readonly SseFrame[],
): Array<{ messageId: string; seq: number; text: string }> {
  return frames
    .filter((frame) => frame.event === 'delta')
    .map((frame) => frame.data as { messageId: string; seq: number; text: string });
}

/** The turn status an event carries, if it is a status event. */
export function statusOf(event: WireEvent): string | undefined {
  return event.kind === 'status' ? event.data.status : undefined;
}

/** A `readFrames` stop condition: a status event `status` with an offset above `afterOffset`. */
export function untilStatus(status: string, afterOffset = -1) {
  return (frames: readonly SseFrame[]): boolean =>
    persistedEvents(frames).some(
      (event) => event.offset > afterOffset && statusOf(event) === status,
    );
}

/** A `readFrames` stop condition: a turn ended (ready, error or cancelled) after `afterOffset`. */
export function untilTurnEnds(afterOffset = -1) {
  return (frames: readonly SseFrame[]): boolean =>
    persistedEvents(frames).some(
      (event) =>
        event.offset > afterOffset &&
        ['ready', 'error', 'cancelled'].includes(statusOf(event) ?? ''),
    );
}

/** The session's stored events as its customer reads them (`GET …/events`). */
export async function listEvents(
  kit: HandlerKit,
  session: CustomerSession,
  query = '',
): Promise<WireEvent[]> {
  const response = await kit.call('GET', `/v1/sessions/${session.sessionId}/events${query}`, {
    token: session.customerToken,
  });
  if (response.status !== 200) throw new Error(`events: ${await response.text()}`);
  return ((await response.json()) as { events: WireEvent[] }).events;
}

/** What a judgement answers when no guideline applies: the reply is then plain fluid text. */
export const nothingApplies = {
  guidelines: [],
  journey: { id: null, nextState: null },
  cannedResponse: null,
};

/**
 * Scripts one fluid turn on the fake OpenAI server: the judgement (structured, nothing
 * applies), then the reply, streamed in `chunks` pieces `chunkDelayMs` apart.
 */
export function enqueueFluidTurn(
  server: FakeOpenAIServer,
  reply: { text: string; chunks?: number; chunkDelayMs?: number },
): void {
  server.enqueue({ json: nothingApplies });
  server.enqueue(reply);
}

/** The streamed chat completions (replies) the fake server received. */
export function replyRequests(server: FakeOpenAIServer): number {
  return server.requests.filter(
    (request) =>
      request.path === '/v1/chat/completions' &&
      (request.body as { stream?: boolean } | undefined)?.stream === true,
  ).length;
}

/** A text of `words` numbered words, so a prefix of it is easy to tell apart from the rest. */
export function numberedWords(words: number): string {
  return Array.from({ length: words }, (_, index) => `word${index + 1}`).join(' ');
}

/**
 * The in-process bus, with a count of the live subscriptions of each session: how a test
 * tells that a long poll is waiting, and that it stopped listening. `subscribeDelayMs` makes
 * subscribing slow, as a bus whose connection is still being opened.
 */
export function createObservedEventBus(options: { subscribeDelayMs?: number } = {}): {
  bus: EventBus;
  /** Subscriptions of the session that are active now. */
  subscriptions: (sessionId: string) => number;
  /** Subscriptions of the session that ever became active. */
  subscribed: (sessionId: string) => number;
} {
  const bus = createInMemoryEventBus();
  const live = new Map<string, number>();
  const total = new Map<string, number>();
  const add = (counts: Map<string, number>, sessionId: string, by: number) =>
    counts.set(sessionId, (counts.get(sessionId) ?? 0) + by);
  return {
    bus: {
      ...bus,
      async subscribe(sessionId, listener) {
        if (options.subscribeDelayMs)
          await new Promise((resolve) => setTimeout(resolve, options.subscribeDelayMs));
        const unsubscribe = await bus.subscribe(sessionId, listener);
        add(live, sessionId, 1);
        add(total, sessionId, 1);
        let stopped = false;
        return async () => {
          if (!stopped) add(live, sessionId, -1);
          stopped = true;
          await unsubscribe();
        };
      },
    },
    subscriptions: (sessionId) => live.get(sessionId) ?? 0,
    subscribed: (sessionId) => total.get(sessionId) ?? 0,
  };
}

/** A handler kit on a throwaway PostgreSQL schema: its store, and the LISTEN/NOTIFY bus. */
export interface PostgresHandlerKit {
  kit: HandlerKit;
  /** Closes the handler, the bus and the store, and drops the schema. */
  close(): Promise<void>;
}

/**
 * Builds a handler kit whose engine runs on PostgreSQL (`testDatabaseUrl`, a schema of its own)
 * with the PostgreSQL event bus, so deltas and wake-ups travel through `NOTIFY`.
 */
export async function createPostgresHandlerKit(
  overrides: { engine?: Partial<EngineOptions>; handler?: Partial<ParleyHandlerOptions> } = {},
): Promise<PostgresHandlerKit> {
  const testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
  const store = await createPostgresStore({ pool: testSchema.createPool(6) });
  const eventBus = createPostgresEventBus({
    pool: testSchema.createPool(2),
    channel: `${testSchema.schemaName}_bus`,
  });
  const kit = await createHandlerKit({
    ...overrides,
    engine: { ...overrides.engine, eventBus },
    // The kit types its store as PGlite's, but only hands it to the engine (and leaves a
    // store it was given open): any Store works there.
    store: store as unknown as PgliteStore,
  });
  return {
    kit,
    async close() {
      await kit.close();
      await eventBus.close();
      await store.close();
      await testSchema.drop();
    },
  };
}
