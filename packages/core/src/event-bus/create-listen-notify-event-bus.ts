import { ParleyError } from '../errors/parley-error';
import type { DirectConnection, OpenDirectConnection } from '../ports/direct-connection';
import type { BusListener, BusMessage, EventBus, Unsubscribe } from '../ports/event-bus';
import { createSessionListeners } from './session-listeners';

/**
 * Options of {@link createListenNotifyEventBus}: what a driver entry point supplies
 * (`createPostgresEventBus` for node-postgres, `createPostgresJsEventBus` for postgres-js).
 */
export interface ListenNotifyEventBusOptions {
  /** Opens the listening connection: a direct one, never through a transaction-mode pooler. */
  openConnection: OpenDirectConnection;
  /** Sends one notification (`select pg_notify($1, $2)`), through the pool. */
  notify(channel: string, payload: string): Promise<void>;
  /** The NOTIFY channel every process of the deployment shares. Default `parley_bus`. */
  channel?: string;
  /** Delays between reconnection attempts, doubling with jitter. Default 100 → 5000 ms. */
  reconnectDelayMs?: { initial: number; maximum: number };
  /** Receives lost connections, malformed notifications and listener failures. */
  onError?: (error: unknown) => void;
  /** Releases what the driver entry point opened for the bus (its own pool), on close. */
  release?: () => Promise<void>;
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more (with the default block size). */
const maximumPayloadBytes = 7999;
const channelPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** Fields each message type must carry, checked on receipt since other processes send them. */
const fieldTypesByMessageType: Record<BusMessage['type'], Record<string, 'string' | 'number'>> = {
  'events-appended': { workspaceId: 'string', sessionId: 'string', lastOffset: 'number' },
  'message-delta': {
    workspaceId: 'string',
    sessionId: 'string',
    traceId: 'string',
    messageId: 'string',
    seq: 'number',
    text: 'string',
  },
  'turn-cancel': { workspaceId: 'string', sessionId: 'string' },
};

/**
 * The cross-process {@link EventBus} on PostgreSQL `LISTEN/NOTIFY`, whatever the driver:
 * several stateless instances behind a load balancer serve one conversation without Redis.
 *
 * Each bus holds one listening connection, whatever the number of subscribed sessions, opened
 * on the first `subscribe` (the driver entry points name it `parley-bus:<channel>` in
 * `pg_stat_activity`). Messages are
 * published with `pg_notify` through the pool and come back through that connection, the
 * publishing process included, so every process sees one channel's messages in one order.
 * When the connection drops, the bus reconnects (at once, then with backoff), reports
 * `reconnecting` through `connection()` meanwhile, and sends `bus-resync` to every subscriber
 * once back, since notifications sent during the gap are lost.
 */
export function createListenNotifyEventBus(options: ListenNotifyEventBusOptions): EventBus {
  const channel = options.channel ?? 'parley_bus';
  const reconnectDelayMs = options.reconnectDelayMs ?? { initial: 100, maximum: 5000 };
  validateOptions(channel, reconnectDelayMs);
  const onError = options.onError ?? ((error) => console.error('[parley] event bus:', error));

  const listeners = createSessionListeners(report);
  /** The connection whose LISTEN is active, if any. */
  let listeningClient: DirectConnection | undefined;
  /** Settles when listening is active: the first connection or a reconnection in progress. */
  let listening: Promise<void> | undefined;
  let cancelReconnectDelay: (() => void) | undefined;
  let closing: Promise<void> | undefined;
  /** True from a lost connection until LISTEN is active again. */
  let reconnecting = false;

  function report(error: unknown): void {
    try {
      onError(error);
    } catch {
      // The error reporter failing must not stop the bus.
    }
  }

  function receive(notifiedChannel: string, payload: string): void {
    if (notifiedChannel !== channel) return;
    const message = parseBusMessage(payload);
    if (message) {
      listeners.deliver(message.sessionId, message);
      return;
    }
    // Another process (or a person with psql) may NOTIFY anything on the channel.
    report(
      new ParleyError('validation_failed', 'Ignored a notification that is not a BusMessage', {
        details: { payload: payload.slice(0, 200) },
      }),
    );
  }

  async function openListeningClient(): Promise<DirectConnection> {
    let client: DirectConnection | undefined;
    let lostEarly: { error: unknown } | undefined;
    client = await options.openConnection({
      onNotification: receive,
      onLost: (error) => {
        if (client === undefined) lostEarly = { error };
        else handleConnectionLost(client, error);
      },
    });
    try {
      if (lostEarly) throw lostEarly.error ?? new Error('The listening connection dropped');
      // The channel matched channelPattern, so quoting it is enough to make it an identifier.
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (closing) {
      await client.end().catch(() => {});
      throw notReadyError();
    }
    listeningClient = client;
    return client;
  }

  function ensureListening(): Promise<void> {
    listening ??= openListeningClient().then(
      () => {},
      (error: unknown) => {
        // Forget the failure so that the next subscribe tries again.
        listening = undefined;
        if (ParleyError.isInstance(error)) throw error;
        throw new ParleyError('database_failed', 'The event bus could not LISTEN', {
          retryable: true,
          cause: error,
        });
      },
    );
    return listening;
  }

  function handleConnectionLost(client: DirectConnection, error: unknown): void {
    // Only the current connection's loss counts; ending one ourselves (on close, or a failed
    // attempt) is no loss.
    if (client !== listeningClient) return;
    listeningClient = undefined;
    if (error !== undefined) report(error);
    void client.end().catch(() => {});
    if (closing) return;
    if (listeners.isEmpty()) {
      // Nobody to resync: the next subscribe opens a connection again.
      listening = undefined;
      return;
    }
    listening = reconnect();
    // A subscribe waiting on it handles its rejection; with none waiting it must not go unhandled.
    listening.catch(() => {});
  }

  async function reconnect(): Promise<void> {
    reconnecting = true;
    let delay = reconnectDelayMs.initial;
    // The first attempt goes at once: most drops are one connection lost (a killed backend, a
    // proxy's idle timeout) with the server still there, and every moment away loses messages.
    // Only then does it back off, for a server that is really down.
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay / 2 + (Math.random() * delay) / 2);
          cancelReconnectDelay = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        cancelReconnectDelay = undefined;
        delay = Math.min(delay * 2, reconnectDelayMs.maximum);
      }
      if (closing) throw notReadyError();
      try {
        await openListeningClient();
        break;
      } catch (error) {
        if (closing) throw notReadyError();
        report(error);
      }
    }
    reconnecting = false;
    // Notifications sent while we were away are gone: every subscriber must read the store.
    listeners.resyncAll();
  }

  return {
    async publish(message: BusMessage) {
      if (closing) throw notReadyError();
      const payload = JSON.stringify(message);
      const payloadBytes = Buffer.byteLength(payload, 'utf8');
      if (payloadBytes > maximumPayloadBytes) {
        throw new ParleyError(
          'payload_too_large',
          `An event bus message must fit in ${maximumPayloadBytes} bytes of JSON; this one takes ${payloadBytes}`,
          { details: { maximumBytes: maximumPayloadBytes, payloadBytes } },
        );
      }
      try {
        await options.notify(channel, payload);
      } catch (error) {
        throw new ParleyError('database_failed', 'The event bus could not NOTIFY', {
          retryable: true,
          cause: error,
        });
      }
    },

    async subscribe(sessionId: string, listener: BusListener): Promise<Unsubscribe> {
      if (closing) throw notReadyError();
      await ensureListening();
      if (closing) throw notReadyError();
      // The connection stays open when the last listener leaves: LISTEN costs nothing idle,
      // and reopening it for every new conversation would churn connections.
      return listeners.add(sessionId, listener);
    },

    async subscribeAll(listener: BusListener): Promise<Unsubscribe> {
      if (closing) throw notReadyError();
      await ensureListening();
      if (closing) throw notReadyError();
      return listeners.addForAll(listener);
    },

    connection() {
      if (closing) return 'closed';
      if (reconnecting) return 'reconnecting';
      return listeningClient ? 'listening' : 'idle';
    },

    close() {
      closing ??= (async () => {
        listeners.clear();
        cancelReconnectDelay?.();
        // A connection attempt in flight ends its own client once it sees `closing`.
        await listening?.catch(() => {});
        const client = listeningClient;
        listeningClient = undefined;
        await client?.end().catch(() => {});
        await options.release?.();
      })();
      return closing;
    },
  };
}

function validateOptions(
  channel: string,
  { initial, maximum }: { initial: number; maximum: number },
): void {
  const fail = (message: string) => {
    throw new ParleyError('validation_failed', message);
  };
  // The channel is spliced into LISTEN; the pattern keeps that safe.
  if (!channelPattern.test(channel)) {
    fail(`The event bus channel must match ${channelPattern}; got ${JSON.stringify(channel)}`);
  }
  if (!(initial > 0 && initial <= maximum && Number.isFinite(maximum))) {
    fail('`reconnectDelayMs` needs finite delays with 0 < initial <= maximum');
  }
}

/** Reads a notification sent by another process; `undefined` when it is not a BusMessage. */
function parseBusMessage(payload: string | undefined): BusMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload ?? '');
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  // `hasOwn`, so that a type such as "constructor" does not find Object.prototype's fields.
  if (typeof record.type !== 'string' || !Object.hasOwn(fieldTypesByMessageType, record.type)) {
    return undefined;
  }
  const fieldTypes = fieldTypesByMessageType[record.type as BusMessage['type']];
  for (const [field, type] of Object.entries(fieldTypes)) {
    if (typeof record[field] !== type) return undefined;
  }
  return value as BusMessage;
}

function notReadyError(): ParleyError {
  return new ParleyError('not_ready', 'The event bus is closed');
}
