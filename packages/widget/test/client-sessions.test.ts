import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEngine, defineAgent, tool } from '@parley/core';
import { createTestClock } from '@parley/core/testing';
import { createParleyHandler, toNodeListener } from '@parley/http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import {
  type ChatClient,
  type ChatClientOptions,
  type ChatMessage,
  type ChatState,
  createChatClient,
  createHttpTransport,
  TransportError,
} from '../src/index';
import { type ChatServer, openingHours, shopAgent, startChatServer } from './chat-server';
import { createFlakyFetch } from './flaky-fetch';
import { createManualTimers } from './manual-timers';
import { createMemoryStorage } from './memory-storage';

/**
 * The chat client against the real handler over HTTP, with an agent that needs no model
 * (canned-strict: retrieval picks the reply): sessions opened, kept and restored, messages sent
 * optimistically and idempotently, two tabs of one session, tokens renewed and replaced.
 */

/** The handler's clock: the tests move it to make tokens lapse. */
const clock = createTestClock({
  // Whole seconds, as a token's expiry is: the renewal's delay is then exact.
  start: new Date(Math.floor(Date.now() / 1000) * 1000),
  tickMilliseconds: 0,
});
let server: ChatServer;
let workspaceId: string;
let agentKey: string;
const clients: ChatClient[] = [];

beforeAll(async () => {
  server = await startChatServer({ clock });
  ({ workspaceId, agentKey } = await server.addAgent(shopAgent));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});
afterAll(async () => {
  await server?.close();
});

/** A client of the shop agent over HTTP; disposed after the test. */
function openChat(options: Partial<ChatClientOptions> & { fetch?: typeof fetch } = {}) {
  const { fetch: fetchImplementation, ...rest } = options;
  const client = createChatClient({
    transport: createHttpTransport({
      endpoint: server.endpoint,
      ...(fetchImplementation ? { fetch: fetchImplementation } : {}),
    }),
    session: { agentKey },
    storage: null,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    ...rest,
  });
  clients.push(client);
  return client;
}

const messages = (state: ChatState) =>
  state.items.filter((item): item is ChatMessage => item.type === 'message');
const transcript = (state: ChatState) =>
  messages(state).map((message) => `${message.role}: ${message.text} (${message.delivery})`);

async function untilReady(client: ChatClient, replies: number) {
  await vi.waitFor(() => {
    const agentReplies = messages(client.getState()).filter(
      (message) => message.role === 'agent' && message.delivery === 'sent',
    );
    expect(agentReplies).toHaveLength(replies);
    expect(client.getState().turn.status).toBe('ready');
  });
}

async function customerMessagesStored(sessionId: string) {
  const events = await server.storedEvents(workspaceId, sessionId);
  return events.filter((event) => event.kind === 'message' && event.source === 'customer');
}

describe('sessions', () => {
  it('opens a session with the agent key, keeps it, and a reload resumes it with its history', async () => {
    const storage = createMemoryStorage();
    const sessionsBefore = await server.sessionCount(workspaceId);
    const first = openChat({ storage });
    await first.start();
    const sessionId = first.getState().sessionId;
    expect(sessionId).toEqual(expect.any(String));
    expect(JSON.parse(storage.get(`parley:${agentKey}`) as string)).toMatchObject({
      sessionId,
      customerToken: expect.any(String),
    });
    await vi.waitFor(() => expect(first.getState().connection).toBe('open'));
    await first.send('when are you open?');
    await untilReady(first, 1);
    first.dispose();

    // The page reloads: a new client on the same storage.
    const reloaded = openChat({ storage });
    await reloaded.start();
    expect(reloaded.getState()).toMatchObject({ sessionId, historyLoaded: true, unread: 0 });
    expect(transcript(reloaded.getState())).toEqual([
      'customer: when are you open? (sent)',
      `agent: ${openingHours} (sent)`,
    ]);
    expect(reloaded.getState().turn.status).toBe('ready');
    expect(await server.sessionCount(workspaceId)).toBe(sessionsBefore + 1);
    await vi.waitFor(() => expect(reloaded.getState().connection).toBe('open'));
    // And the conversation goes on in the same session.
    await reloaded.send('when are you open on sunday?');
    await untilReady(reloaded, 2);
    expect(await customerMessagesStored(sessionId as string)).toHaveLength(2);
  });

  it('restores a long session from its latest page, without reading the whole history', async () => {
    const transport = createHttpTransport({ endpoint: server.endpoint });
    const grant = await transport.openSession({ agentKey });
    // 300 operator notes: a long conversation, stored before the visitor comes back.
    for (let batch = 0; batch < 3; batch += 1) {
      await server.engine.forWorkspace(workspaceId).events.append(
        grant.sessionId,
        Array.from({ length: 100 }, (_, index) => ({
          kind: 'message' as const,
          source: 'human_agent' as const,
          data: { text: `note ${batch * 100 + index}` },
        })),
      );
    }
    const flaky = createFlakyFetch();
    const client = openChat({
      fetch: flaky.fetch,
      session: { sessionId: grant.sessionId, customerToken: grant.customerToken },
    });
    await client.start();
    const state = client.getState();
    expect(messages(state).at(-1)?.text).toBe('note 299');
    expect(messages(state)).toHaveLength(100);
    expect(state.windowStartOffset).toBe(200);
    // One read of the latest page: no walk from the first event.
    const reads = flaky.requests.filter(
      (request) => request.method === 'GET' && request.path.endsWith('/events'),
    );
    expect(reads.map((request) => new URLSearchParams(request.search).get('after'))).toEqual([
      '199',
    ]);
    // With older history, the customer is past the suggested replies.
    expect(state.suggestedReplies).toEqual([]);
    const earlier = await client.loadHistoryPage({ beforeOffset: 200, limit: 50 });
    expect(earlier.items.map((item) => (item as ChatMessage).text).at(-1)).toBe('note 199');
    expect(earlier.hasMore).toBe(true);
  });

  it('uses credentials the host hands over, without opening a session', async () => {
    const transport = createHttpTransport({ endpoint: server.endpoint });
    const grant = await transport.openSession({ agentKey });
    const sessionsBefore = await server.sessionCount(workspaceId);
    const client = openChat({
      session: { sessionId: grant.sessionId, customerToken: grant.customerToken },
    });
    await client.start();
    expect(client.getState().sessionId).toBe(grant.sessionId);
    await client.send('when are you open?');
    await untilReady(client, 1);
    expect(await server.sessionCount(workspaceId)).toBe(sessionsBefore);
  });

  it('shows why a session cannot be opened with a bad agent key', async () => {
    const logger = { error: vi.fn() };
    const client = openChat({ session: { agentKey: 'pk_not_a_real_key_0000' }, logger });
    await client.start();
    // A configuration error (client-configuration-errors.test.ts): nothing to retry.
    expect(client.getState()).toMatchObject({
      sessionId: null,
      connection: 'unavailable',
      error: {
        code: 'agent_key_invalid',
        message: "This chat isn't available on this site right now.",
        retryable: false,
      },
    });
    expect(messages(client.getState())).toEqual([]);
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('gives the agent profile for the header once there is a session', async () => {
    const client = openChat();
    await expect(client.loadAgentProfile()).rejects.toThrow(/start/);
    await client.start();
    expect(await client.loadAgentProfile()).toEqual({
      id: expect.any(String),
      name: 'Shop',
      description: '',
    });
  });
});

describe('sending', () => {
  it('shows the message at once as sending, then sent when stored, with the reply after it', async () => {
    const client = openChat({ createId: () => 'client-message-1' });
    await client.start();
    const states: ChatState[] = [];
    client.subscribe(() => states.push(client.getState()));
    const sent = client.send('when are you open?');
    expect(messages(client.getState())).toEqual([
      expect.objectContaining({
        id: 'client-message-1',
        clientMessageId: 'client-message-1',
        role: 'customer',
        delivery: 'sending',
        eventId: null,
      }),
    ]);
    expect(await sent).toBe('client-message-1');
    await untilReady(client, 1);
    const [message, reply] = messages(client.getState());
    expect(message).toMatchObject({ id: 'client-message-1', delivery: 'sent', offset: 0 });
    expect(message?.eventId).toEqual(expect.any(String));
    expect(reply).toMatchObject({ role: 'agent', text: openingHours, delivery: 'sent' });
    // One customer item all along, whichever of the POST answer and the stream came first.
    for (const state of states) {
      expect(messages(state).filter((item) => item.role === 'customer')).toHaveLength(1);
    }
    expect(client.getState().unread).toBe(1);
  });

  it('resends a message whose answer was lost with the same id: the server keeps one', async () => {
    const flaky = createFlakyFetch();
    const timers = createManualTimers();
    let ids = 0;
    const client = openChat({ fetch: flaky.fetch, timers, createId: () => `lost-answer-${++ids}` });
    await client.start();
    // The stream cannot connect (and its retries wait for the test), so only the POST answers
    // tell the client what was stored.
    flaky.refuseStreams = true;
    server.dropConnections();
    await vi.waitFor(() => expect(client.getState().connection).toBe('reconnecting'));

    flaky.loseNextAnswer('POST', '/events');
    const id = await client.send('when are you open?');
    expect(messages(client.getState())[0]).toMatchObject({
      id,
      delivery: 'failed',
      error: { code: 'network', retryable: true },
    });
    const sessionId = client.getState().sessionId as string;
    // The server did store it: only its answer was lost.
    expect(await customerMessagesStored(sessionId)).toHaveLength(1);

    await client.retry(id);
    const posts = flaky.requests.filter(
      (request) => request.method === 'POST' && request.path.endsWith('/events'),
    );
    expect(posts.map((request) => request.status)).toEqual([null, 200]);
    expect(messages(client.getState())).toEqual([
      expect.objectContaining({ id, delivery: 'sent', offset: 0, error: null }),
    ]);

    // The stream comes back and replays the stored message: still one item.
    flaky.refuseStreams = false;
    timers.fire(60_000);
    await untilReady(client, 1);
    expect(transcript(client.getState())).toEqual([
      'customer: when are you open? (sent)',
      `agent: ${openingHours} (sent)`,
    ]);
    expect(await customerMessagesStored(sessionId)).toHaveLength(1);
  });

  it('answers a repeated clientMessageId with the first event, marked duplicate', async () => {
    const transport = createHttpTransport({ endpoint: server.endpoint });
    const grant = await transport.openSession({ agentKey });
    const first = await transport.postMessage(grant, {
      text: 'when are you open?',
      clientMessageId: 'same-id',
    });
    const again = await transport.postMessage(grant, {
      text: 'when are you open?',
      clientMessageId: 'same-id',
    });
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ event: first.event, duplicate: true });
    expect(await customerMessagesStored(grant.sessionId)).toHaveLength(1);
  });

  it('rates a reply: shown at once, stored, and read back after a reload', async () => {
    const storage = createMemoryStorage();
    const client = openChat({ storage });
    await client.start();
    await client.send('when are you open?');
    await untilReady(client, 1);
    const reply = messages(client.getState()).find((message) => message.role === 'agent');
    await client.sendFeedback(reply?.id as string, 'down', 'Not what I asked');
    expect(messages(client.getState()).find((message) => message.id === reply?.id)?.feedback).toBe(
      'down',
    );
    const events = await server.storedEvents(workspaceId, client.getState().sessionId as string);
    expect(events.filter((event) => event.kind === 'custom').map((event) => event.data)).toEqual([
      {
        type: 'feedback',
        payload: { eventId: reply?.eventId, rating: 'down', comment: 'Not what I asked' },
      },
    ]);
    client.dispose();
    const reloaded = openChat({ storage });
    await reloaded.start();
    expect(
      messages(reloaded.getState()).find((message) => message.id === reply?.id)?.feedback,
    ).toBe('down');
  });
});

describe('tools', () => {
  it('shows the tool the agent ran as a card between the question and the reply', async () => {
    const orderStatus = tool({
      name: 'order_status',
      description: "Looks up the status of the customer's latest order",
      parameters: z.object({}),
      handler: async () => ({ status: 'shipped' }),
    });
    const orders = await server.addAgent(
      defineAgent({
        name: 'Orders',
        compositionMode: 'canned_strict',
        tools: [orderStatus],
        guidelines: [
          {
            key: 'order',
            condition: 'the customer asks where their order is',
            action: 'look the order up and tell its status',
            tools: ['order_status'],
            examples: ['where is my order'],
          },
        ],
        cannedResponses: [{ template: 'Your order has shipped.' }],
      }),
    );
    const client = openChat({ session: { agentKey: orders.agentKey } });
    await client.start();
    const stages: Array<string | null> = [];
    client.subscribe(() => stages.push(client.getState().turn.stage));
    await client.send('where is my order?');
    await untilReady(client, 1);
    expect(stages).toContain('tool_calls');
    const [question, card, reply] = client.getState().items;
    expect(question).toMatchObject({ type: 'message', role: 'customer' });
    expect(card).toEqual({
      type: 'tool_call',
      id: expect.any(String),
      toolName: 'order_status',
      traceId: expect.any(String),
      offset: expect.any(Number),
      createdAt: expect.any(String),
    });
    expect(reply).toMatchObject({
      type: 'message',
      role: 'agent',
      text: 'Your order has shipped.',
    });
  });
});

describe('two tabs of one session', () => {
  it('converge to the same timeline, whichever tab writes', async () => {
    const storage = createMemoryStorage();
    const left = openChat({ storage });
    await left.start();
    const right = openChat({ storage });
    await right.start();
    expect(right.getState().sessionId).toBe(left.getState().sessionId);
    await vi.waitFor(() => {
      expect(left.getState().connection).toBe('open');
      expect(right.getState().connection).toBe('open');
    });

    await left.send('when are you open?');
    await untilReady(right, 1);
    await right.send('and when are you open on saturday?');
    await untilReady(left, 2);
    await untilReady(right, 2);
    const comparable = (client: ChatClient) =>
      client
        .getState()
        .items.map((item) =>
          item.type === 'message'
            ? [item.id, item.role, item.text, item.delivery, item.offset, item.eventId]
            : [item.id],
        );
    expect(comparable(left)).toEqual(comparable(right));
    expect(transcript(left.getState())).toEqual([
      'customer: when are you open? (sent)',
      `agent: ${openingHours} (sent)`,
      'customer: and when are you open on saturday? (sent)',
      `agent: ${openingHours} (sent)`,
    ]);
  });
});

describe('tokens', () => {
  it('renews the token before it lapses and keeps the renewed one', async () => {
    const storage = createMemoryStorage();
    const timers = createManualTimers();
    const client = openChat({ storage, timers, now: () => clock.now() });
    await client.start();
    const stored = () => JSON.parse(storage.get(`parley:${agentKey}`) as string);
    const before = stored();
    // One timer waits for the renewal: five minutes before the 24-hour token lapses.
    expect(timers.pending()).toEqual([24 * 3_600_000 - 5 * 60_000]);
    clock.advance(24 * 3_600_000 - 5 * 60_000);
    try {
      timers.fire();
      await vi.waitFor(() => expect(stored().customerToken).not.toBe(before.customerToken));
      expect(stored().sessionId).toBe(before.sessionId);
      expect(new Date(stored().expiresAt).getTime()).toBeGreaterThan(
        new Date(before.expiresAt).getTime(),
      );
      // The renewed token works, and the next renewal is scheduled.
      await client.send('when are you open?');
      await untilReady(client, 1);
      expect(timers.pending()).toEqual([24 * 3_600_000 - 5 * 60_000]);
    } finally {
      clock.advance(-(24 * 3_600_000 - 5 * 60_000));
    }
  });

  it('starts a new anonymous session when the server refuses the token as expired', async () => {
    const storage = createMemoryStorage();
    const client = openChat({ storage });
    await client.start();
    const firstSession = client.getState().sessionId;
    await client.send('when are you open?');
    await untilReady(client, 1);
    // The client's clock has not moved (its renewal is far off); the server's has.
    clock.advance(25 * 3_600_000);
    try {
      server.dropConnections();
      await vi.waitFor(() => {
        expect(client.getState().sessionId).not.toBe(firstSession);
        expect(client.getState().connection).toBe('open');
      });
      expect(client.getState()).toMatchObject({ items: [], error: null, historyLoaded: true });
      expect(JSON.parse(storage.get(`parley:${agentKey}`) as string).sessionId).toBe(
        client.getState().sessionId,
      );
    } finally {
      clock.advance(-25 * 3_600_000);
    }
  });

  it('refuses an expired token it was handed with a TransportError the state shows', async () => {
    const transport = createHttpTransport({ endpoint: server.endpoint });
    const grant = await transport.openSession({ agentKey });
    clock.advance(25 * 3_600_000);
    try {
      await expect(transport.listEvents(grant, { after: -1, limit: 10 })).rejects.toMatchObject({
        status: 401,
        code: 'unauthenticated',
        reason: 'token_expired',
        retryable: false,
      });
      const client = openChat({ session: grant });
      await client.start();
      expect(client.getState().error).toMatchObject({ code: 'unauthenticated', retryable: false });
    } finally {
      clock.advance(-25 * 3_600_000);
    }
  });
});

describe('the HTTP transport', () => {
  it('reads a 429 as retryable after the seconds its Retry-After asks', async () => {
    // A second handler on the same store (its own engine: closing a handler closes its
    // engine), with a bucket of one request per address.
    const limited = await createParleyHandler({
      engine: createEngine({ store: server.engine.store }),
      basePath: '/api/parley',
      customerTokenSecret: 'another-secret-for-the-limited-handler-0123',
      rateLimit: { perAddress: { capacity: 1, refillPerSecond: 0.1 } },
    });
    const listener = createServer(toNodeListener(limited));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = listener.address() as AddressInfo;
      const transport = createHttpTransport({ endpoint: `http://127.0.0.1:${port}/api/parley` });
      await transport.openSession({ agentKey });
      const limitedError = await transport.openSession({ agentKey }).catch((error) => error);
      expect(limitedError).toBeInstanceOf(TransportError);
      expect(limitedError).toMatchObject({ status: 429, code: 'rate_limited', retryable: true });
      expect(limitedError.retryAfterSeconds).toBeGreaterThan(0);
      expect(limitedError.retryAfterSeconds).toBeLessThanOrEqual(10);
    } finally {
      listener.closeAllConnections();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await limited.close({ deadlineMs: 100 });
    }
  });

  it('turns the error envelope into a TransportError, and an unreachable server into status 0', async () => {
    const transport = createHttpTransport({ endpoint: `${server.endpoint}/` });
    const refused = await transport
      .postMessage(
        { sessionId: 'nope', customerToken: 'not-a-token' },
        { text: 'hi', clientMessageId: 'x' },
      )
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TransportError);
    expect(refused).toMatchObject({ status: 401, code: 'unauthenticated', retryable: false });

    const unreachable = createHttpTransport({ endpoint: 'http://127.0.0.1:9/api/parley' });
    await expect(unreachable.openSession({ agentKey })).rejects.toMatchObject({
      status: 0,
      code: 'network',
      retryable: true,
    });
  });
});
