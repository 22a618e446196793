import type { BusListener, EventBus } from '@parley/core';

/** A reply being written: the text so far, as its deltas told it. */
export interface ReplyDraft {
  traceId: string;
  messageId: string;
  /** The `seq` of the last delta included. */
  seq: number;
  text: string;
}

/**
 * The replies in progress of every session, kept from the bus's deltas, so a client that
 * connects (or reconnects, to any instance) mid-reply gets the text so far as a `snapshot`
 * and then only the deltas after it. A draft goes when its message is stored, or after a
 * quiet minute (a turn that died).
 */
export interface ReplyDrafts {
  get(sessionId: string): ReplyDraft | undefined;
  /** Forgets the session's draft once its message (by id) is stored. */
  settle(sessionId: string, messageId: string): void;
  close(): Promise<void>;
}

const staleAfterMs = 60_000;

/** Starts keeping drafts from the bus; resolves once it listens. */
export async function createReplyDrafts(
  bus: EventBus,
  now: () => number = Date.now,
): Promise<ReplyDrafts> {
  const drafts = new Map<string, ReplyDraft & { touchedAt: number; broken: boolean }>();
  const listener: BusListener = (message) => {
    if (message.type === 'bus-resync') {
      // Deltas may have been missed: no draft can be trusted whole any more.
      for (const draft of drafts.values()) draft.broken = true;
      return;
    }
    if (message.type !== 'message-delta') return;
    const current = drafts.get(message.sessionId);
    if (!current || current.messageId !== message.messageId) {
      drafts.set(message.sessionId, {
        traceId: message.traceId,
        messageId: message.messageId,
        seq: message.seq,
        text: message.text,
        touchedAt: now(),
        // A draft first seen past its first delta lacks its beginning.
        broken: message.seq !== 0,
      });
      return;
    }
    if (message.seq !== current.seq + 1) {
      current.broken ||= message.seq > current.seq + 1;
      return;
    }
    current.seq = message.seq;
    current.text += message.text;
    current.touchedAt = now();
  };
  const unsubscribe = await bus.subscribeAll(listener);
  const sweep = setInterval(() => {
    for (const [sessionId, draft] of drafts)
      if (now() - draft.touchedAt > staleAfterMs) drafts.delete(sessionId);
  }, staleAfterMs);
  sweep.unref?.();
  return {
    get(sessionId) {
      const draft = drafts.get(sessionId);
      if (!draft || draft.broken) return undefined;
      return {
        traceId: draft.traceId,
        messageId: draft.messageId,
        seq: draft.seq,
        text: draft.text,
      };
    },
    settle(sessionId, messageId) {
      if (drafts.get(sessionId)?.messageId === messageId) drafts.delete(sessionId);
    },
    async close() {
      clearInterval(sweep);
      await unsubscribe();
    },
  };
}
