import type { WireEvent } from '@parley/core/protocol';
import { testDatabaseUrl } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHandlerKit,
  type HandlerKit,
  openingHoursReply,
  readFrames,
  shopAgentDefinition,
} from '../handler-kit';
import {
  type CustomerSession,
  createPostgresHandlerKit,
  createWidgetAgent,
  deltasOf,
  listEvents,
  openCustomerSession,
  openStream,
  persistedEvents,
  postMessage,
  untilStatus,
  type WidgetAgent,
} from './streaming-support';

/**
 * Resuming the session stream (`GET …/stream`): replay from `Last-Event-ID` or `?after=`, `id:`
 * on persisted frames only, live events after a resume, and several streams on one session.
 * The agent runs without a model (canned replies), so every turn is deterministic.
 */

const openingHours = openingHoursReply;
const shop = shopAgentDefinition;

const offsetsOf = (events: readonly WireEvent[]) => events.map((event) => event.offset);
const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, index) => from + index);

function describeResume(kit: () => HandlerKit): void {
  let agent: WidgetAgent;
  /** A session with one finished turn, and its stored events. */
  let answered: CustomerSession;
  let stored: WireEvent[];

  /** Opens a session and runs one turn to its `ready`, reading the stream from the start. */
  async function sessionWithOneTurn(): Promise<CustomerSession> {
    const session = await openCustomerSession(kit(), agent);
    const stream = await openStream(kit(), session);
    expect((await postMessage(kit(), session, 'when are you open?')).status).toBe(201);
    await readFrames(stream, untilStatus('ready'));
    return session;
  }

  /** Reads a resumed stream until the session's last stored event has come. */
  const readUntilOffset = (response: Response, offset: number) =>
    readFrames(response, (frames) =>
      persistedEvents(frames).some((event) => event.offset >= offset),
    );

  beforeAll(async () => {
    agent = await createWidgetAgent(kit(), shop);
    answered = await sessionWithOneTurn();
    stored = await listEvents(kit(), answered);
  });

  it('replays every persisted event after Last-Event-ID, as stored, each with id: = its offset', async () => {
    const last = stored.at(-1)?.offset as number;
    expect(last).toBeGreaterThanOrEqual(4);
    for (const resumeAfter of [-1, 0, 2, last - 1]) {
      const stream = await openStream(kit(), answered, { lastEventId: String(resumeAfter) });
      expect(stream.status).toBe(200);
      const frames = await readUntilOffset(stream, last);
      const replayed = persistedEvents(frames);
      expect(offsetsOf(replayed)).toEqual(range(resumeAfter + 1, last));
      expect(replayed).toEqual(stored.filter((event) => event.offset > resumeAfter));
      for (const frame of frames.filter((candidate) => candidate.event === 'event')) {
        expect(frame.id).toBe(String((frame.data as WireEvent).offset));
      }
    }
  });

  it('replays after ?after= the same way, and Last-Event-ID wins when both are sent', async () => {
    const last = stored.at(-1)?.offset as number;
    const byQuery = await readUntilOffset(await openStream(kit(), answered, { after: '1' }), last);
    expect(offsetsOf(persistedEvents(byQuery))).toEqual(range(2, last));

    const both = await openStream(kit(), answered, { after: '0', lastEventId: '3' });
    expect(offsetsOf(persistedEvents(await readUntilOffset(both, last)))).toEqual(range(4, last));
  });

  it('puts id: = offset on every persisted frame of a live turn and none on deltas', async () => {
    const session = await openCustomerSession(kit(), agent);
    const stream = await openStream(kit(), session);
    expect((await postMessage(kit(), session, 'when are you open today?')).status).toBe(201);
    const frames = await readFrames(stream, untilStatus('ready'));

    const events = persistedEvents(frames);
    expect(offsetsOf(events)).toEqual(range(0, events.length - 1));
    for (const frame of frames) {
      if (frame.event === 'event') expect(frame.id).toBe(String((frame.data as WireEvent).offset));
      else expect(frame.id).toBeUndefined();
    }
    const deltas = deltasOf(frames);
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.map((delta) => delta.text).join('')).toBe(openingHours);
  });

  it('replays nothing when resumed after the last offset, then delivers the new events', async () => {
    const session = await sessionWithOneTurn();
    const last = (await listEvents(kit(), session)).at(-1)?.offset as number;
    const stream = await openStream(kit(), session, { lastEventId: String(last) });
    expect((await postMessage(kit(), session, 'and on sundays?')).status).toBe(201);
    const frames = await readFrames(stream, untilStatus('ready', last));

    const events = persistedEvents(frames);
    expect(events[0]).toMatchObject({
      offset: last + 1,
      kind: 'message',
      source: 'customer',
      data: { text: 'and on sundays?' },
    });
    expect(offsetsOf(events)).toEqual(range(last + 1, events.at(-1)?.offset as number));
    expect(
      events.filter((event) => event.kind === 'message' && event.source === 'ai_agent'),
    ).toHaveLength(1);
  });

  it('rejects a Last-Event-ID (or after) that is not an event offset with a 400', async () => {
    for (const lastEventId of ['abc', '-2', '1.5']) {
      const response = await openStream(kit(), answered, { lastEventId });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const byQuery = await openStream(kit(), answered, { after: 'yesterday' });
    expect(byQuery.status).toBe(400);
    expect(await byQuery.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('serves two streams on one session, each getting every event and delta once', async () => {
    const session = await openCustomerSession(kit(), agent);
    const streams = [await openStream(kit(), session), await openStream(kit(), session)];
    expect((await postMessage(kit(), session, 'when are you open?')).status).toBe(201);
    const [first, second] = await Promise.all(
      streams.map((stream) => readFrames(stream, untilStatus('ready'))),
    );
    const stored = await listEvents(kit(), session);
    for (const frames of [first, second]) {
      expect(persistedEvents(frames ?? [])).toEqual(stored);
      expect(
        deltasOf(frames ?? [])
          .map((delta) => delta.text)
          .join(''),
      ).toBe(openingHours);
    }
  });
}

describe('resuming the session stream (PGlite)', () => {
  let kit: HandlerKit;
  beforeAll(async () => {
    kit = await createHandlerKit();
  });
  afterAll(async () => {
    await kit?.close();
  });
  describeResume(() => kit);
});

describe.skipIf(!testDatabaseUrl)(
  'resuming the session stream on PostgreSQL, deltas through the PostgreSQL bus (needs DATABASE_URL)',
  () => {
    let postgres: Awaited<ReturnType<typeof createPostgresHandlerKit>>;
    beforeAll(async () => {
      postgres = await createPostgresHandlerKit();
    });
    afterAll(async () => {
      await postgres?.close();
    });
    describeResume(() => postgres.kit);
  },
);
