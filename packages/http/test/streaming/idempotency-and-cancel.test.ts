import { defineAgent } from '@parley/core';
import { createOpenAIChatModel } from '@parley/core/openai';
import type { WireEvent } from '@parley/core/protocol';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, type HandlerKit, readFrames } from '../handler-kit';
import {
  type CustomerSession,
  createWidgetAgent,
  deltasOf,
  enqueueFluidTurn,
  listEvents,
  numberedWords,
  openCustomerSession,
  openStream,
  persistedEvents,
  postMessage,
  replyRequests,
  statusOf,
  untilStatus,
  type WidgetAgent,
} from './streaming-support';

/**
 * Idempotent sends (`clientMessageId`) and `POST …/cancel`, over HTTP, with the real OpenAI
 * adapter against the fake server (so a reply can stream slowly enough to be cancelled).
 */

let server: FakeOpenAIServer;
let kit: HandlerKit;
let agent: WidgetAgent;

beforeAll(async () => {
  server = await startFakeOpenAIServer();
  kit = await createHandlerKit({
    engine: {
      model: createOpenAIChatModel({
        model: 'gpt-test',
        baseURL: server.baseURL,
        apiKey: 'test-key',
      }),
    },
  });
  agent = await createWidgetAgent(kit, defineAgent({ name: 'Support' }));
});
afterAll(async () => {
  await kit?.close();
  await server?.close();
});

interface Posted {
  status: number;
  body: { event: WireEvent; duplicate: boolean };
}

async function send(
  session: CustomerSession,
  text: string,
  clientMessageId?: string,
): Promise<Posted> {
  const response = await postMessage(kit, session, text, clientMessageId);
  return { status: response.status, body: (await response.json()) as Posted['body'] };
}

/** What a session holds once its turns are over: messages by source, and the log's shape. */
async function settled(session: CustomerSession) {
  const events = await listEvents(kit, session);
  return {
    events,
    customerMessages: events.filter(
      (event) => event.kind === 'message' && event.source === 'customer',
    ),
    agentMessages: events.filter(
      (event) => event.kind === 'message' && event.source === 'ai_agent',
    ),
  };
}

/** No two events share an id or an offset, and offsets run from 0 without a gap. */
function expectWellFormedLog(events: readonly WireEvent[]): void {
  expect(new Set(events.map((event) => event.id)).size).toBe(events.length);
  expect(events.map((event) => event.offset)).toEqual(events.map((_, index) => index));
}

describe('idempotent sends with clientMessageId', () => {
  it('returns the first event for a repeated send, and runs one turn', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    const repliesBefore = replyRequests(server);
    enqueueFluidTurn(server, { text: 'Hello! How can I help?' });

    const first = await send(session, 'hello', 'client-1');
    expect(first.status).toBe(201);
    expect(first.body.duplicate).toBe(false);
    // Sent again while its turn runs, and again once it is over.
    const during = await send(session, 'hello', 'client-1');
    await readFrames(stream, untilStatus('ready'));
    const after = await send(session, 'hello', 'client-1');
    for (const again of [during, after]) {
      expect(again.status).toBe(200);
      expect(again.body.duplicate).toBe(true);
      expect(again.body.event).toEqual(first.body.event);
    }

    expect(kit.engine.turnsInFlight).toBe(0);
    expect(replyRequests(server) - repliesBefore).toBe(1);
    const { events, customerMessages, agentMessages } = await settled(session);
    expectWellFormedLog(events);
    expect(customerMessages).toEqual([first.body.event]);
    expect(agentMessages).toHaveLength(1);
    expect(events.filter((event) => statusOf(event) === 'ready')).toHaveLength(1);
  });

  it('stores one message and runs one turn for two concurrent sends of one clientMessageId', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    const repliesBefore = replyRequests(server);
    enqueueFluidTurn(server, { text: 'Hello there.' });

    const both = await Promise.all([
      send(session, 'hi', 'client-2'),
      send(session, 'hi', 'client-2'),
    ]);
    expect(both.map((posted) => posted.status).sort()).toEqual([200, 201]);
    expect(both.map((posted) => posted.body.duplicate).sort()).toEqual([false, true]);
    expect(both[0]?.body.event).toEqual(both[1]?.body.event);
    await readFrames(stream, untilStatus('ready'));

    expect(kit.engine.turnsInFlight).toBe(0);
    expect(replyRequests(server) - repliesBefore).toBe(1);
    const { events, customerMessages, agentMessages } = await settled(session);
    expectWellFormedLog(events);
    expect(customerMessages).toEqual([both[0]?.body.event]);
    expect(agentMessages).toHaveLength(1);
  });

  it('answers a reused clientMessageId with other text with the first message, unchanged (200)', async () => {
    // What the code does today: the id alone decides, and the second text is dropped without
    // an error (see the report: a 409 would tell the client its message was not sent).
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    enqueueFluidTurn(server, { text: 'Sure.' });
    const first = await send(session, 'first text', 'client-3');
    const reused = await send(session, 'a different text', 'client-3');
    expect(reused.status).toBe(200);
    expect(reused.body.duplicate).toBe(true);
    expect(reused.body.event).toEqual(first.body.event);
    await readFrames(stream, untilStatus('ready'));
    const { customerMessages } = await settled(session);
    expect(customerMessages.map((event) => event.kind === 'message' && event.data.text)).toEqual([
      'first text',
    ]);
  });
});

describe('cancelling a turn', () => {
  it('stops a slow reply: a cancelled status, no agent message, and the next message is answered', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    enqueueFluidTurn(server, { text: numberedWords(60), chunkDelayMs: 50 });
    expect((await send(session, 'tell me everything')).status).toBe(201);
    const started = await readFrames(stream, (frames) => deltasOf(frames).length >= 2);
    const lastSeen = persistedEvents(started).at(-1)?.offset as number;

    const cancel = await kit.call('POST', `/v1/sessions/${session.sessionId}/cancel`, {
      token: session.customerToken,
    });
    expect(cancel.status).toBe(204);
    const resumed = await openStream(kit, session, { lastEventId: String(lastSeen) });
    const rest = await readFrames(resumed, untilStatus('cancelled'));
    expect(persistedEvents(rest).at(-1)).toMatchObject({
      kind: 'status',
      data: { status: 'cancelled' },
    });

    const afterCancel = await settled(session);
    expect(afterCancel.agentMessages).toEqual([]);
    expect(afterCancel.events.map(statusOf).filter(Boolean)).not.toContain('ready');
    expect(kit.engine.turnsInFlight).toBe(0);

    // A client arriving now finds no reply in progress: no snapshot of the cancelled one.
    const lastOffset = afterCancel.events.at(-1)?.offset as number;
    const latecomer = await openStream(kit, session);
    enqueueFluidTurn(server, { text: 'Here is the short version.' });
    expect((await send(session, 'just the short version')).status).toBe(201);
    const next = await readFrames(latecomer, untilStatus('ready', lastOffset));
    expect(next.filter((frame) => frame.event === 'snapshot')).toEqual([]);
    const reply = persistedEvents(next).filter(
      (event) => event.kind === 'message' && event.source === 'ai_agent',
    );
    expect(reply.map((event) => event.kind === 'message' && event.data.text)).toEqual([
      'Here is the short version.',
    ]);
    expect(
      deltasOf(next)
        .map((delta) => delta.text)
        .join(''),
    ).toBe('Here is the short version.');
    expectWellFormedLog((await settled(session)).events);
  });

  it('answers a cancel with no turn running with a 204 and changes nothing', async () => {
    const session = await openCustomerSession(kit, agent);
    const stream = await openStream(kit, session);
    enqueueFluidTurn(server, { text: 'Answered.' });
    expect((await send(session, 'a question')).status).toBe(201);
    await readFrames(stream, untilStatus('ready'));
    const before = await listEvents(kit, session);

    const cancel = await kit.call('POST', `/v1/sessions/${session.sessionId}/cancel`, {
      token: session.customerToken,
    });
    expect(cancel.status).toBe(204);
    expect(await listEvents(kit, session)).toEqual(before);

    // Nor does it stop the next turn.
    const next = await openStream(kit, session, { lastEventId: String(before.at(-1)?.offset) });
    enqueueFluidTurn(server, { text: 'Answered again.' });
    expect((await send(session, 'another question')).status).toBe(201);
    const frames = await readFrames(next, untilStatus('ready'));
    expect(persistedEvents(frames).map(statusOf)).not.toContain('cancelled');
  });
});
