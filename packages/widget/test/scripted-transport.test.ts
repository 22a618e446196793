import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChatClient,
  type ChatMessage,
  type ChatState,
  createChatClient,
  createScriptedTransport,
  type ScriptedTransport,
  type ScriptedTransportOptions,
  type StreamFrame,
  TransportError,
} from '../src/index';
import { createManualTimers } from './manual-timers';
import { createMemoryStorage } from './memory-storage';

/**
 * The scripted transport through the real chat client, on fake timers: the conversation a
 * Storybook story plays, step by step, with nothing but the script behind it.
 */

const agentKey = 'pk_scripted_key';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** A scripted transport and a client on it; ids are counters, jitter is fixed. */
function setUp(
  script: Partial<ScriptedTransportOptions> = {},
  clientOptions: {
    storage?: ReturnType<typeof createMemoryStorage>;
    transport?: ScriptedTransport;
  } = {},
) {
  const transport =
    clientOptions.transport ??
    createScriptedTransport({
      agent: { name: 'Parley Outfitters', description: 'Outdoor clothing' },
      replies: ['Hello! How can I help?'],
      paceMs: 10,
      stepMs: 20,
      ...script,
    });
  let id = 0;
  const client = createChatClient({
    transport,
    session: { agentKey },
    storage: clientOptions.storage ?? null,
    network: transport.network,
    createId: () => `message-${++id}`,
    random: () => 0.5,
    reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
    suggestedReplies: ['Where is my order?'],
  });
  return { transport, client };
}

/** Runs the timers for `ms` (and the promises they release). */
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Runs the timers until `check` holds (at most 10 s of fake time). */
async function advanceUntil(client: ChatClient, check: (state: ChatState) => boolean) {
  for (let elapsed = 0; elapsed < 10_000; elapsed += 5) {
    if (check(client.getState())) return;
    await advance(5);
  }
  throw new Error(`never reached; state: ${JSON.stringify(client.getState(), null, 2)}`);
}

const messages = (state: ChatState) =>
  state.items.filter((item): item is ChatMessage => item.type === 'message');
const transcript = (state: ChatState) =>
  messages(state).map((message) => `${message.role}: ${message.text} (${message.delivery})`);

describe('a scripted conversation through the chat client', () => {
  it('opens a session with the history, sends optimistically and streams the reply', async () => {
    const { client } = setUp({
      history: [
        { role: 'agent', text: 'Welcome back.' },
        { role: 'customer', text: 'Hi' },
      ],
      replies: ['Your order ships today.'],
    });
    const seen: ChatState[] = [];
    client.subscribe(() => seen.push(client.getState()));
    await client.start();
    expect(client.getState()).toMatchObject({
      historyLoaded: true,
      connection: 'connecting',
      suggestedReplies: [],
    });
    expect(transcript(client.getState())).toEqual([
      'agent: Welcome back. (sent)',
      'customer: Hi (sent)',
    ]);
    await advance(0);
    expect(client.getState().connection).toBe('open');

    const sending = client.send('Where is my order?');
    expect(transcript(client.getState()).at(-1)).toBe('customer: Where is my order? (sending)');
    expect(await sending).toBe('message-1');
    expect(transcript(client.getState()).at(-1)).toBe('customer: Where is my order? (sent)');

    await advanceUntil(client, (state) => state.turn.status === 'ready');
    const statuses = seen
      .map((state) => state.turn.status)
      .filter((status, index, all) => status !== all[index - 1]);
    expect(statuses).toEqual(['idle', 'acknowledged', 'processing', 'typing', 'ready']);
    expect(seen.some((state) => state.turn.stage === 'guideline_matching')).toBe(true);
    // The reply grew word by word in one streaming item, then became the stored message.
    const drafts = seen
      .map((state) => messages(state).find((message) => message.delivery === 'streaming')?.text)
      .filter((text): text is string => text !== undefined);
    expect(drafts).toEqual([
      'Your ',
      'Your order ',
      'Your order ships ',
      'Your order ships today.',
    ]);
    expect(transcript(client.getState())).toEqual([
      'agent: Welcome back. (sent)',
      'customer: Hi (sent)',
      'customer: Where is my order? (sent)',
      'agent: Your order ships today. (sent)',
    ]);
    expect(client.getState().unread).toBe(1);
    client.markRead();
    expect(client.getState().unread).toBe(0);
    client.dispose();
    expect(client.getState().connection).toBe('closed');
  });

  it('offers the suggested replies until the first customer message', async () => {
    const { client } = setUp();
    await client.start();
    expect(client.getState().suggestedReplies).toEqual(['Where is my order?']);
    await client.send('Hi');
    expect(client.getState().suggestedReplies).toEqual([]);
    client.dispose();
  });

  it('shows the tool the agent ran as a card before the reply', async () => {
    const { client } = setUp({ replies: [{ tool: 'order_status', text: 'It ships today.' }] });
    const stages: Array<string | null> = [];
    client.subscribe(() => stages.push(client.getState().turn.stage));
    await client.start();
    await client.send('Where is my order?');
    await advanceUntil(client, (state) => state.turn.status === 'ready');
    expect(stages).toContain('tool_calls');
    expect(client.getState().items.map((item) => item.type)).toEqual([
      'message',
      'tool_call',
      'message',
    ]);
    expect(client.getState().items[1]).toMatchObject({
      type: 'tool_call',
      toolName: 'order_status',
    });
    client.dispose();
  });

  it('streams a reply without sources, shows its sources once it is stored, and again after a reload', async () => {
    const storage = createMemoryStorage();
    const sources = [
      { title: 'Returns policy', url: 'https://shop.example/returns' },
      { title: 'Click me', url: 'javascript:alert(1)' },
      { title: 'Warehouse handbook' },
    ];
    const first = setUp(
      { replies: [{ text: 'Returns take 30 days [1][3].', sources }] },
      { storage },
    );
    const seen: ChatState[] = [];
    first.client.subscribe(() => seen.push(first.client.getState()));
    await first.client.start();
    await first.client.send('How long do returns take?');
    await advanceUntil(first.client, (state) => state.turn.status === 'ready');

    const streamed = seen.flatMap(messages).filter((message) => message.delivery === 'streaming');
    expect(streamed.length).toBeGreaterThan(1);
    for (const draft of streamed) expect(draft.sources).toEqual([]);
    const shown = [
      { number: 1, title: 'Returns policy', url: 'https://shop.example/returns' },
      { number: 3, title: 'Warehouse handbook', url: null },
    ];
    const reply = messages(first.client.getState()).at(-1);
    expect(reply).toMatchObject({ role: 'agent', delivery: 'sent', sources: shown });
    // The stored event holds what the server sent; the item only what is safe to show.
    const stored = first.transport.eventsOf(first.client.getState().sessionId!);
    expect(stored.some((event) => JSON.stringify(event).includes('javascript:'))).toBe(true);
    first.client.dispose();

    const second = setUp({}, { storage, transport: first.transport });
    await second.client.start();
    expect(messages(second.client.getState()).at(-1)?.sources).toEqual(shown);
    second.client.dispose();
  });

  it('ends a failed turn in a retryable error, and retry() plays the turn again', async () => {
    const { client } = setUp({
      replies: [{ error: { code: 'model_failed' } }, 'Here it is after all.'],
    });
    await client.start();
    await client.send('Where is my order?');
    await advanceUntil(client, (state) => state.turn.status === 'error');
    expect(client.getState().turn.error).toEqual({
      code: 'model_failed',
      message: 'The assistant could not reply. Please try again.',
      retryable: true,
    });
    await client.retry();
    await advanceUntil(client, (state) => state.turn.status === 'ready');
    expect(transcript(client.getState())).toEqual([
      'customer: Where is my order? (sent)',
      'agent: Here it is after all. (sent)',
    ]);
    expect(client.getState().turn.error).toBeNull();
    client.dispose();
  });

  it('cancels a reply that hangs: the turn ends cancelled and its draft goes', async () => {
    const { client } = setUp({ replies: [{ text: 'Let me think about that', hang: true }] });
    await client.start();
    await client.send('A hard question');
    await advanceUntil(client, (state) =>
      messages(state).some((message) => message.text === 'Let me think about that'),
    );
    await advance(1000);
    expect(client.getState().turn.status).toBe('typing');
    await client.cancel();
    await advanceUntil(client, (state) => state.turn.status === 'cancelled');
    expect(transcript(client.getState())).toEqual(['customer: A hard question (sent)']);
    client.dispose();
  });

  it('reconnects after a dropped stream with backoff and resumes mid-reply without repeating text', async () => {
    const text = Array.from({ length: 30 }, (_, index) => `word${index + 1}`).join(' ');
    const { client, transport } = setUp({ replies: [text] });
    const connections: string[] = [];
    client.subscribe(() => {
      const { connection } = client.getState();
      if (connections.at(-1) !== connection) connections.push(connection);
    });
    await client.start();
    await client.send('Write me thirty words');
    await advanceUntil(client, (state) =>
      messages(state).some(
        (message) => message.delivery === 'streaming' && message.text.includes('word5 '),
      ),
    );
    transport.dropStreams();
    await advance(0);
    expect(client.getState().connection).toBe('reconnecting');
    // Full jitter with random 0.5 and a first ceiling of 100 ms: back after 50 ms.
    await advance(49);
    expect(client.getState().connection).toBe('reconnecting');
    await advance(1);
    expect(client.getState().connection).toBe('open');
    await advanceUntil(client, (state) => state.turn.status === 'ready');
    expect(transcript(client.getState())).toEqual([
      'customer: Write me thirty words (sent)',
      `agent: ${text} (sent)`,
    ]);
    expect(connections).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    client.dispose();
  });

  it('backs off exponentially with full jitter while the stream cannot connect, up to the cap', async () => {
    const scripted = createScriptedTransport({ agent: { name: 'Echo' }, replies: ['Hi'] });
    let refusing = true;
    const transport: ScriptedTransport = {
      ...scripted,
      stream(credentials, options) {
        if (!refusing) return scripted.stream(credentials, options);
        // A server that answers 503 to every attempt to open the stream.
        const refusal = new TransportError({
          status: 503,
          code: 'not_ready',
          message: 'Shutting down',
          retryable: true,
        });
        return {
          [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(refusal) }),
        };
      },
    };
    const timers = createManualTimers();
    const client = createChatClient({
      transport,
      session: { agentKey },
      storage: null,
      network: scripted.network,
      timers,
      random: () => 0.5,
      reconnect: { initialDelayMs: 100, maxDelayMs: 1000 },
    });
    await client.start();
    const delays: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      await advance(0);
      expect(client.getState().connection).toBe('reconnecting');
      // The token's renewal waits too (a day off); the reconnection is the short one.
      const reconnection = Math.min(...timers.pending());
      delays.push(reconnection);
      timers.fire(reconnection);
    }
    // Half (the fixed jitter) of 100, 200, 400, 800, then the 1000 cap.
    expect(delays).toEqual([50, 100, 200, 400, 500, 500]);
    refusing = false;
    await advance(0);
    expect(client.getState().connection).toBe('open');
    // Once open, the next drop starts from the first delay again.
    scripted.dropStreams();
    refusing = true;
    await advance(0);
    expect(Math.min(...timers.pending())).toBe(50);
    client.dispose();
  });

  it('goes offline with the network, fails a send, and on reconnection resends it with the same id', async () => {
    const { client, transport } = setUp({ replies: ['Back online.'] });
    await client.start();
    await advance(0);
    transport.setOnline(false);
    expect(client.getState().connection).toBe('offline');
    const id = await client.send('Are you there?');
    expect(messages(client.getState())[0]).toMatchObject({
      id,
      delivery: 'failed',
      error: { code: 'network', retryable: true },
    });
    // No reconnection attempts while offline, however long.
    await advance(60_000);
    expect(client.getState().connection).toBe('offline');

    transport.setOnline(true);
    await advance(0);
    expect(client.getState().connection).toBe('open');
    await client.retry(id);
    await advanceUntil(client, (state) => state.turn.status === 'ready');
    expect(transcript(client.getState())).toEqual([
      'customer: Are you there? (sent)',
      'agent: Back online. (sent)',
    ]);
    const sessionId = client.getState().sessionId as string;
    const stored = transport
      .eventsOf(sessionId)
      .filter((event) => event.kind === 'message' && event.source === 'customer');
    expect(stored.map((event) => event.kind === 'message' && event.data.clientMessageId)).toEqual([
      id,
    ]);
    client.dispose();
  });

  it('rates a reply: the feedback shows at once and is stored', async () => {
    const { client, transport } = setUp();
    await client.start();
    await client.send('Hi');
    await advanceUntil(client, (state) => state.turn.status === 'ready');
    const reply = messages(client.getState()).find(
      (message) => message.role === 'agent',
    ) as ChatMessage;
    await client.sendFeedback(reply.id, 'up');
    expect(messages(client.getState()).find((message) => message.id === reply.id)?.feedback).toBe(
      'up',
    );
    const feedback = transport
      .eventsOf(client.getState().sessionId as string)
      .filter((event) => event.kind === 'custom');
    expect(feedback.map((event) => event.kind === 'custom' && event.data.payload)).toEqual([
      { eventId: reply.eventId, rating: 'up', comment: null },
    ]);
    client.dispose();
  });

  it('restores the session from storage after a reload, with its history and no new session', async () => {
    const storage = createMemoryStorage();
    const first = setUp({}, { storage });
    await first.client.start();
    await first.client.send('Hi');
    await advanceUntil(first.client, (state) => state.turn.status === 'ready');
    const sessionId = first.client.getState().sessionId;
    first.client.dispose();

    const second = setUp({}, { storage, transport: first.transport });
    const openSession = vi.spyOn(first.transport, 'openSession');
    await second.client.start();
    expect(openSession).not.toHaveBeenCalled();
    expect(second.client.getState().sessionId).toBe(sessionId);
    expect(transcript(second.client.getState())).toEqual([
      'customer: Hi (sent)',
      'agent: Hello! How can I help? (sent)',
    ]);
    // A reload is no news: the replies read from history are not unread.
    expect(second.client.getState().unread).toBe(0);
    expect(second.client.getState().turn.status).toBe('ready');
    second.client.dispose();
  });

  it('reads older pages before the window, oldest first', async () => {
    const history = Array.from({ length: 130 }, (_, index) => ({
      role: index % 2 === 0 ? ('customer' as const) : ('agent' as const),
      text: `message ${index}`,
    }));
    const { client } = setUp({ history });
    await client.start();
    const state = client.getState();
    expect(state.windowStartOffset).toBe(30);
    expect(messages(state)[0]?.text).toBe('message 30');
    const page = await client.loadHistoryPage({ beforeOffset: 30, limit: 20 });
    expect(page.hasMore).toBe(true);
    expect(page.items.map((item) => item.type === 'message' && item.text)).toEqual(
      history.slice(10, 30).map((entry) => entry.text),
    );
    const first = await client.loadHistoryPage({ beforeOffset: 10, limit: 20 });
    expect(first.hasMore).toBe(false);
    expect(first.items).toHaveLength(10);
    client.dispose();
  });

  it('shows every word once when frames come twice, and a late snapshot cannot undo the stored reply', async () => {
    const scripted = createScriptedTransport({
      agent: { name: 'Echo' },
      replies: ['one two three four'],
      paceMs: 10,
      stepMs: 20,
    });
    // A stream that repeats every frame, and repeats a stale snapshot after the stored reply:
    // what two paths (a replay racing the live stream) could deliver.
    const transport: ScriptedTransport = {
      ...scripted,
      async *stream(credentials, options) {
        let snapshot: StreamFrame | null = null;
        for await (const frame of scripted.stream(credentials, options)) {
          yield frame;
          yield frame;
          if (frame.type === 'delta' && frame.seq === 1) {
            snapshot = { ...frame, type: 'snapshot', text: 'one two ' };
          }
          if (frame.type === 'event' && frame.event.kind === 'message' && snapshot) {
            yield snapshot;
            yield {
              ...(snapshot as Extract<StreamFrame, { type: 'snapshot' }>),
              type: 'delta',
              seq: 9,
              text: 'extra',
            };
          }
        }
      },
    };
    const { client } = setUp({}, { transport });
    const drafts: string[] = [];
    client.subscribe(() => {
      const draft = messages(client.getState()).find((message) => message.delivery === 'streaming');
      if (draft && drafts.at(-1) !== draft.text) drafts.push(draft.text);
    });
    await client.start();
    await client.send('count to four');
    await advanceUntil(client, (state) => state.turn.status === 'ready');
    expect(drafts).toEqual(['one ', 'one two ', 'one two three ', 'one two three four']);
    expect(transcript(client.getState())).toEqual([
      'customer: count to four (sent)',
      'agent: one two three four (sent)',
    ]);
    expect(client.getState().unread).toBe(1);
    client.dispose();
  });

  it('forgets the session on reset: the next start opens a new one', async () => {
    const storage = createMemoryStorage();
    const { client } = setUp({}, { storage });
    await client.start();
    const firstSession = client.getState().sessionId;
    await client.reset();
    expect(client.getState()).toMatchObject({ sessionId: null, items: [], connection: 'idle' });
    expect(storage.entries.size).toBe(0);
    await client.start();
    expect(client.getState().sessionId).not.toBe(firstSession);
    client.dispose();
  });
});
