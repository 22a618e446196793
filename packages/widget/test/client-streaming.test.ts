import { ParleyError } from '@parley/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ChatClient,
  type ChatClientOptions,
  type ChatMessage,
  type ChatState,
  type ChatTransport,
  createChatClient,
  createHttpTransport,
  type StreamFrame,
} from '../src/index';
import { type ChatServer, startChatServer } from './chat-server';
import { createFlakyFetch, type FlakyFetch } from './flaky-fetch';
import { createGatedChatModel, type GatedChatModel } from './gated-chat-model';
import { createManualTimers } from './manual-timers';
import { createMemoryStorage } from './memory-storage';

/**
 * Replies streamed to the chat client by the real handler over HTTP, written by a scripted
 * model that can hold a reply mid-stream: connections dropped and resumed with
 * `Last-Event-ID`, snapshots, cancel, a failed turn retried, the network going away.
 */

let server: ChatServer;
let model: GatedChatModel;
let workspaceId: string;
let agentKey: string;
const clients: ChatClient[] = [];

beforeAll(async () => {
  model = createGatedChatModel();
  server = await startChatServer({ model });
  ({ workspaceId, agentKey } = await server.addAgent({
    name: 'Writer',
    compositionMode: 'fluid',
  }));
});
afterEach(() => {
  for (const client of clients.splice(0)) client.dispose();
});
afterAll(async () => {
  await server?.close();
});

/** The HTTP transport, recording the frames each stream connection delivered. */
function recordingTransport(flaky: FlakyFetch): {
  transport: ChatTransport;
  connections: StreamFrame[][];
} {
  const transport = createHttpTransport({ endpoint: server.endpoint, fetch: flaky.fetch });
  const connections: StreamFrame[][] = [];
  return {
    connections,
    transport: {
      ...transport,
      async *stream(credentials, options) {
        const frames: StreamFrame[] = [];
        connections.push(frames);
        for await (const frame of transport.stream(credentials, options)) {
          frames.push(frame);
          yield frame;
        }
      },
    },
  };
}

/** A client of the writer agent; disposed after the test. */
function openChat(options: Partial<ChatClientOptions> = {}) {
  const flaky = createFlakyFetch();
  const { transport, connections } = recordingTransport(flaky);
  const client = createChatClient({
    transport,
    session: { agentKey },
    storage: null,
    reconnect: { initialDelayMs: 20, maxDelayMs: 200 },
    ...options,
  });
  clients.push(client);
  // Every text the streaming reply showed, in order.
  const drafts: string[] = [];
  client.subscribe(() => {
    const draft = messages(client.getState()).find((message) => message.delivery === 'streaming');
    if (draft && drafts.at(-1) !== draft.text) drafts.push(draft.text);
  });
  return { client, flaky, connections, drafts };
}

const messages = (state: ChatState) =>
  state.items.filter((item): item is ChatMessage => item.type === 'message');
const transcript = (state: ChatState) =>
  messages(state).map((message) => `${message.role}: ${message.text} (${message.delivery})`);
const words = (count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => `word${index + from}`).join(' ');
const streamRequests = (flaky: FlakyFetch) =>
  flaky.requests.filter((request) => request.path.endsWith('/stream'));
const lastEventOffset = (frames: StreamFrame[]) =>
  Math.max(-1, ...frames.flatMap((frame) => (frame.type === 'event' ? [frame.event.offset] : [])));

async function storedReply(sessionId: string): Promise<string | undefined> {
  const events = await server.storedEvents(workspaceId, sessionId);
  const reply = events.findLast((event) => event.kind === 'message' && event.source === 'ai_agent');
  return reply?.kind === 'message' ? reply.data.text : undefined;
}

/** Every text the reply showed was a beginning of the final text, each longer than the last. */
function expectGrowingPrefixes(drafts: string[], text: string) {
  // Pieces that arrive in one read of the stream show as one step (see coalesceDeltas).
  expect(drafts.length).toBeGreaterThan(0);
  for (const [index, draft] of drafts.entries()) {
    expect(text.startsWith(draft)).toBe(true);
    if (index > 0) expect(draft.length).toBeGreaterThan((drafts[index - 1] as string).length);
  }
}

async function openClient(options: Partial<ChatClientOptions> = {}) {
  const chat = openChat(options);
  await chat.client.start();
  await vi.waitFor(() => expect(chat.client.getState().connection).toBe('open'));
  return chat;
}

describe('a dropped stream', () => {
  it('resumes from the last event seen: the reply finished meanwhile replaces the draft, once', async () => {
    const text = words(40);
    model.script.enqueueText(text, { for: 'reply' });
    const gate = model.holdNextReply(10);
    const timers = createManualTimers();
    const { client, flaky, connections, drafts } = await openClient({ timers });
    await client.send('write me forty words');
    await gate.reached;
    await vi.waitFor(() => expect(drafts.at(-1)).toBe(`${words(10)} `));

    server.dropConnections();
    await vi.waitFor(() => expect(client.getState().connection).toBe('reconnecting'));
    const seenBeforeDrop = lastEventOffset(connections[0] as StreamFrame[]);
    // The reply ends while the client is away.
    gate.release();
    const sessionId = client.getState().sessionId as string;
    await vi.waitFor(async () => expect(await storedReply(sessionId)).toBe(text));
    expect(messages(client.getState()).at(-1)).toMatchObject({
      delivery: 'streaming',
      text: `${words(10)} `,
    });

    timers.fire(60_000);
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('ready'));
    const [, resumed] = streamRequests(flaky);
    expect(resumed?.headers.get('last-event-id')).toBe(String(seenBeforeDrop));
    // The second connection replayed only what came after, starting right after the last seen.
    const replayed = (connections[1] as StreamFrame[]).flatMap((frame) =>
      frame.type === 'event' ? [frame.event.offset] : [],
    );
    expect(replayed[0]).toBe(seenBeforeDrop + 1);
    expect(transcript(client.getState())).toEqual([
      'customer: write me forty words (sent)',
      `agent: ${text} (sent)`,
    ]);
    expectGrowingPrefixes(drafts, text);
    expect(client.getState().unread).toBe(1);
  });

  it('reconnects mid-reply to a snapshot of the text so far, then the remaining words, without repeating any', async () => {
    const text = words(40);
    model.script.enqueueText(text, { for: 'reply' });
    const gate = model.holdNextReply(12);
    const { client, flaky, connections, drafts } = await openClient();
    await client.send('write me forty more');
    await gate.reached;
    await vi.waitFor(() => expect(drafts.at(-1)).toBe(`${words(12)} `));

    server.dropConnections();
    // Back (after a jittered backoff of at most 20 ms) while the reply is still held.
    await vi.waitFor(() => {
      expect(connections).toHaveLength(2);
      expect(client.getState().connection).toBe('open');
    });
    await vi.waitFor(() =>
      expect((connections[1] as StreamFrame[]).some((frame) => frame.type === 'snapshot')).toBe(
        true,
      ),
    );
    const snapshot = (connections[1] as StreamFrame[]).find((frame) => frame.type === 'snapshot');
    expect(snapshot).toMatchObject({ text: `${words(12)} `, seq: 11 });
    expect(streamRequests(flaky)[1]?.headers.get('last-event-id')).toBe(
      String(lastEventOffset(connections[0] as StreamFrame[])),
    );

    gate.release();
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('ready'));
    const sessionId = client.getState().sessionId as string;
    expect(await storedReply(sessionId)).toBe(text);
    expect(transcript(client.getState())).toEqual([
      'customer: write me forty more (sent)',
      `agent: ${text} (sent)`,
    ]);
    // The deltas after the snapshot continue it: joined, they are the whole reply.
    const afterSnapshot = (connections[1] as StreamFrame[]).flatMap((frame) =>
      frame.type === 'delta' ? [frame.text] : [],
    );
    expect(`${words(12)} ${afterSnapshot.join('')}`).toBe(text);
    expectGrowingPrefixes(drafts, text);
    expect(drafts.at(-1)).toBe(text);
  });
});

describe('turns', () => {
  it('cancels a reply being written: the turn ends cancelled and the unfinished reply goes', async () => {
    model.script.enqueueText(words(30), { for: 'reply' });
    const gate = model.holdNextReply(5);
    const { client } = await openClient();
    await client.send('write slowly');
    await gate.reached;
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('typing'));
    await vi.waitFor(() => expect(messages(client.getState()).at(-1)?.delivery).toBe('streaming'));
    await client.cancel();
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('cancelled'));
    expect(transcript(client.getState())).toEqual(['customer: write slowly (sent)']);
    gate.release();
    const sessionId = client.getState().sessionId as string;
    expect(await storedReply(sessionId)).toBeUndefined();
  });

  it('shows a failed turn as a retryable error, and retry() runs it again to a reply', async () => {
    model.script.enqueueFailure(
      new ParleyError('model_failed', 'upstream 529 from the provider', {
        reason: 'unavailable',
        retryable: true,
      }),
      { for: 'reply' },
    );
    const { client } = await openClient();
    await client.send('where is my parcel?');
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('error'));
    // The customer sees the plain message, never the internal one.
    expect(client.getState().turn.error).toEqual({
      code: 'model_failed',
      message: 'The assistant could not reply. Please try again.',
      retryable: true,
    });

    model.script.enqueueText('It arrives tomorrow.', { for: 'reply' });
    await client.retry();
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('ready'));
    expect(client.getState().turn.error).toBeNull();
    expect(transcript(client.getState())).toEqual([
      'customer: where is my parcel? (sent)',
      'agent: It arrives tomorrow. (sent)',
    ]);
  });

  it('goes through acknowledged, processing and typing before ready', async () => {
    model.script.enqueueText('Fine, thanks.', { for: 'reply' });
    const { client } = await openClient();
    const seen: Array<[string, string | null]> = [];
    client.subscribe(() => {
      const { status, stage } = client.getState().turn;
      const last = seen.at(-1);
      if (!last || last[0] !== status || last[1] !== stage) seen.push([status, stage]);
    });
    await client.send('how are you?');
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('ready'));
    expect(
      seen.map(([status]) => status).filter((status, index, all) => status !== all[index - 1]),
    ).toEqual(
      // Idle while the message is on its way, then the turn's statuses.
      ['idle', 'acknowledged', 'processing', 'typing', 'ready'],
    );
    expect(seen).toContainEqual(['processing', 'guideline_matching']);
  });
});

describe('the network', () => {
  it('goes offline with the browser, waits, and on coming back catches up on what it missed', async () => {
    let online = true;
    const listeners = new Set<(online: boolean) => void>();
    const network: ChatClientOptions['network'] = {
      isOnline: () => online,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const setOnline = (next: boolean) => {
      online = next;
      for (const listener of listeners) listener(next);
    };
    const storage = createMemoryStorage();
    const timers = createManualTimers();
    const { client, flaky } = await openClient({ network, storage, timers });

    setOnline(false);
    expect(client.getState().connection).toBe('offline');
    // Nothing waits to reconnect while offline: only the token's renewal is scheduled.
    expect(timers.pending()).toEqual([expect.any(Number)]);
    expect(timers.pending()[0]).toBeGreaterThan(3_600_000);

    // Meanwhile the conversation goes on in another tab of the same session.
    model.script.enqueueText('Written while you were away.', { for: 'reply' });
    const other = await openClient({ storage });
    await other.client.send('are you there?');
    await vi.waitFor(() => expect(other.client.getState().turn.status).toBe('ready'));
    expect(client.getState().items).toEqual([]);
    const streamsWhileOffline = streamRequests(flaky).length;

    setOnline(true);
    expect(client.getState().connection).toBe('reconnecting');
    await vi.waitFor(() => expect(client.getState().turn.status).toBe('ready'));
    expect(client.getState().connection).toBe('open');
    expect(streamRequests(flaky)).toHaveLength(streamsWhileOffline + 1);
    expect(transcript(client.getState())).toEqual([
      'customer: are you there? (sent)',
      'agent: Written while you were away. (sent)',
    ]);
  });
});
