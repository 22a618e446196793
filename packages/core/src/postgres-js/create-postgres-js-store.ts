import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { ParleyError } from '../errors/parley-error';
import type { AnyPgDatabase } from '../schema/any-pg-database';
import { createAdvisoryTurnLocks } from '../store/create-advisory-turn-locks';
import type { DrizzleStore, DrizzleStoreOptions } from '../store/create-drizzle-store';
import { startServerStore } from '../store/start-server-store';
import { openPostgresJsConnection } from './open-postgres-js-connection';

/**
 * Options of {@link createPostgresJsStore}: exactly one of `connectionString`, `sql`,
 * `database`.
 */
export interface PostgresJsStoreOptions extends DrizzleStoreOptions {
  /** A `postgres://` URL; the store opens a postgres-js client on it and ends it in `close()`. */
  connectionString?: string;
  /** Size of the pool opened for `connectionString`; default 10. */
  maxConnections?: number;
  /** A postgres-js client the host already has; the store never ends it. */
  sql?: postgres.Sql;
  /**
   * A drizzle database the host already has (Sim's `db`, `drizzle(postgres(url))`), or a
   * transaction of it. Turn locks reach the database behind it; given a transaction, they
   * hold in this process only unless `directConnectionString` is set.
   */
  database?: AnyPgDatabase;
  /**
   * Where the turn locks' own connection goes, when not where the queries go: behind PgBouncer
   * in transaction mode, session-level advisory locks need the database's direct address.
   * Default: the database of `connectionString`, `sql` or the client behind `database`.
   */
  directConnectionString?: string;
  /** Apply Parley's migrations before returning; default true. */
  migrate?: boolean;
}

/** A store on PostgreSQL through postgres-js, with the client it uses when it has one. */
export interface PostgresJsStore extends DrizzleStore {
  readonly sql: postgres.Sql | null;
  readonly database: AnyPgDatabase;
}

/**
 * The production store on postgres-js (`postgres`), the driver Sim and many Next.js hosts
 * use: the same store as `createPostgresStore`, and it never loads `pg`. Behind PgBouncer in
 * transaction mode, open the host's client with `prepare: false` (the store then names no
 * statement either, unless `namedStatements` says otherwise) and give `directConnectionString`
 * for the turn locks.
 */
export async function createPostgresJsStore(
  options: PostgresJsStoreOptions,
): Promise<PostgresJsStore> {
  const given = [options.connectionString, options.sql, options.database].filter(
    (value) => value !== undefined,
  );
  if (given.length !== 1) {
    throw new ParleyError(
      'validation_failed',
      'createPostgresJsStore needs exactly one of connectionString, sql or database',
    );
  }
  const ownedClient = options.connectionString
    ? postgres(options.connectionString, {
        max: options.maxConnections ?? 10,
        onnotice: () => undefined,
      })
    : null;
  const client = ownedClient ?? options.sql ?? clientBehind(options.database);
  const database: AnyPgDatabase = options.database ?? drizzle({ client: client as postgres.Sql });
  const lockTarget = options.directConnectionString ?? client;
  const turnLocks = lockTarget
    ? createAdvisoryTurnLocks({
        openConnection: openPostgresJsConnection(lockTarget, 'parley-turn-locks'),
      })
    : null;
  const store = await startServerStore(
    {
      ...options,
      // drizzle prepares a named statement even on a client opened with `prepare: false` (what
      // a host behind PgBouncer sets), so the client's choice is the default here.
      namedStatements: options.namedStatements ?? client?.options.prepare !== false,
    },
    {
      database,
      hostDatabase: options.database !== undefined,
      turnLocks,
      endOwnConnections: async () => {
        await ownedClient?.end({ timeout: 5 });
      },
    },
  );
  return Object.assign(store, { sql: client ?? null, database });
}

/** The postgres-js client behind a host's drizzle database (drizzle exposes it as `$client`). */
function clientBehind(database: AnyPgDatabase | undefined): postgres.Sql | null {
  const client = (database as { $client?: unknown } | undefined)?.$client;
  const looksLikePostgresJs =
    typeof client === 'function' &&
    typeof (client as { unsafe?: unknown }).unsafe === 'function' &&
    typeof (client as { options?: unknown }).options === 'object';
  return looksLikePostgresJs ? (client as postgres.Sql) : null;
}
