import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import type { WireEvent } from '@parley/core/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandlerKit, type HandlerKit, readFrames, shopAgentDefinition } from '../handler-kit';
import {
  type CustomerSession,
  createObservedEventBus,
  createWidgetAgent,
  listEvents,
  openCustomerSession,
  openStream,
  postMessage,
  untilStatus,
  type WidgetAgent,
} from './streaming-support';

/**
 * The long poll (`GET …/events?after=N&wait=S`): immediate answers, waiting for the next
 * events, the deadline, the client leaving, the `maxWaitSeconds` cap, query validation and
 * the `kinds` filter. A bus that counts subscriptions tells when a poll is waiting.
 */

const shop = shopAgentDefinition;

let store: PgliteStore;
/** Waits up to two minutes. */
let kit: HandlerKit;
let observed: ReturnType<typeof createObservedEventBus>;
/** The same store behind a handler that caps waits at one second. */
let cappedKit: HandlerKit;
let cappedObserved: ReturnType<typeof createObservedEventBus>;
/** The same store behind a handler whose bus takes a while to subscribe. */
let slowKit: HandlerKit;
let slowObserved: ReturnType<typeof createObservedEventBus>;
let agent: WidgetAgent;

beforeAll(async () => {
  store = await createPgliteStore();
  observed = createObservedEventBus();
  kit = await createHandlerKit({
    store,
    engine: { eventBus: observed.bus },
    handler: { maxWaitSeconds: 120 },
  });
  cappedObserved = createObservedEventBus();
  cappedKit = await createHandlerKit({
    store,
    engine: { eventBus: cappedObserved.bus },
    handler: { maxWaitSeconds: 1 },
  });
  slowObserved = createObservedEventBus({ subscribeDelayMs: 300 });
  slowKit = await createHandlerKit({ store, engine: { eventBus: slowObserved.bus } });
  agent = await createWidgetAgent(kit, shop);
});
afterAll(async () => {
  await kit?.close();
  await cappedKit?.close();
  await slowKit?.close();
  await store?.close();
});

/** A session whose customer asked once and got the answer: six events, offsets 0 to 5. */
async function answeredSession(): Promise<{ session: CustomerSession; events: WireEvent[] }> {
  const session = await openCustomerSession(kit, agent);
  const stream = await openStream(kit, session);
  expect((await postMessage(kit, session, 'when are you open?')).status).toBe(201);
  await readFrames(stream, untilStatus('ready'));
  return { session, events: await listEvents(kit, session) };
}

/** Starts a long poll as the session's customer. */
function poll(
  session: CustomerSession,
  query: string,
  options: { signal?: AbortSignal; through?: HandlerKit } = {},
): Promise<Response> {
  return (options.through ?? kit).call('GET', `/v1/sessions/${session.sessionId}/events?${query}`, {
    token: session.customerToken,
    signal: options.signal,
  });
}

const eventsOf = async (response: Response) => {
  expect(response.status).toBe(200);
  return ((await response.json()) as { events: WireEvent[] }).events;
};

/** Appends a custom event as an operator of the workspace. */
async function appendCustomEvent(session: CustomerSession, type: string): Promise<WireEvent> {
  const response = await kit.call('POST', `/v1/sessions/${session.sessionId}/events`, {
    token: agent.operator,
    body: { kind: 'custom', type, payload: { from: 'test' } },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { event: WireEvent }).event;
}

/** Posts a human operator's message. */
async function appendOperatorMessage(session: CustomerSession, text: string): Promise<WireEvent> {
  const response = await kit.call('POST', `/v1/sessions/${session.sessionId}/events`, {
    token: agent.operator,
    body: { kind: 'message', text },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { event: WireEvent }).event;
}

/** Resolves once a long poll on the session listens to the bus. */
const waitUntilPolling = (sessionId: string, bus = observed) =>
  vi.waitFor(() => expect(bus.subscriptions(sessionId)).toBe(1), { timeout: 20_000 });

describe('long poll of a session’s events', () => {
  it('answers at once with the events after N when there are some', async () => {
    const { session, events } = await answeredSession();
    // Two minutes of wait allowed: the answer must not need any of it.
    const answered = await eventsOf(await poll(session, 'after=2&wait=120'));
    expect(answered).toEqual(events.filter((event) => event.offset > 2));
    expect(observed.subscriptions(session.sessionId)).toBe(0);
  });

  it('waits for the next append and returns the new events', async () => {
    const { session, events } = await answeredSession();
    const last = events.at(-1)?.offset as number;
    const polled = poll(session, `after=${last}&wait=60`);
    await waitUntilPolling(session.sessionId);
    const appended = await appendCustomEvent(session, 'order_shipped');

    const answered = await eventsOf(await polled);
    expect(answered).toEqual([appended]);
    expect(appended.offset).toBe(last + 1);
    expect(observed.subscriptions(session.sessionId)).toBe(0);
  });

  it('returns an empty list when the deadline passes with nothing new', async () => {
    const { session, events } = await answeredSession();
    const last = events.at(-1)?.offset as number;
    expect(await eventsOf(await poll(session, `after=${last}&wait=0.5`))).toEqual([]);
    expect(observed.subscriptions(session.sessionId)).toBe(0);
  });

  it('stops waiting when the client goes away', async () => {
    const { session, events } = await answeredSession();
    const last = events.at(-1)?.offset as number;
    const leaving = new AbortController();
    const polled = poll(session, `after=${last}&wait=120`, { signal: leaving.signal });
    await waitUntilPolling(session.sessionId);
    leaving.abort();
    // Well before its two minutes: the poll answers and stops listening.
    expect(await eventsOf(await polled)).toEqual([]);
    expect(observed.subscriptions(session.sessionId)).toBe(0);
  });

  it('caps the wait at maxWaitSeconds', async () => {
    const { session, events } = await answeredSession();
    const last = events.at(-1)?.offset as number;
    // Asks for two minutes from a handler that allows one second: it waits, then gives up on
    // its own, with nothing new and nobody leaving.
    const polled = poll(session, `after=${last}&wait=120`, { through: cappedKit });
    await waitUntilPolling(session.sessionId, cappedObserved);
    expect(await eventsOf(await polled)).toEqual([]);
    expect(cappedObserved.subscriptions(session.sessionId)).toBe(0);
  });

  it('rejects an after, wait, kinds or limit it cannot use with a 400', async () => {
    const { session } = await answeredSession();
    for (const query of [
      'after=abc',
      'after=-2',
      'after=1.5',
      'wait=-1',
      'wait=soon',
      'wait=121',
      'kinds=bogus',
      'kinds=message,bogus',
      'limit=0',
    ]) {
      const response = await poll(session, query);
      expect(response.status, query).toBe(400);
      expect(await response.json(), query).toMatchObject({
        error: { code: 'validation_failed' },
      });
    }
  });

  it('returns only the kinds asked for', async () => {
    const { session, events } = await answeredSession();
    const messages = await eventsOf(await poll(session, 'kinds=message'));
    expect(messages).toEqual(events.filter((event) => event.kind === 'message'));
    expect(messages.map((event) => event.source)).toEqual(['customer', 'ai_agent']);
    const statuses = await eventsOf(await poll(session, 'after=1&kinds=status,tool'));
    expect(statuses).toEqual(
      events.filter((event) => event.offset > 1 && ['status', 'tool'].includes(event.kind)),
    );
  });

  it('keeps waiting through events of other kinds and returns the first of the kinds asked for', async () => {
    const { session, events } = await answeredSession();
    const last = events.at(-1)?.offset as number;
    let answered = false;
    const polled = poll(session, `after=${last}&kinds=message&wait=60`).finally(() => {
      answered = true;
    });
    await waitUntilPolling(session.sessionId);
    await appendCustomEvent(session, 'page_viewed');
    // The custom event wakes the poll; it must go back to waiting rather than answer.
    await vi.waitFor(
      () => expect(answered || observed.subscriptions(session.sessionId) === 1).toBe(true),
      { timeout: 20_000 },
    );
    const message = await appendOperatorMessage(session, 'Hi, Sam here.');

    // The customer polls: the operator's user id is not theirs to see.
    const { participantId, ...customerData } = message.data as { participantId?: string };
    expect(participantId).toBe('user-1');
    expect(await eventsOf(await polled)).toEqual([{ ...message, data: customerData }]);
    expect(observed.subscriptions(session.sessionId)).toBe(0);
  });

  it('leaves no subscription behind when the wait ends before the bus has subscribed', async () => {
    const { session, events } = await answeredSession();
    const last = events.at(-1)?.offset as number;
    const answered = await poll(session, `after=${last}&wait=0.05`, { through: slowKit });
    expect(await eventsOf(answered)).toEqual([]);
    // The subscription became active after the poll had answered: it must be stopped at once.
    await vi.waitFor(() => expect(slowObserved.subscribed(session.sessionId)).toBe(1), {
      timeout: 20_000,
    });
    expect(slowObserved.subscriptions(session.sessionId)).toBe(0);
  });
});
