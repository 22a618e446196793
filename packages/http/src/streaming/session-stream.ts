import type { BusMessage, BusResync, EventBus, ParleyEvent, WorkspaceStore } from '@parley/core';
import { toWireEvent, type WireEvent } from '@parley/core/protocol';
import type { ReplyDrafts } from './reply-drafts';

/** What a session stream needs. */
export interface SessionStreamOptions {
  workspace: Pick<WorkspaceStore, 'events' | 'workspaceId'>;
  sessionId: string;
  /** Replay every event with an offset above this (the `Last-Event-ID`); −1 for all. */
  after: number;
  bus: EventBus;
  drafts: ReplyDrafts;
  keepAliveMs: number;
  /** The client went away. */
  signal: AbortSignal;
  /** The server is shutting down: end with a retry hint. */
  shutdown: AbortSignal;
  onClose?: () => void;
  /** How events are shown to this client (customers see less); default: whole. */
  view?: (event: ParleyEvent) => WireEvent;
  /**
   * Ends a turn nobody runs any more (its instance died, or the database lost its end), or a
   * customer message no turn started for; see the engine's `settleAbandonedTurn`. Called when
   * a turn is open, or a customer message has had no status since, and the stream has heard
   * nothing for `abandonedTurnCheckMs`. Resolves with what it appended, `null` for nothing.
   */
  settleAbandonedTurn?: () => Promise<unknown>;
  /** Silence after which an open turn or an unanswered message is checked; default 10 s. */
  abandonedTurnCheckMs?: number;
}

/** Statuses that end a turn. */
const finalStatuses = new Set(['ready', 'error', 'cancelled']);

const encoder = new TextEncoder();
const pageSize = 200;

/** One SSE frame: `event:` name, optional `id:`, data as JSON. */
function frame(event: string, data: unknown, id?: number): Uint8Array {
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  return encoder.encode(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * The event stream of one session (`text/event-stream`), as the frame contract says:
 * persisted events with `id:` = offset, replayed from `after` so a dropped connection loses
 * nothing; `delta` frames (no id) for the reply being written, preceded by a `snapshot` of its
 * text so far when the client arrives mid-reply; a keep-alive comment every `keepAliveMs`.
 * The bus only wakes the stream: events are always read from the store, in offset order, so
 * nothing is sent twice or out of order. Subscribes before the first read, so nothing
 * appended in between is missed.
 */
export async function openSessionStream(
  options: SessionStreamOptions,
): Promise<ReadableStream<Uint8Array>> {
  const { workspace, sessionId, bus, drafts } = options;
  let lastOffset = options.after;
  let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  let closed = false;
  let reading = false;
  let readAgain = false;
  /** The reply whose deltas this client follows, and the last seq it got. */
  let following: { messageId: string; seq: number } | null = null;
  const pendingDeltas: BusMessage[] = [];
  /** Replies already sent whole: a late delta of one must not repeat its text. */
  const sentReplies = new Set<string>();
  let caughtUp = false;
  /** Whether the last status sent leaves a turn open, and when the stream last heard of it. */
  let turnOpen = false;
  /** Whether a customer message was sent with no status after it yet. */
  let awaitingTurn = false;
  let lastHeardAt = Date.now();
  let settling = false;
  /**
   * Checks of an unanswered message that found nothing to settle (a manual session, where a
   * person answers): each doubles the wait before the next, so such a session costs little.
   */
  let idleChecks = 0;

  const send = (chunk: Uint8Array) => {
    if (!closed) controller?.enqueue(chunk);
  };

  const sendDelta = (message: Extract<BusMessage, { type: 'message-delta' }>) => {
    if (sentReplies.has(message.messageId)) return;
    if (following && following.messageId === message.messageId) {
      if (message.seq <= following.seq) return;
      following.seq = message.seq;
    } else {
      following = { messageId: message.messageId, seq: message.seq };
    }
    send(
      frame('delta', {
        traceId: message.traceId,
        messageId: message.messageId,
        seq: message.seq,
        text: message.text,
      }),
    );
  };

  /** Reads and sends every stored event after the last one sent; one read at a time. */
  const catchUp = async () => {
    if (reading) {
      readAgain = true;
      return;
    }
    reading = true;
    try {
      do {
        readAgain = false;
        let page: ParleyEvent[];
        do {
          page = await workspace.events.list(sessionId, { after: lastOffset, limit: pageSize });
          for (const event of page) {
            send(frame('event', (options.view ?? toWireEvent)(event), event.offset));
            lastOffset = event.offset;
            lastHeardAt = Date.now();
            idleChecks = 0;
            if (event.kind === 'status') {
              turnOpen = !finalStatuses.has(event.data.status);
              awaitingTurn = false;
            }
            if (event.kind === 'message' && event.source === 'customer') awaitingTurn = true;
            if (event.kind === 'message' && event.source === 'ai_agent') {
              sentReplies.add(event.id);
              drafts.settle(sessionId, event.id);
              if (following?.messageId === event.id) following = null;
            }
          }
        } while (page.length === pageSize && !closed);
      } while (readAgain && !closed);
    } catch (error) {
      if (!closed) controller?.error(error);
      close();
    } finally {
      reading = false;
    }
  };

  const onMessage = (message: BusMessage | BusResync) => {
    if (closed) return;
    if (message.type === 'events-appended' || message.type === 'bus-resync') {
      void catchUp();
    } else if (message.type === 'message-delta') {
      lastHeardAt = Date.now();
      if (caughtUp) sendDelta(message);
      else pendingDeltas.push(message);
    }
  };

  const unsubscribe = await bus.subscribe(sessionId, onMessage);
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let watchdog: ReturnType<typeof setInterval> | undefined;
  const checkMs = options.abandonedTurnCheckMs ?? 10_000;

  /**
   * A turn silent for `checkMs` may have lost its runner, and a customer message with no
   * status for as long may have had no turn at all (its instance died before starting one, or
   * could not start it): let the engine find out.
   */
  const checkSilentTurn = () => {
    const settle = options.settleAbandonedTurn;
    if (!settle || !(turnOpen || awaitingTurn) || settling || closed) return;
    const waitMs = turnOpen ? checkMs : checkMs * 2 ** Math.min(idleChecks, 5);
    if (Date.now() - lastHeardAt < waitMs) return;
    settling = true;
    const checkingOpenTurn = turnOpen;
    settle()
      .then((settled) => {
        if (settled === null && !checkingOpenTurn) idleChecks += 1;
        return catchUp();
      })
      // The database may still be away: the next check tries again.
      .catch(() => undefined)
      .finally(() => {
        settling = false;
        lastHeardAt = Date.now();
      });
  };

  function close() {
    if (closed) return;
    closed = true;
    clearInterval(keepAlive);
    clearInterval(watchdog);
    options.signal.removeEventListener('abort', close);
    options.shutdown.removeEventListener('abort', closeForShutdown);
    void unsubscribe();
    try {
      controller?.close();
    } catch {
      // Already closed or errored.
    }
    options.onClose?.();
  }
  function closeForShutdown() {
    // Tell the client to come back (to another instance) in a second.
    send(encoder.encode('retry: 1000\n: server shutting down\n\n'));
    close();
  }

  return new ReadableStream<Uint8Array>({
    async start(streamController) {
      controller = streamController;
      options.signal.addEventListener('abort', close, { once: true });
      options.shutdown.addEventListener('abort', closeForShutdown, { once: true });
      if (options.signal.aborted) return close();
      send(encoder.encode(': connected\n\n'));
      await catchUp();
      // Mid-reply: the text so far, then only the deltas after it. A draft whose turn has
      // already ended (cancelled, failed) is no reply in progress: its message never comes.
      let draft = drafts.get(sessionId);
      if (draft) {
        const [status] = await workspace.events.listLatest(sessionId, {
          kinds: ['status'],
          limit: 1,
        });
        if (
          status?.kind === 'status' &&
          status.traceId === draft.traceId &&
          ['ready', 'error', 'cancelled'].includes(status.data.status)
        ) {
          drafts.settle(sessionId, draft.messageId);
          draft = undefined;
        }
      }
      if (draft) {
        following = { messageId: draft.messageId, seq: draft.seq };
        send(frame('snapshot', draft));
      }
      caughtUp = true;
      for (const message of pendingDeltas.splice(0)) {
        if (message.type === 'message-delta') sendDelta(message);
      }
      keepAlive = setInterval(() => send(encoder.encode(': keep-alive\n\n')), options.keepAliveMs);
      if (options.settleAbandonedTurn) {
        watchdog = setInterval(checkSilentTurn, Math.max(100, Math.min(checkMs / 2, 5_000)));
      }
    },
    cancel() {
      close();
    },
  });
}
