import postgres from 'postgres';
import { ParleyError } from '../errors/parley-error';
import { createListenNotifyEventBus } from '../event-bus/create-listen-notify-event-bus';
import type { EventBus } from '../ports/event-bus';
import { openPostgresJsConnection } from './open-postgres-js-connection';

/** Options of {@link createPostgresJsEventBus}. Give exactly one of `sql` or `connectionString`. */
export interface PostgresJsEventBusOptions {
  /** The host's postgres-js client: notifications go through it. The bus never ends it. */
  sql?: postgres.Sql;
  /** Opens a postgres-js client owned by the bus and ended by {@link EventBus.close}. */
  connectionString?: string;
  /**
   * Where the listening connection goes when it must not go where `sql` does: behind
   * PgBouncer in transaction mode, `LISTEN` needs the database's direct address. Default: the
   * same database as `sql` or `connectionString`.
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
 * The cross-process event bus on PostgreSQL `LISTEN/NOTIFY` over postgres-js, for a host
 * whose database client is `postgres` (it never loads `pg`). It behaves as the node-postgres
 * bus does: one listening connection of its own (`parley-bus:<channel>`), reconnection with
 * `bus-resync`, notifications through the host's client.
 */
export function createPostgresJsEventBus(options: PostgresJsEventBusOptions): EventBus {
  if ((options.sql === undefined) === (options.connectionString === undefined)) {
    throw new ParleyError(
      'validation_failed',
      'createPostgresJsEventBus needs exactly one of `sql` or `connectionString`',
    );
  }
  const channel = options.channel ?? 'parley_bus';
  let ownedClient: postgres.Sql | undefined;
  const bus = createListenNotifyEventBus({
    channel,
    reconnectDelayMs: options.reconnectDelayMs,
    onError: options.onError,
    openConnection: openPostgresJsConnection(
      options.listenConnectionString ??
        (options.connectionString as string | undefined) ??
        (options.sql as postgres.Sql),
      `parley-bus:${channel}`,
    ),
    notify: async (notifiedChannel, payload) => {
      const client = (options.sql ?? ownedClient) as postgres.Sql;
      await client`select pg_notify(${notifiedChannel}, ${payload})`;
    },
    release: async () => {
      await ownedClient?.end({ timeout: 5 });
    },
  });
  if (options.connectionString) {
    ownedClient = postgres(options.connectionString, { onnotice: () => undefined });
  }
  return bus;
}
