import { defineAgent, tool } from '@parley/core';
import { createOpenAIChatModel } from '@parley/core/openai';
import type { WireEvent } from '@parley/core/protocol';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createHandlerKit, type HandlerKit, readFrames } from '../handler-kit';
import { type BreakingProxy, startBreakingProxy } from './start-breaking-proxy';
import {
  type CustomerSession,
  createWidgetAgent,
  deltasOf,
  enqueueFluidTurn,
  listEvents,
  nothingApplies,
  numberedWords,
  openCustomerSession,
  openStream,
  persistedEvents,
  postMessage,
  statusOf,
  untilStatus,
  untilTurnEnds,
  type WidgetAgent,
} from './streaming-support';

/**
 * Faults on one instance: a client that drops mid-reply and resumes, a model whose stream
 * breaks or whose endpoint fails, and a tool that throws. The real `openai` client talks to
 * the fake server through a proxy that can cut a stream off partway.
 */

/** What the failing tool's exception says: internal details a customer must never see. */
const internalFailure = 'ECONNREFUSED 10.0.0.5:5432 while reading orders_internal';
const internalMarkers = ['ECONNREFUSED', '10.0.0.5', 'orders_internal'];

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Finds an order by its number',
  parameters: z.object({ orderNumber: z.string() }),
  handler: async (): Promise<{ status: string }> => {
    throw new Error(internalFailure);
  },
});

let server: FakeOpenAIServer;
let proxy: BreakingProxy;
let kit: HandlerKit;
let agent: WidgetAgent;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
  proxy = await startBreakingProxy(server.baseURL);
  kit = await createHandlerKit({
    engine: {
      // One retry, as a deployment would keep: enough to see it work and to exhaust it.
      model: createOpenAIChatModel({
        model: 'gpt-test',
        baseURL: proxy.baseURL,
        apiKey: 'test-key',
        maxRetries: 1,
      }),
    },
  });
  agent = await createWidgetAgent(
    kit,
    defineAgent({
      name: 'Support',
      tools: [lookupOrder],
      guidelines: [
        {
          key: 'order_status',
          condition: 'the customer asks where their order is',
          action: 'look the order up and tell its status',
          tools: ['lookup_order'],
          pinned: true,
        },
      ],
    }),
  );
});
afterAll(async () => {
  await kit?.close();
  await proxy?.close();
  await server?.close();
});

const messagesFrom = (events: readonly WireEvent[], source: string) =>
  events.filter(
    (event): event is Extract<WireEvent, { kind: 'message' }> =>
      event.kind === 'message' && event.source === source,
  );

/** Asserts the session is idle and answers its next message: the failure left nothing stuck. */
async function expectAnswersNext(session: CustomerSession): Promise<void> {
  expect(kit.engine.turnsInFlight).toBe(0);
  const before = await listEvents(kit, session);
  expect(['ready', 'error', 'cancelled']).toContain(
    before
      .filter((event) => event.kind === 'status')
      .map(statusOf)
      .at(-1),
  );
  const last = before.at(-1)?.offset as number;
  const stream = await openStream(kit, session, { lastEventId: String(last) });
  enqueueFluidTurn(server, { text: 'Back to normal.' });
  expect((await postMessage(kit, session, 'are you there?')).status).toBe(201);
  const frames = await readFrames(stream, untilTurnEnds(last));
  const events = persistedEvents(frames);
  expect(events.map(statusOf).filter(Boolean).at(-1)).toBe('ready');
  expect(messagesFrom(events, 'ai_agent').map((event) => event.data)).toEqual([
    { text: 'Back to normal.' },
  ]);
}

describe('a client that drops mid-reply', () => {
  it('resumes with Last-Event-ID and ends up with every event exactly once, through ready', async () => {
    const session = await openCustomerSession(kit, agent);
    enqueueFluidTurn(server, { text: numberedWords(40), chunkDelayMs: 40 });
    const leaving = new AbortController();
    const first = await openStream(kit, session, { signal: leaving.signal });
    expect((await postMessage(kit, session, 'tell me a story')).status).toBe(201);
    const before = await readFrames(first, (frames) => deltasOf(frames).length >= 3);
    leaving.abort();

    const lastEventId = before.filter((frame) => frame.id !== undefined).at(-1)?.id;
    expect(lastEventId).toBeDefined();
    const resumed = await openStream(kit, session, { lastEventId });
    const after = await readFrames(resumed, untilStatus('ready'));

    const seen = [...persistedEvents(before), ...persistedEvents(after)];
    const offsets = seen.map((event) => event.offset);
    const last = Math.max(...offsets);
    expect(offsets).toEqual(Array.from({ length: last + 1 }, (_, index) => index));
    expect(seen).toEqual(await listEvents(kit, session));
    expect(statusOf(seen.at(-1) as WireEvent)).toBe('ready');
    expect(messagesFrom(seen, 'ai_agent').map((event) => event.data)).toEqual([
      { text: numberedWords(40) },
    ]);
  });
});

describe('a model that fails', () => {
  it('ends the turn with an error when the reply stream breaks partway, and keeps the customer message', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    enqueueFluidTurn(server, { text: numberedWords(40), chunkDelayMs: 20 });
    // The role chunk and four words go through, then the connection drops.
    proxy.breakNextStreamAfter(5);
    expect((await postMessage(kit, session, 'tell me a long story')).status).toBe(201);
    const frames = await readFrames(stream, untilTurnEnds());

    const events = persistedEvents(frames);
    expect(deltasOf(frames).length).toBeGreaterThan(0);
    expect(messagesFrom(events, 'customer').map((event) => event.data.text)).toEqual([
      'tell me a long story',
    ]);
    // A cut-off reply is not a reply: nothing of it is stored as the agent's message.
    expect(messagesFrom(events, 'ai_agent')).toEqual([]);
    expect(events.at(-1)).toMatchObject({
      kind: 'status',
      data: { status: 'error', error: { code: 'model_failed' } },
    });
    expect(messagesFrom(await listEvents(kit, session), 'ai_agent')).toEqual([]);

    // A client arriving now gets no snapshot of the reply that broke.
    const latecomer = await openStream(kit, session);
    const replay = await readFrames(latecomer, untilTurnEnds());
    expect(replay.filter((frame) => frame.event === 'snapshot')).toEqual([]);
    await expectAnswersNext(session);
  });

  it('marks a reply stream cut off partway as retryable, as a dropped connection is', async () => {
    // The adapter's failure table: a connection dropped is `unavailable`, and a retry can help.
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session, { token: agent.operator });
    enqueueFluidTurn(server, { text: numberedWords(40), chunkDelayMs: 20 });
    proxy.breakNextStreamAfter(5);
    expect((await postMessage(kit, session, 'tell me another story')).status).toBe(201);
    const events = persistedEvents(await readFrames(stream, untilTurnEnds()));
    expect(events.at(-1)).toMatchObject({
      kind: 'status',
      data: {
        status: 'error',
        error: { code: 'model_failed', reason: 'unavailable', retryable: true },
      },
    });
  });

  it('ends the turn with an error when the endpoint answers 500 on every attempt, and keeps the customer message', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    // The first attempt and the client's one retry.
    server.failNext({ status: 500 });
    server.failNext({ status: 500 });
    expect((await postMessage(kit, session, 'hello?')).status).toBe(201);
    const events = persistedEvents(await readFrames(stream, untilTurnEnds()));

    expect(messagesFrom(events, 'customer').map((event) => event.data.text)).toEqual(['hello?']);
    expect(messagesFrom(events, 'ai_agent')).toEqual([]);
    expect(events.at(-1)).toMatchObject({
      kind: 'status',
      data: { status: 'error', error: { code: 'model_failed', retryable: true } },
    });
    await expectAnswersNext(session);
  });

  it('retries a dropped connection (the client’s maxRetries) and answers as usual', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    server.failNext({ dropConnection: true });
    enqueueFluidTurn(server, { text: 'Answered after a retry.' });
    expect((await postMessage(kit, session, 'hello?')).status).toBe(201);
    const events = persistedEvents(await readFrames(stream, untilTurnEnds()));

    expect(events.map(statusOf)).not.toContain('error');
    expect(events.at(-1)).toMatchObject({ kind: 'status', data: { status: 'ready' } });
    expect(messagesFrom(events, 'ai_agent').map((event) => event.data)).toEqual([
      { text: 'Answered after a retry.' },
    ]);
  });
});

describe('a tool that throws', () => {
  it('shows the customer no internal error text, while operators keep it', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    server.enqueue({
      json: {
        ...nothingApplies,
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
      },
    });
    server.enqueue({
      json: {
        calls: [
          {
            tool: 'lookup_order',
            call: true,
            arguments: JSON.stringify({ orderNumber: 'A-17' }),
            missingArguments: [],
          },
        ],
      },
    });
    server.enqueue({ text: 'Sorry, I could not look that order up right now.' });
    expect((await postMessage(kit, session, 'where is my order A-17?')).status).toBe(201);
    const frames = await readFrames(stream, untilTurnEnds());

    // The turn went as designed: the tool ran and failed, the customer got a graceful reply.
    const operatorView = await kit.call('GET', `/v1/sessions/${session.sessionId}/events`, {
      token: agent.operator,
    });
    const stored = ((await operatorView.json()) as { events: WireEvent[] }).events;
    const toolEvent = stored.find((event) => event.kind === 'tool');
    expect(toolEvent?.kind === 'tool' && toolEvent.data.calls[0]?.error?.message).toContain(
      'ECONNREFUSED',
    );
    // A preamble went out as the tool started, before the reply.
    expect(messagesFrom(persistedEvents(frames), 'ai_agent').map((event) => event.data)).toEqual([
      { text: 'Let me look that up.', preamble: true },
      { text: 'Sorry, I could not look that order up right now.' },
    ]);
    expect(persistedEvents(frames).at(-1)).toMatchObject({
      kind: 'status',
      data: { status: 'error', error: { code: 'tool_failed' } },
    });

    // What the customer's token receives, on the stream and from the event list, holds no
    // exception message and no stack.
    const customerViews = {
      stream: JSON.stringify(frames),
      events: JSON.stringify(await listEvents(kit, session)),
    };
    for (const [view, text] of Object.entries(customerViews)) {
      for (const marker of internalMarkers)
        expect(text, `${view}: ${marker}`).not.toContain(marker);
      expect(text, `${view}: a stack trace`).not.toMatch(/\bat .+\.(?:ts|js):\d+/);
    }
  });
});
