import { type ChatModel, defineAgent } from '@parley/core';
import { createOpenAIChatModel } from '@parley/core/openai';
import {
  type FakeOpenAIServer,
  startFakeOpenAIServer,
  testDatabaseUrl,
} from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, type HandlerKit, readFrames, type SseFrame } from '../handler-kit';
import {
  createPostgresHandlerKit,
  createWidgetAgent,
  deltasOf,
  enqueueFluidTurn,
  numberedWords,
  openCustomerSession,
  openStream,
  persistedEvents,
  postMessage,
  untilStatus,
  type WidgetAgent,
} from './streaming-support';

/**
 * Reconnecting in the middle of a reply: the `snapshot` frame with the text so far, then only
 * the remaining deltas; keep-alive comments and the stream's headers. The reply streams slowly
 * from the fake OpenAI server through the real `openai` client.
 */

const keepAliveMs = 50;

/** The real OpenAI adapter against the fake server. */
const openAIModel = (server: FakeOpenAIServer): ChatModel =>
  createOpenAIChatModel({ model: 'gpt-test', baseURL: server.baseURL, apiKey: 'test-key' });

/** Reads the raw body (comments included) until it holds `count` keep-alive comments. */
async function readKeepAlives(response: Response, count: number): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.split(': keep-alive\n\n').length - 1 < count) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

const snapshotsOf = (frames: readonly SseFrame[]) =>
  frames.filter((frame) => frame.event === 'snapshot');

function describeSnapshots(kit: () => HandlerKit, server: () => FakeOpenAIServer): void {
  let agent: WidgetAgent;
  beforeAll(async () => {
    agent = await createWidgetAgent(kit(), defineAgent({ name: 'Writer' }));
  });

  it('gives a client reconnecting mid-reply a snapshot of the text so far, then only the remaining deltas', async () => {
    const text = numberedWords(40);
    enqueueFluidTurn(server(), { text, chunkDelayMs: 50 });
    const session = await openCustomerSession(kit(), agent);
    // A client connected throughout, to compare with.
    const throughout = await openStream(kit(), session);
    const leaving = new AbortController();
    const first = await openStream(kit(), session, { signal: leaving.signal });
    expect((await postMessage(kit(), session, 'write me forty words')).status).toBe(201);

    // The first client sees a few deltas, then its connection drops.
    const before = await readFrames(first, (frames) => deltasOf(frames).length >= 3);
    leaving.abort();
    const lastEventId = before.filter((frame) => frame.id !== undefined).at(-1)?.id;
    expect(lastEventId).toBeDefined();

    const resumed = await openStream(kit(), session, { lastEventId });
    const [after, whole] = await Promise.all([
      readFrames(resumed, untilStatus('ready')),
      readFrames(throughout, untilStatus('ready')),
    ]);
    const reply = persistedEvents(after).find(
      (event) => event.kind === 'message' && event.source === 'ai_agent',
    );
    expect(reply?.kind === 'message' && reply.data.text).toBe(text);

    const snapshots = snapshotsOf(after);
    expect(snapshots).toHaveLength(1);
    const snapshot = snapshots[0] as SseFrame;
    const draft = snapshot.data as { messageId: string; seq: number; text: string };
    expect(snapshot.id).toBeUndefined();
    // The snapshot comes before any delta, and holds a proper prefix of the reply.
    const snapshotIndex = after.indexOf(snapshot);
    expect(after.slice(0, snapshotIndex).some((frame) => frame.event === 'delta')).toBe(false);
    expect(draft.messageId).toBe(reply?.id);
    expect(draft.text.length).toBeGreaterThan(0);
    expect(draft.text.length).toBeLessThan(text.length);
    expect(text.startsWith(draft.text)).toBe(true);
    // Then exactly the deltas after it, in order, and together they make the message.
    const rest = deltasOf(after);
    expect(rest.map((delta) => delta.seq)).toEqual(rest.map((_, index) => draft.seq + 1 + index));
    expect(rest.every((delta) => delta.messageId === reply?.id)).toBe(true);
    expect(draft.text + rest.map((delta) => delta.text).join('')).toBe(text);

    // The client that stayed got no snapshot, only deltas: the same text.
    expect(snapshotsOf(whole)).toHaveLength(0);
    expect(
      deltasOf(whole)
        .map((delta) => delta.text)
        .join(''),
    ).toBe(text);
  });

  it('sends keep-alive comments on an idle stream at the configured interval', async () => {
    const session = await openCustomerSession(kit(), agent);
    const stream = await openStream(kit(), session);
    const body = await readKeepAlives(stream, 3);
    // Nothing but comments: the session is idle, so the stream only keeps itself alive.
    expect(body.split('\n\n').filter((block) => block !== '' && !block.startsWith(':'))).toEqual(
      [],
    );
    expect(body.split(': keep-alive\n\n').length - 1).toBeGreaterThanOrEqual(3);
  });

  it('answers with the event-stream headers', async () => {
    const session = await openCustomerSession(kit(), agent);
    const stream = await openStream(kit(), session);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(stream.headers.get('cache-control')).toContain('no-cache');
    expect(stream.headers.get('x-accel-buffering')).toBe('no');
    expect(stream.headers.get('x-parley-stream')).toBe('v1');
    await stream.body?.cancel();
  });
}

describe('snapshots when reconnecting mid-reply (PGlite)', () => {
  let server: FakeOpenAIServer;
  let kit: HandlerKit;
  beforeAll(async () => {
    server = await startFakeOpenAIServer();
    kit = await createHandlerKit({
      engine: { model: openAIModel(server) },
      handler: { keepAliveMs },
    });
  });
  afterAll(async () => {
    await kit?.close();
    await server?.close();
  });
  describeSnapshots(
    () => kit,
    () => server,
  );
});

describe.skipIf(!testDatabaseUrl)(
  'snapshots when reconnecting mid-reply on PostgreSQL, deltas through the PostgreSQL bus (needs DATABASE_URL)',
  () => {
    let server: FakeOpenAIServer;
    let postgres: Awaited<ReturnType<typeof createPostgresHandlerKit>>;
    beforeAll(async () => {
      server = await startFakeOpenAIServer();
      postgres = await createPostgresHandlerKit({
        engine: { model: openAIModel(server) },
        handler: { keepAliveMs },
      });
    });
    afterAll(async () => {
      await postgres?.close();
      await server?.close();
    });
    describeSnapshots(
      () => postgres.kit,
      () => server,
    );
  },
);
