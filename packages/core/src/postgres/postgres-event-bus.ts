import pg from 'pg';
import { ParleyError } from '../errors/parley-error';
import { createListenNotifyEventBus } from '../event-bus/create-listen-notify-event-bus';
import type { EventBus } from '../ports/event-bus';
import { openPgConnection } from './open-pg-connection';

/** Options of {@link createPostgresEventBus}. Give exactly one of `pool` or `connectionString`. */
export interface PostgresEventBusOptions {
  /** A pool the bus publishes through. The bus never ends it; its owner does. */
  pool?: pg.Pool;
  /** Creates a pool owned by the bus and ended by {@link EventBus.close}. */
  connectionString?: string;
  /**
   * Where the listening connection goes when it must not go where the pool does: behind
   * PgBouncer in transaction mode, `LISTEN` needs the database's direct address. Default: the
   * pool's settings.
   */
  listenConnectionString?: string;
  /** The NOTIFY channel every process of the deployment shares. Default `parley_bus`. */
  channel?: string;
  /** Delays between reconnection attempts, doubling with jitter. Default 100 → 5000 ms. */
  reconnectDelayMs?: { initial: number; maximum: number };
  /** Receives lost connections, malformed notifications and listener failures. */
  onError?: (error: unknown) => void;
}

/**
 * The cross-process event bus on PostgreSQL `LISTEN/NOTIFY` over node-postgres: see
 * `createListenNotifyEventBus` for how it behaves. Notifications go through the pool; the one
 * listening connection is a client of its own, named `parley-bus:<channel>` in
 * `pg_stat_activity`.
 */
export function createPostgresEventBus(options: PostgresEventBusOptions): EventBus {
  if ((options.pool === undefined) === (options.connectionString === undefined)) {
    throw new ParleyError(
      'validation_failed',
      'createPostgresEventBus needs exactly one of `pool` or `connectionString`',
    );
  }
  const channel = options.channel ?? 'parley_bus';
  const onError = options.onError ?? ((error) => console.error('[parley] event bus:', error));
  const ownsPool = options.pool === undefined;
  const listenConnection: pg.ClientConfig = options.listenConnectionString
    ? { connectionString: options.listenConnectionString }
    : ownsPool
      ? { connectionString: options.connectionString }
      : (options.pool as pg.Pool).options;
  let ownedPool: pg.Pool | undefined;
  // Validates the channel and delays before any pool is opened.
  const bus = createListenNotifyEventBus({
    channel,
    reconnectDelayMs: options.reconnectDelayMs,
    onError,
    openConnection: openPgConnection({
      ...listenConnection,
      application_name: `parley-bus:${channel}`,
    }),
    notify: async (notifiedChannel, payload) => {
      const pool = (options.pool ?? ownedPool) as pg.Pool;
      await pool.query('select pg_notify($1, $2)', [notifiedChannel, payload]);
    },
    release: async () => {
      await ownedPool?.end();
    },
  });
  if (ownsPool) {
    ownedPool = new pg.Pool({ connectionString: options.connectionString });
    // An idle client of our own pool that dies emits 'error' on the pool; unhandled, it would
    // crash the process.
    ownedPool.on('error', (error) => {
      try {
        onError(error);
      } catch {
        // The error reporter failing must not stop the bus.
      }
    });
  }
  return bus;
}
