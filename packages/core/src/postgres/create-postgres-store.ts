import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import { ParleyError } from '../errors/parley-error';
import type { AnyPgDatabase } from '../schema/any-pg-database';
import { createAdvisoryTurnLocks } from '../store/create-advisory-turn-locks';
import type { DrizzleStore, DrizzleStoreOptions } from '../store/create-drizzle-store';
import { startServerStore } from '../store/start-server-store';
import { openPgConnection } from './open-pg-connection';

/** Options of {@link createPostgresStore}: exactly one of `connectionString`, `pool`, `database`. */
export interface PostgresStoreOptions extends DrizzleStoreOptions {
  /** A `postgres://` URL; the store opens a pool on it and closes it in `close()`. */
  connectionString?: string;
  /** Size of the pool opened for `connectionString`; default 10. */
  maxConnections?: number;
  /** A pool the host already has; the store never ends it. */
  pool?: pg.Pool;
  /**
   * A drizzle database or transaction the host already has (e.g. Sim's `db`): Parley's
   * writes then join the host's transaction when one is passed. Turn locks use the pool
   * behind the database; given a transaction or a lone client, they hold in this process only.
   */
  database?: AnyPgDatabase;
  /**
   * Where the turn locks' own connection goes, when not where the queries go: behind PgBouncer
   * in transaction mode, session-level advisory locks need the database's direct address.
   * Default: the settings of the pool.
   */
  directConnectionString?: string;
  /** Apply Parley's migrations before returning; default true. */
  migrate?: boolean;
}

/** A store on PostgreSQL, with the pool it uses when it has one. */
export interface PostgresStore extends DrizzleStore {
  readonly pool: pg.Pool | null;
  readonly database: AnyPgDatabase;
}

/** The production store on node-postgres. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const given = [options.connectionString, options.pool, options.database].filter(
    (value) => value !== undefined,
  );
  if (given.length !== 1) {
    throw new ParleyError(
      'validation_failed',
      'createPostgresStore needs exactly one of connectionString, pool or database',
    );
  }
  const ownedPool = options.connectionString
    ? new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 })
    : null;
  // An idle connection that drops (a database restart) is an `error` event on the pool, which
  // would end the process unheard. The pool discards that connection and opens a new one for
  // the next query; queries in flight fail on their own. A host's pool is the host's to watch.
  ownedPool?.on('error', () => undefined);
  const pool = ownedPool ?? options.pool ?? null;
  const database: AnyPgDatabase = options.database ?? drizzle({ client: pool as pg.Pool });
  // Turn locks hold one connection of their own, opened with the settings of the pool the
  // store was given or opened, or of the pool behind a host's drizzle database (drizzle
  // exposes it as `$client`).
  const lockConnection: pg.ClientConfig | undefined = options.directConnectionString
    ? { connectionString: options.directConnectionString }
    : (pool ?? poolBehind(options.database))?.options;
  const turnLocks = lockConnection
    ? createAdvisoryTurnLocks({
        openConnection: openPgConnection({
          ...lockConnection,
          application_name: 'parley-turn-locks',
        }),
      })
    : null;
  const store = await startServerStore(options, {
    database,
    hostDatabase: options.database !== undefined,
    turnLocks,
    endOwnConnections: async () => {
      await ownedPool?.end();
    },
  });
  return Object.assign(store, { pool, database });
}

/** The pool behind a host's drizzle database, when it has one (not a transaction or a client). */
function poolBehind(database: AnyPgDatabase | undefined): pg.Pool | null {
  const client = (database as { $client?: unknown } | undefined)?.$client;
  return client instanceof pg.Pool ? client : null;
}
