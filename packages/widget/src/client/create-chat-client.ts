import { browserNetwork, browserStorage, globalTimers, randomId } from './browser-defaults';
import type { ChatClient, ChatClientOptions } from './chat-client';
import type { ChatError, ChatItem, ChatMessage, ChatState } from './chat-state';
import {
  addStoredEvent,
  finalTurnStatuses,
  findMessage,
  idleTurn,
  itemsFromEvents,
  messageItemId,
  placeItem,
  turnFromEvent,
  updateMessage,
} from './chat-timeline';
import {
  type OpenSessionRequest,
  type SessionCredentials,
  type StreamFrame,
  TransportError,
} from './chat-transport';
import { configurationErrorOf, ownerMessage } from './configuration-error';
import { createSubscribable } from './create-subscribable';
import { reconnectDelay } from './reconnect-delay';
import {
  readStoredSession,
  type StoredSession,
  tokenExpiry,
  writeStoredSession,
} from './stored-session';
import { toChatError } from './to-chat-error';
import type { WireEvent } from './wire-event';

/** Stored events the live window starts with: the latest page of history. */
const latestPageSize = 100;
/** Events read per request while catching up with appends made during the first read. */
const historyReadSize = 1000;
/** The longest wait `setTimeout` takes (about 24.8 days); longer ones fire at once. */
const longestTimerMs = 2 ** 31 - 1;
/** Renew a token at most this long before it lapses (and at half its remaining life). */
const renewAheadMs = 5 * 60_000;
/** Ended turns remembered to ignore their late deltas. */
const endedTracesKept = 100;
/** After a renewal failed for a passing reason, try again this much later. */
const renewRetryMs = 30_000;

/** The session the client holds, and whether it was opened by this very connection attempt. */
interface HeldSession extends StoredSession {
  /** Opened now, not restored: refusing it is no reason to open yet another one. */
  fresh: boolean;
}

/** A reply being written: its trace, and the `seq` of the last delta in its text. */
interface Draft {
  traceId: string;
  seq: number;
}

/**
 * Creates the framework-free chat for one visitor: see {@link ChatClient}. Everything it knows
 * is in `getState()`; it never throws from a background task (a failure lands in the state), and
 * `start()` resolves even when the session cannot be opened (`state.error` then says why).
 * `cancel`, `retry()` without an id, `sendFeedback` and `loadAgentProfile` reject with a
 * `TransportError` when the server refuses.
 */
export function createChatClient(options: ChatClientOptions): ChatClient {
  const { transport } = options;
  const timers = options.timers ?? globalTimers;
  const now = options.now ?? (() => new Date());
  const random = options.random ?? Math.random;
  const createId = options.createId ?? randomId;
  const storage = options.storage === undefined ? browserStorage() : options.storage;
  const network = options.network ?? browserNetwork();
  const logger = options.logger ?? globalThis.console;
  const backoff = {
    initialDelayMs: options.reconnect?.initialDelayMs ?? 500,
    maxDelayMs: options.reconnect?.maxDelayMs ?? 15_000,
    random,
  };
  const suggestedReplies = options.suggestedReplies ?? [];
  const request: OpenSessionRequest | null = 'agentKey' in options.session ? options.session : null;
  const hostCredentials: SessionCredentials | null =
    request === null ? (options.session as SessionCredentials) : null;
  // An identified visitor gets their session back from the server on any device; keeping it
  // in this browser too would hand it to whoever signs in next on the same machine.
  const storageKey =
    storage && request && !request.identityToken
      ? `${options.storageKey ?? 'parley'}:${request.agentKey}`
      : null;

  const initialState = (): ChatState => ({
    sessionId: null,
    items: [],
    windowStartOffset: null,
    turn: idleTurn,
    connection: 'idle',
    error: null,
    unread: 0,
    suggestedReplies,
    historyLoaded: false,
  });
  const state = createSubscribable<ChatState>(initialState());
  const patch = (change: Partial<ChatState>) =>
    state.update((current) => ({ ...current, ...change }));

  let session: HeldSession | null = null;
  /** Offset of the last stored event read (history or stream): where the stream resumes. */
  let lastOffset = -1;
  const drafts = new Map<string, Draft>();
  /** Turns that ended: a late delta of one must not bring its reply back. */
  const endedTraces = new Set<string>();
  let started: Promise<void> | null = null;
  let disposed = false;
  /** The connection attempt in progress (session, history, stream); aborting it ends it. */
  let connection: AbortController | null = null;
  let attempt = 0;
  let reconnectTimer: unknown = null;
  let renewTimer: unknown = null;
  let stopListeningToNetwork: (() => void) | null = null;
  let stopListeningToTransport: (() => void) | null = null;

  // ---- session ----------------------------------------------------------------------------

  const keep = (held: HeldSession) => {
    if (storage && storageKey) writeStoredSession(storage, storageKey, held);
  };

  const restore = (): HeldSession | null => {
    if (hostCredentials) {
      return {
        credentials: hostCredentials,
        expiresAt: tokenExpiry(hostCredentials.customerToken),
        fresh: false,
      };
    }
    if (!storage || !storageKey) return null;
    const stored = readStoredSession(storage, storageKey);
    return stored ? { ...stored, fresh: false } : null;
  };

  /** Holds a session: restored, handed over, or opened now; one whose token lapsed is replaced. */
  async function ensureSession(signal: AbortSignal): Promise<HeldSession> {
    if (session?.expiresAt && session.expiresAt.getTime() <= now().getTime()) {
      // The token lapsed while nothing ran (a sleeping laptop): the server would refuse it.
      if (!request) {
        throw new TransportError({
          status: 401,
          code: 'unauthenticated',
          reason: 'token_expired',
          message: 'The customer token has expired',
          retryable: false,
        });
      }
      forgetSession();
    }
    if (!session) {
      const restored = restore();
      if (restored && !(restored.expiresAt && restored.expiresAt.getTime() <= now().getTime())) {
        session = restored;
      } else if (request) {
        const grant = await transport.openSession(request, signal);
        session = {
          credentials: { sessionId: grant.sessionId, customerToken: grant.customerToken },
          expiresAt: new Date(grant.expiresAt),
          fresh: true,
        };
        keep(session);
      } else {
        // Host credentials whose token lapsed: only the host can get new ones.
        throw new TransportError({
          status: 401,
          code: 'unauthenticated',
          reason: 'token_expired',
          message: 'The customer token has expired',
          retryable: false,
        });
      }
      patch({ sessionId: session.credentials.sessionId });
      scheduleRenewal();
    }
    return session;
  }

  function scheduleRenewal() {
    clearTimer(renewTimer);
    renewTimer = null;
    const held = session;
    if (!held?.expiresAt || disposed) return;
    const remaining = held.expiresAt.getTime() - now().getTime();
    const delay = Math.max(0, remaining - Math.min(renewAheadMs, remaining / 2));
    renewTimer = timers.setTimeout(
      () => {
        renewTimer = null;
        void renew(held);
      },
      Math.min(delay, longestTimerMs),
    );
  }

  async function renew(held: HeldSession) {
    if (session !== held || disposed) return;
    try {
      const renewed = await transport.renewToken(held.credentials);
      if (session !== held || disposed) return;
      session = {
        credentials: {
          sessionId: held.credentials.sessionId,
          customerToken: renewed.customerToken,
        },
        expiresAt: new Date(renewed.expiresAt),
        fresh: held.fresh,
      };
      keep(session);
      scheduleRenewal();
    } catch (error) {
      if (session !== held || disposed) return;
      if (configurationErrorOf(error)) return fail(error);
      if (isSessionLost(error)) return loseSession(held, error);
      // A passing failure (offline, server restarting): the token still works for a while.
      clearTimer(renewTimer);
      renewTimer = timers.setTimeout(() => {
        renewTimer = null;
        void renew(held);
      }, renewRetryMs);
    }
  }

  /**
   * Drops the session and the timeline read from it. Messages the server never stored stay,
   * so the customer can still send them (to the next session).
   */
  function forgetSession() {
    session = null;
    if (storage && storageKey) storage.remove(storageKey);
    clearTimer(renewTimer);
    renewTimer = null;
    lastOffset = -1;
    drafts.clear();
    endedTraces.clear();
    const unsent = state
      .get()
      .items.filter(
        (item) => item.type === 'message' && item.role === 'customer' && item.offset === null,
      );
    state.set({
      ...initialState(),
      connection: state.get().connection,
      items: unsent,
      suggestedReplies: unsent.length > 0 ? [] : suggestedReplies,
    });
  }

  /**
   * The server no longer accepts the session (token expired or revoked, session gone): an
   * anonymous visitor starts a new one, as the server's contract says; an identified one gets
   * theirs back through their identity token; credentials the host handed over cannot be
   * replaced here.
   */
  function loseSession(lost: HeldSession, error: unknown) {
    if (session !== lost) return;
    if (!request || lost.fresh) return fail(error);
    stopConnection();
    forgetSession();
    void connect();
  }

  // ---- connection -------------------------------------------------------------------------

  function clearTimer(handle: unknown) {
    if (handle !== null) timers.clearTimeout(handle);
  }

  function stopConnection() {
    connection?.abort();
    connection = null;
    clearTimer(reconnectTimer);
    reconnectTimer = null;
  }

  /**
   * Ends the chat's attempts for good (until `start()` again) with `error` to show. A
   * configuration error makes the chat `unavailable` and tells the site's owner, once, what
   * to fix.
   */
  function fail(error: unknown) {
    stopConnection();
    clearTimer(renewTimer);
    renewTimer = null;
    started = null;
    const configuration = configurationErrorOf(error);
    patch({ error: toChatError(error), connection: configuration ? 'unavailable' : 'idle' });
    if (configuration) {
      logger.error(
        ownerMessage(configuration, {
          agentKey: request?.agentKey ?? null,
          pageOrigin: typeof location === 'undefined' ? null : location.origin,
          url: (error as TransportError).url ?? null,
        }),
      );
    }
  }

  /** The transport learned the chat cannot reach its server from this page (its CSP). */
  function onConfigurationError(error: TransportError) {
    if (disposed || started === null || state.get().connection === 'unavailable') return;
    fail(error);
  }

  /**
   * One connection attempt: the session, the history the first time, then the stream, read
   * until it ends. Resolves once the stream is being opened (or the attempt has failed).
   */
  async function connect(): Promise<void> {
    if (disposed) return;
    stopConnection();
    if (!network.isOnline()) {
      patch({ connection: 'offline' });
      return;
    }
    const controller = new AbortController();
    connection = controller;
    const current = state.get().connection;
    patch({ connection: current === 'idle' ? 'connecting' : 'reconnecting' });
    let held: HeldSession;
    try {
      held = await ensureSession(controller.signal);
      if (!state.get().historyLoaded) await loadLatestHistory(held, controller.signal);
    } catch (error) {
      if (connection !== controller) return;
      return recover(error);
    }
    if (connection !== controller) return;
    void readStream(held, controller);
  }

  async function readStream(held: HeldSession, controller: AbortController) {
    try {
      const frames = transport.stream(held.credentials, {
        after: lastOffset,
        signal: controller.signal,
      });
      for await (const frame of frames) {
        if (connection !== controller) return;
        applyFrame(frame, held);
      }
      if (connection !== controller) return;
      // The server ended the stream (it is shutting down): come back, to another instance.
      recover(
        new TransportError({
          status: 0,
          code: 'network',
          message: 'The event stream ended',
          retryable: true,
        }),
      );
    } catch (error) {
      if (connection !== controller) return;
      recover(error);
    }
  }

  /** After a failed attempt: a new session, a later attempt, or the end. */
  function recover(error: unknown) {
    connection = null;
    if (isSessionLost(error) && session) return loseSession(session, error);
    if (error instanceof TransportError && !error.retryable) return fail(error);
    scheduleReconnect(error instanceof TransportError ? error.retryAfterSeconds : undefined);
  }

  function scheduleReconnect(retryAfterSeconds: number | undefined) {
    if (disposed) return;
    if (!network.isOnline()) {
      patch({ connection: 'offline' });
      return;
    }
    const delay = Math.max(reconnectDelay(attempt, backoff), (retryAfterSeconds ?? 0) * 1000);
    attempt += 1;
    patch({ connection: 'reconnecting' });
    clearTimer(reconnectTimer);
    reconnectTimer = timers.setTimeout(() => {
      reconnectTimer = null;
      void connect();
    }, delay);
  }

  function onNetworkChange(online: boolean) {
    if (disposed || started === null) return;
    if (!online) {
      // Whatever is open will fail anyway: stop now and say so, instead of backing off.
      stopConnection();
      patch({ connection: 'offline' });
    } else if (state.get().connection === 'offline') {
      attempt = 0;
      void connect();
    }
  }

  // ---- history and frames -----------------------------------------------------------------

  /**
   * Reads the latest page of stored events (offsets are gapless, so the session's last offset
   * says where it starts), and anything appended meanwhile: the window, the current turn, and
   * whether the customer already wrote (a session with older history they did).
   */
  async function loadLatestHistory(held: HeldSession, signal: AbortSignal) {
    const { lastOffset: storedLast } = await transport.getSessionInfo(held.credentials, signal);
    let latest: WireEvent[] = [];
    let after = Math.max(-1, storedLast - latestPageSize);
    let turn = idleTurn;
    let customerWrote = after >= 0;
    for (;;) {
      const page = await transport.listEvents(
        held.credentials,
        { after, limit: historyReadSize },
        signal,
      );
      for (const event of page) {
        if (event.kind === 'status') turn = turnFromEvent(event);
        if (event.kind === 'message' && event.source === 'customer') customerWrote = true;
      }
      latest = [...latest, ...page].slice(-latestPageSize);
      const last = page.at(-1);
      if (last) after = last.offset;
      if (page.length < historyReadSize) break;
    }
    if (session !== held || signal.aborted) return;
    for (const event of latest) {
      if (event.kind === 'status' && finalTurnStatuses.has(event.data.status)) {
        endTrace(event.traceId);
      }
    }
    lastOffset = after;
    const current = state.get();
    // Sends made while the history was read keep their place after it.
    const items = current.items.reduce<readonly ChatItem[]>(
      (merged, item) =>
        merged.some((existing) => existing.id === item.id) ? merged : placeItem(merged, item),
      itemsFromEvents(latest),
    );
    const wrote =
      customerWrote || items.some((item) => item.type === 'message' && item.role === 'customer');
    state.set({
      ...current,
      items: [...items],
      windowStartOffset: latest[0]?.offset ?? after + 1,
      turn,
      historyLoaded: true,
      suggestedReplies: wrote ? [] : current.suggestedReplies,
    });
  }

  /** Remembers that a turn ended; only recent turns matter (deltas come late by moments). */
  function endTrace(traceId: string) {
    endedTraces.add(traceId);
    if (endedTraces.size > endedTracesKept) {
      endedTraces.delete(endedTraces.values().next().value as string);
    }
  }

  function applyFrame(frame: StreamFrame, held: HeldSession) {
    switch (frame.type) {
      case 'open':
        attempt = 0;
        // The server took the session: refusing it later is news (expired, revoked), not a
        // sign that opening sessions fails.
        if (session?.credentials.sessionId === held.credentials.sessionId) session.fresh = false;
        patch({ connection: 'open' });
        return;
      case 'event':
        return applyEvent(frame.event);
      case 'delta':
      case 'snapshot':
        return applyDraft(frame);
    }
  }

  function applyEvent(event: WireEvent) {
    // Replayed after a reconnection that raced a read: already applied.
    if (event.offset <= lastOffset) return;
    lastOffset = event.offset;
    const current = state.get();
    let { unread, suggestedReplies: suggested, turn } = current;
    if (event.kind === 'message') {
      const id = messageItemId(event);
      const before = findMessage(current.items, id);
      if (event.source === 'customer') suggested = [];
      else if (!before || before.offset === null) unread += 1;
      drafts.delete(event.id);
    }
    let items = addStoredEvent(current.items, event);
    if (event.kind === 'status') {
      turn = turnFromEvent(event);
      if (finalTurnStatuses.has(event.data.status)) {
        endTrace(event.traceId);
        // A reply whose turn ended without storing it (cancelled, failed) never comes.
        for (const [messageId, draft] of drafts) {
          if (draft.traceId !== event.traceId) continue;
          drafts.delete(messageId);
          items = items.filter((item) => item.id !== messageId);
        }
      }
    }
    state.set({
      ...current,
      items: items === current.items ? current.items : [...items],
      turn,
      unread,
      suggestedReplies: suggested,
    });
  }

  function applyDraft(frame: Extract<StreamFrame, { type: 'delta' | 'snapshot' }>) {
    if (endedTraces.has(frame.traceId)) return;
    const current = state.get();
    const existing = findMessage(current.items, frame.messageId);
    // The stored reply is the whole text: nothing streamed may change it.
    if (existing && existing.offset !== null) return;
    const draft = drafts.get(frame.messageId);
    let text: string;
    if (frame.type === 'snapshot') {
      text = frame.text;
    } else if (draft && existing) {
      if (frame.seq <= draft.seq) return;
      text = existing.text + frame.text;
    } else {
      // A reply first seen past its beginning: showing it would show a torn text. The stored
      // message (or a snapshot on the next connection) brings it whole.
      if (frame.seq !== 0) return;
      text = frame.text;
    }
    drafts.set(frame.messageId, { traceId: frame.traceId, seq: frame.seq });
    const message: ChatMessage = existing
      ? { ...existing, text }
      : {
          type: 'message',
          id: frame.messageId,
          role: 'agent',
          text,
          delivery: 'streaming',
          eventId: null,
          offset: null,
          clientMessageId: null,
          participantName: null,
          createdAt: now().toISOString(),
          traceId: frame.traceId,
          error: null,
          feedback: null,
          preamble: false,
          // They come with the stored message, which replaces this draft.
          sources: [],
        };
    patch({ items: placeItem(current.items, message) });
  }

  // ---- sending ----------------------------------------------------------------------------

  /** Posts the customer message `id` (its `clientMessageId`) and records how it went. */
  async function deliver(id: string, text: string): Promise<void> {
    const unavailable = state.get().connection === 'unavailable' ? state.get().error : null;
    // Nothing is tried again on a page the chat cannot work on, not even for a message.
    if (unavailable) return markFailed(id, unavailable);
    await start();
    const held = session;
    if (!held) {
      return markFailed(
        id,
        state.get().error ?? {
          code: 'network',
          message: 'The chat is not connected.',
          retryable: true,
        },
      );
    }
    try {
      const { event } = await transport.postMessage(held.credentials, {
        text,
        clientMessageId: id,
      });
      if (session !== held || event.kind !== 'message') return;
      const current = state.get();
      const existing = findMessage(current.items, id);
      // The stream may have brought it first; either way it is one item.
      if (existing && existing.offset !== null) return;
      patch({ items: [...addStoredEvent(current.items, event)] });
    } catch (error) {
      markFailed(id, toChatError(error));
      if (configurationErrorOf(error)) fail(error);
      else if (isSessionLost(error)) loseSession(held, error);
    }
  }

  function markFailed(id: string, error: ChatError) {
    const items = updateMessage(state.get().items, id, (message) =>
      message.offset === null ? { ...message, delivery: 'failed', error } : message,
    );
    patch({ items: [...items] });
  }

  function requireSession(): SessionCredentials {
    if (!session) throw new Error('The chat has no session yet: call start() first.');
    return session.credentials;
  }

  function assertUsable() {
    if (disposed) throw new Error('The chat client was disposed.');
  }

  // ---- the client -------------------------------------------------------------------------

  function start(): Promise<void> {
    if (disposed) return Promise.reject(new Error('The chat client was disposed.'));
    if (!stopListeningToNetwork) stopListeningToNetwork = network.subscribe(onNetworkChange);
    if (!stopListeningToTransport && transport.subscribeToConfigurationErrors) {
      stopListeningToTransport = transport.subscribeToConfigurationErrors(onConfigurationError);
    }
    if (!started) {
      if (state.get().error) patch({ error: null });
      started = connect();
    }
    return started;
  }

  return {
    getState: () => state.get(),
    subscribe: (listener) => state.subscribe(listener),
    start,

    async send(text) {
      assertUsable();
      if (text.trim() === '') throw new Error('A message needs some text.');
      const id = createId();
      const message: ChatMessage = {
        type: 'message',
        id,
        role: 'customer',
        text,
        delivery: 'sending',
        eventId: null,
        offset: null,
        clientMessageId: id,
        participantName: null,
        createdAt: now().toISOString(),
        traceId: null,
        error: null,
        feedback: null,
        preamble: false,
        sources: [],
      };
      const current = state.get();
      state.set({ ...current, items: placeItem(current.items, message), suggestedReplies: [] });
      await deliver(id, text);
      return id;
    },

    async retry(messageId) {
      assertUsable();
      if (messageId === undefined) {
        await transport.retryTurn(requireSession());
        return;
      }
      const message = findMessage(state.get().items, messageId);
      if (message?.role !== 'customer' || message.delivery !== 'failed') return;
      const items = updateMessage(state.get().items, messageId, (failed) => ({
        ...failed,
        delivery: 'sending',
        error: null,
      }));
      patch({ items: [...items] });
      await deliver(messageId, message.text);
    },

    async cancel() {
      assertUsable();
      await transport.cancel(requireSession());
    },

    async sendFeedback(messageId, rating, comment) {
      assertUsable();
      const credentials = requireSession();
      const message = findMessage(state.get().items, messageId);
      if (!message?.eventId) throw new Error('Only a stored message can be rated.');
      const eventId = message.eventId;
      const previous = message.feedback;
      const rate = (feedback: ChatMessage['feedback']) =>
        patch({
          items: [
            ...updateMessage(state.get().items, messageId, (rated) => ({ ...rated, feedback })),
          ],
        });
      rate(rating);
      try {
        await transport.sendFeedback(credentials, {
          eventId,
          rating,
          ...(comment === undefined ? {} : { comment }),
        });
      } catch (error) {
        rate(previous);
        throw error;
      }
    },

    async loadAgentProfile() {
      assertUsable();
      return transport.getAgentProfile(requireSession());
    },

    async loadHistoryPage({ beforeOffset, limit = 50 }) {
      assertUsable();
      const credentials = requireSession();
      // Offsets are gapless from 0: the page before X is X−limit … X−1.
      const after = Math.max(-1, beforeOffset - 1 - limit);
      const count = beforeOffset - 1 - after;
      if (count <= 0) return { items: [], hasMore: false };
      const events = await transport.listEvents(credentials, { after, limit: count });
      return { items: itemsFromEvents(events), hasMore: after > -1 };
    },

    markRead() {
      if (state.get().unread !== 0) patch({ unread: 0 });
    },

    async reset() {
      assertUsable();
      stopConnection();
      clearTimer(renewTimer);
      renewTimer = null;
      started = null;
      attempt = 0;
      session = null;
      if (storage && storageKey) storage.remove(storageKey);
      lastOffset = -1;
      drafts.clear();
      endedTraces.clear();
      state.set(initialState());
    },

    dispose() {
      if (disposed) return;
      stopConnection();
      clearTimer(renewTimer);
      renewTimer = null;
      stopListeningToNetwork?.();
      stopListeningToNetwork = null;
      stopListeningToTransport?.();
      stopListeningToTransport = null;
      patch({ connection: 'closed' });
      disposed = true;
      state.clear();
    },
  };
}

/**
 * Whether the server no longer accepts the session: its token, or the session itself (a new
 * session may help); not its key, which no new session would mend.
 */
function isSessionLost(error: unknown): boolean {
  return (
    error instanceof TransportError &&
    configurationErrorOf(error) === null &&
    (error.status === 401 || (error.status === 404 && error.code === 'not_found'))
  );
}
