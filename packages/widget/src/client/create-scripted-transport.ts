import { globalTimers } from './browser-defaults';
import type { ChatClientOptions, ChatTimers } from './chat-client';
import {
  type AgentProfile,
  type ChatTransport,
  type SessionCredentials,
  type StreamFrame,
  TransportError,
  type TransportFailure,
} from './chat-transport';
import type { MessageSource, WireEvent } from './wire-event';

/** One turn of a scripted conversation: what the agent does when the customer writes. */
export interface ScriptedReply {
  /** The reply, streamed word by word, then stored. */
  text?: string;
  /**
   * The sources the stored reply cites, in citation order, stored as given (checked only by
   * the client, as a server's would be): the reply's `[1]` is the first.
   */
  sources?: MessageSource[];
  /** A holding line the agent sends first, as a preamble (before any tool and the reply). */
  preamble?: string;
  /** A tool the agent runs first (a tool card appears before the reply). */
  tool?: string;
  /** The turn fails with this error instead of replying; retryable unless it says otherwise. */
  error?: { code?: string; message?: string; retryable?: boolean };
  /**
   * The turn never ends by itself: it streams `text` (if any) and waits, as a slow model
   * would, until the customer cancels it.
   */
  hang?: boolean;
}

/** A reply as a script holds it: its text, or a {@link ScriptedReply}. */
export type ScriptedReplyEntry = string | ScriptedReply;

/**
 * A stored entry of the conversation a scripted session starts with. `sources` are stored on
 * the message as given, whoever wrote it; the chat shows those of the agent's replies only.
 */
export type ScriptedHistoryEntry =
  | { role: 'customer' | 'agent'; text: string; sources?: MessageSource[] }
  | { role: 'human_agent'; text: string; participantName?: string; sources?: MessageSource[] }
  | { tool: string };

/** Options of {@link createScriptedTransport}. */
export interface ScriptedTransportOptions {
  /** The agent as the chat's header shows it. */
  agent: { name: string; description?: string | null };
  /** The conversation the first session opens with (later sessions start empty). */
  history?: ScriptedHistoryEntry[];
  /**
   * What the agent does, turn after turn: a list played in order (and again from the start
   * when it runs out), or a function of the customer's message and the turn's number (from 0).
   * A retried turn plays the next entry.
   */
  replies: ScriptedReplyEntry[] | ((message: string, turn: number) => ScriptedReplyEntry);
  /** Milliseconds between two streamed words; default 40. */
  paceMs?: number;
  /** Milliseconds between the steps before the reply (acknowledged, processing…); default 200. */
  stepMs?: number;
  /** Milliseconds before each request answers; default 0. */
  latencyMs?: number;
  /**
   * Refuse every session with this failure instead of opening one, as a server refuses a key
   * it does not know or a page its key does not allow (`{ status: 403, code: 'forbidden',
   * reason: 'origin_not_allowed', … }`): the states of a chat that cannot start.
   */
  refuseSessions?: TransportFailure;
  /** Default: the global timers. */
  timers?: ChatTimers;
  /** The clock of stored events; default the real one. */
  now?: () => Date;
}

/** An in-memory {@link ChatTransport} playing a scripted conversation, with knobs for tests. */
export interface ScriptedTransport extends ChatTransport {
  /** The network this transport pretends to be on: pass it to `createChatClient`'s `network`. */
  readonly network: NonNullable<ChatClientOptions['network']>;
  /** Takes the network away (every request fails, streams drop) or gives it back. */
  setOnline(online: boolean): void;
  /** Drops every open stream as a cut connection would; the client reconnects and resumes. */
  dropStreams(): void;
  /** The stored events of a session, oldest first. */
  eventsOf(sessionId: string): readonly WireEvent[];
}

/** One listener of a session's frames: an open stream. */
interface FrameSubscriber {
  push(frame: StreamFrame): void;
  fail(error: TransportError): void;
}

/** The turn a scripted session is taking. */
interface RunningTurn {
  traceId: string;
  /** The pending step's timer. */
  timer: unknown;
  /** The reply being written, once the first word is out. */
  draft: { messageId: string; seq: number; text: string } | null;
}

interface ScriptedSession {
  id: string;
  tokens: Set<string>;
  events: WireEvent[];
  subscribers: Set<FrameSubscriber>;
  turn: RunningTurn | null;
  /** How the last turn ended; `error` allows a retry. */
  lastOutcome: 'ready' | 'error' | 'cancelled' | null;
}

const agentId = 'scripted-agent';

/**
 * A {@link ChatTransport} with no server: it stores messages in memory and plays the agent's
 * side from a script (acknowledged, processing, typing, the reply streamed word by word, then
 * stored, then ready), including tool runs, failures and replies that hang until cancelled. It
 * speaks the same frames as the HTTP transport, snapshots and `Last-Event-ID` replay included,
 * so the real chat client runs on it: Storybook stories and browser tests use it. Ids are
 * counters and time goes through `timers` and `now`, so a run is the same every time.
 */
export function createScriptedTransport(options: ScriptedTransportOptions): ScriptedTransport {
  const timers = options.timers ?? globalTimers;
  const now = options.now ?? (() => new Date());
  const paceMs = options.paceMs ?? 40;
  const stepMs = options.stepMs ?? 200;
  const latencyMs = options.latencyMs ?? 0;
  const sessions = new Map<string, ScriptedSession>();
  const networkListeners = new Set<(online: boolean) => void>();
  let online = true;
  let counter = 0;
  let turnCount = 0;
  const nextId = (prefix: string) => `scripted-${prefix}-${++counter}`;

  const networkFailure = () =>
    new TransportError({
      status: 0,
      code: 'network',
      message: 'The network is unavailable',
      retryable: true,
    });

  /** Waits like a request would, then checks the network and the token. */
  async function arrive(credentials?: SessionCredentials): Promise<ScriptedSession | undefined> {
    if (latencyMs > 0) await new Promise<void>((resolve) => timers.setTimeout(resolve, latencyMs));
    if (!online) throw networkFailure();
    if (!credentials) return undefined;
    const session = sessions.get(credentials.sessionId);
    if (!session?.tokens.has(credentials.customerToken)) {
      throw new TransportError({
        status: 401,
        code: 'unauthenticated',
        reason: 'token_invalid',
        message: 'The customer token is invalid',
        retryable: false,
      });
    }
    return session;
  }

  function broadcast(session: ScriptedSession, frame: StreamFrame) {
    for (const subscriber of session.subscribers) subscriber.push(frame);
  }

  function store(
    session: ScriptedSession,
    event: { kind: WireEvent['kind']; source: WireEvent['source']; data: unknown },
    traceId: string,
    id = nextId('event'),
  ): WireEvent {
    const stored = {
      id,
      sessionId: session.id,
      offset: session.events.length,
      traceId,
      createdAt: now().toISOString(),
      ...event,
    } as WireEvent;
    session.events.push(stored);
    broadcast(session, { type: 'event', event: stored });
    return stored;
  }

  function status(session: ScriptedSession, traceId: string, data: Record<string, unknown>) {
    store(session, { kind: 'status', source: 'ai_agent', data }, traceId);
  }

  function createSession(history: ScriptedHistoryEntry[]): ScriptedSession {
    const session: ScriptedSession = {
      id: nextId('session'),
      tokens: new Set(),
      events: [],
      subscribers: new Set(),
      turn: null,
      lastOutcome: null,
    };
    for (const entry of history) {
      const traceId = nextId('trace');
      if ('tool' in entry) {
        store(
          session,
          {
            kind: 'tool',
            source: 'ai_agent',
            data: { calls: [{ toolName: entry.tool, arguments: {} }] },
          },
          traceId,
        );
      } else {
        const participantName = entry.role === 'human_agent' ? entry.participantName : undefined;
        const source = entry.role === 'agent' ? 'ai_agent' : entry.role;
        store(
          session,
          {
            kind: 'message',
            source,
            data: {
              text: entry.text,
              ...(participantName ? { participantName } : {}),
              ...(entry.sources ? { sources: entry.sources } : {}),
            },
          },
          traceId,
        );
      }
    }
    sessions.set(session.id, session);
    return session;
  }

  function issueToken(session: ScriptedSession) {
    const token = `scripted-token:${session.id}:${session.tokens.size + 1}`;
    session.tokens.add(token);
    return {
      customerToken: token,
      expiresAt: new Date(now().getTime() + 86_400_000).toISOString(),
    };
  }

  function scriptFor(message: string): ScriptedReply {
    const turn = turnCount++;
    const { replies } = options;
    const entry =
      typeof replies === 'function'
        ? replies(message, turn)
        : (replies[turn % Math.max(1, replies.length)] ?? '');
    return typeof entry === 'string' ? { text: entry } : entry;
  }

  /** Plays one turn step by step; each step waits `delayMs` on the timers. */
  function playTurn(session: ScriptedSession, reply: ScriptedReply) {
    const traceId = nextId('trace');
    const turn: RunningTurn = { traceId, timer: null, draft: null };
    session.turn = turn;
    const steps: Array<{ delayMs: number; run: () => void }> = [];
    const step = (delayMs: number, run: () => void) => steps.push({ delayMs, run });
    const end = (outcome: 'ready' | 'error') => {
      session.turn = null;
      session.lastOutcome = outcome;
    };

    step(stepMs / 2, () => status(session, traceId, { status: 'acknowledged' }));
    step(stepMs, () =>
      status(session, traceId, { status: 'processing', stage: 'guideline_matching' }),
    );
    if (reply.preamble) {
      const text = reply.preamble;
      step(stepMs, () =>
        store(
          session,
          { kind: 'message', source: 'ai_agent', data: { text, preamble: true } },
          traceId,
        ),
      );
    }
    if (reply.tool) {
      const toolName = reply.tool;
      step(stepMs, () => status(session, traceId, { status: 'processing', stage: 'tool_calls' }));
      step(stepMs * 2, () =>
        store(
          session,
          { kind: 'tool', source: 'ai_agent', data: { calls: [{ toolName, arguments: {} }] } },
          traceId,
        ),
      );
    }
    if (reply.error) {
      const error = reply.error;
      step(stepMs, () => {
        status(session, traceId, {
          status: 'error',
          error: {
            code: error.code ?? 'model_failed',
            message: error.message ?? 'The assistant could not reply. Please try again.',
            retryable: error.retryable ?? true,
          },
        });
        end('error');
      });
    } else {
      const words = (reply.text ?? '').match(/\s*\S+\s*/g) ?? [];
      const messageId = nextId('event');
      if (words.length > 0) step(stepMs, () => status(session, traceId, { status: 'typing' }));
      words.forEach((word, index) => {
        step(index === 0 ? stepMs / 2 : paceMs, () => {
          turn.draft = {
            messageId,
            seq: index,
            text: (turn.draft?.text ?? '') + word,
          };
          broadcast(session, { type: 'delta', traceId, messageId, seq: index, text: word });
        });
      });
      if (!reply.hang) {
        step(paceMs, () => {
          store(
            session,
            {
              kind: 'message',
              source: 'ai_agent',
              data: {
                text: reply.text ?? '',
                ...(reply.sources ? { sources: reply.sources } : {}),
              },
            },
            traceId,
            messageId,
          );
          turn.draft = null;
          status(session, traceId, { status: 'ready' });
          end('ready');
        });
      }
    }

    const next = (index: number) => {
      const current = steps[index];
      if (!current || session.turn !== turn) return;
      turn.timer = timers.setTimeout(() => {
        turn.timer = null;
        if (session.turn !== turn) return;
        current.run();
        next(index + 1);
      }, current.delayMs);
    };
    next(0);
  }

  /** Stops the running turn, which ends `cancelled`; its draft is never stored. */
  function cancelTurn(session: ScriptedSession) {
    const turn = session.turn;
    if (!turn) return;
    if (turn.timer !== null) timers.clearTimeout(turn.timer);
    session.turn = null;
    session.lastOutcome = 'cancelled';
    status(session, turn.traceId, { status: 'cancelled' });
  }

  function dropAll(error: () => TransportError) {
    for (const session of sessions.values()) {
      for (const subscriber of [...session.subscribers]) subscriber.fail(error());
    }
  }

  return {
    network: {
      isOnline: () => online,
      subscribe(listener) {
        networkListeners.add(listener);
        return () => {
          networkListeners.delete(listener);
        };
      },
    },

    setOnline(next) {
      if (next === online) return;
      online = next;
      if (!online) dropAll(networkFailure);
      for (const listener of [...networkListeners]) listener(online);
    },

    dropStreams() {
      dropAll(
        () =>
          new TransportError({
            status: 0,
            code: 'network',
            message: 'The event stream was interrupted',
            retryable: true,
          }),
      );
    },

    eventsOf(sessionId) {
      return sessions.get(sessionId)?.events ?? [];
    },

    async openSession() {
      await arrive();
      if (options.refuseSessions) throw new TransportError(options.refuseSessions);
      const session = createSession(sessions.size === 0 ? (options.history ?? []) : []);
      return { sessionId: session.id, ...issueToken(session), resumed: false };
    },

    async renewToken(credentials) {
      return issueToken((await arrive(credentials)) as ScriptedSession);
    },

    async getSessionInfo(credentials) {
      const session = (await arrive(credentials)) as ScriptedSession;
      return { lastOffset: session.events.at(-1)?.offset ?? -1 };
    },

    async getAgentProfile(credentials): Promise<AgentProfile> {
      await arrive(credentials);
      return {
        id: agentId,
        name: options.agent.name,
        description: options.agent.description ?? null,
      };
    },

    async listEvents(credentials, query) {
      const session = (await arrive(credentials)) as ScriptedSession;
      return session.events.filter((event) => event.offset > query.after).slice(0, query.limit);
    },

    async postMessage(credentials, message) {
      const session = (await arrive(credentials)) as ScriptedSession;
      const repeat = session.events.find(
        (event) =>
          event.kind === 'message' &&
          event.source === 'customer' &&
          event.data.clientMessageId === message.clientMessageId,
      );
      if (repeat) return { event: repeat, duplicate: true };
      // A new message supersedes the turn in progress, as the engine's does.
      cancelTurn(session);
      const event = store(
        session,
        {
          kind: 'message',
          source: 'customer',
          data: { text: message.text, clientMessageId: message.clientMessageId },
        },
        nextId('trace'),
      );
      playTurn(session, scriptFor(message.text));
      return { event, duplicate: false };
    },

    async cancel(credentials) {
      cancelTurn((await arrive(credentials)) as ScriptedSession);
    },

    async retryTurn(credentials) {
      const session = (await arrive(credentials)) as ScriptedSession;
      const lastMessage = session.events.findLast(
        (event) => event.kind === 'message' && event.source === 'customer',
      );
      if (session.turn || session.lastOutcome === 'ready' || !lastMessage) {
        throw new TransportError({
          status: 409,
          code: 'conflict',
          message: 'There is no failed turn to retry',
          retryable: false,
        });
      }
      playTurn(session, scriptFor(lastMessage.kind === 'message' ? lastMessage.data.text : ''));
    },

    async sendFeedback(credentials, feedback) {
      const session = (await arrive(credentials)) as ScriptedSession;
      if (!session.events.some((event) => event.id === feedback.eventId)) {
        throw new TransportError({
          status: 404,
          code: 'not_found',
          message: 'event not found',
          retryable: false,
        });
      }
      store(
        session,
        {
          kind: 'custom',
          source: 'customer',
          data: {
            type: 'feedback',
            payload: {
              eventId: feedback.eventId,
              rating: feedback.rating,
              comment: feedback.comment ?? null,
            },
          },
        },
        nextId('trace'),
      );
    },

    stream(credentials, { after, signal }) {
      return streamFrames(credentials, after, signal);
    },
  };

  async function* streamFrames(
    credentials: SessionCredentials,
    after: number,
    signal: AbortSignal,
  ): AsyncGenerator<StreamFrame> {
    const session = (await arrive(credentials)) as ScriptedSession;
    if (signal.aborted) return;
    const queue: StreamFrame[] = [{ type: 'open' }];
    let failure: TransportError | null = null;
    let wake: (() => void) | null = null;
    // Replay and subscription in one synchronous step: nothing stored in between is missed.
    for (const event of session.events) {
      if (event.offset > after) queue.push({ type: 'event', event });
    }
    const draft = session.turn?.draft;
    if (draft && session.turn) {
      queue.push({ type: 'snapshot', traceId: session.turn.traceId, ...draft });
    }
    const subscriber: FrameSubscriber = {
      push(frame) {
        queue.push(frame);
        wake?.();
      },
      fail(error) {
        failure = error;
        session.subscribers.delete(subscriber);
        wake?.();
      },
    };
    session.subscribers.add(subscriber);
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort);
    try {
      for (;;) {
        if (signal.aborted) return;
        const frame = queue.shift();
        if (frame) {
          yield frame;
          continue;
        }
        if (failure) throw failure;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      session.subscribers.delete(subscriber);
      signal.removeEventListener('abort', onAbort);
    }
  }
}
