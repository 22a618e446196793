/**
 * Signals that travel between the processes serving one conversation. They are hints, not
 * data: a subscriber that misses one reads the store to catch up, so delivery may be lossy
 * across reconnections (see `bus-resync`).
 */
export type BusMessage =
  | {
      /** A session's log grew; `lastOffset` is its newest event. */
      type: 'events-appended';
      workspaceId: string;
      sessionId: string;
      lastOffset: number;
    }
  | {
      /** A piece of a reply being written; never persisted. */
      type: 'message-delta';
      workspaceId: string;
      sessionId: string;
      traceId: string;
      messageId: string;
      seq: number;
      text: string;
    }
  | {
      /** Stop the turn in flight for this session, wherever it runs. */
      type: 'turn-cancel';
      workspaceId: string;
      sessionId: string;
      traceId?: string;
      /**
       * Only turns started for messages before this offset stop: a newer customer message
       * cancels the turns it supersedes, never its own. Absent: every turn of the session stops.
       */
      beforeOffset?: number;
    };

/**
 * Delivered by the bus itself to every subscriber after its connection was lost and
 * restored: messages may have been missed, so read the store again.
 */
export interface BusResync {
  type: 'bus-resync';
  /** The session subscribed to, or `*` for a listener of every session. */
  sessionId: string;
}

/** Receives the messages of one session. Must not throw; errors are logged and dropped. */
export type BusListener = (message: BusMessage | BusResync) => void;

/** Stops a subscription. Calling it twice is harmless. */
export type Unsubscribe = () => Promise<void>;

/**
 * Whether a bus hears what other processes publish, as {@link EventBus.connection} reports it:
 * `idle` before anything subscribed (nothing to hear yet), `listening`, `reconnecting` after
 * its connection dropped (messages published meanwhile are lost; subscribers get `bus-resync`
 * once it is back), `closed`.
 */
export type EventBusConnection = 'idle' | 'listening' | 'reconnecting' | 'closed';

/**
 * Publish/subscribe of per-session signals. In one process: {@link createInMemoryEventBus}.
 * Across processes: the PostgreSQL `LISTEN/NOTIFY` bus of `@parley/core/postgres`, so several
 * stateless instances behind a load balancer serve one conversation without Redis.
 */
export interface EventBus {
  /** Sends a message to every subscriber of its session, in this process and others. */
  publish(message: BusMessage): Promise<void>;
  /**
   * Listens to one session's messages. Resolves once the subscription is active, so a
   * message published after it resolves is delivered.
   */
  subscribe(sessionId: string, listener: BusListener): Promise<Unsubscribe>;
  /**
   * Listens to the messages of every session, e.g. to keep the text of every reply in
   * progress so a client reconnecting to this process gets it whole. Resolves once active.
   */
  subscribeAll(listener: BusListener): Promise<Unsubscribe>;
  /** Stops every subscription and releases connections. */
  close(): Promise<void>;
  /**
   * The state of the bus's own connection, for readiness checks: an instance whose bus is
   * `reconnecting` streams replies late and without their deltas, so it should take no
   * traffic. Optional for buses of your own; absent means always `listening`.
   */
  connection?(): EventBusConnection;
}
