import type { AnyPgDatabase } from '../schema/any-pg-database';
import { migrate } from '../schema/migrate';
import type { AdvisoryTurnLocks } from './create-advisory-turn-locks';
import {
  createDrizzleStore,
  type DrizzleStore,
  type DrizzleStoreOptions,
} from './create-drizzle-store';

/** What a PostgreSQL driver entry point found or opened, to start its store from. */
export interface ServerStoreParts {
  /** The drizzle database the store writes through. */
  database: AnyPgDatabase;
  /**
   * Whether `database` is the host's own (maybe a transaction): then appends are not combined
   * (one caller's failure could abort another's work) and reads do not overlap.
   */
  hostDatabase: boolean;
  /** The cross-process turn locks, when the entry point could open them. */
  turnLocks: AdvisoryTurnLocks | null;
  /** Ends what the entry point opened itself (its pool or client); nothing of the host's. */
  endOwnConnections(): Promise<void>;
}

/**
 * Migrates (unless `migrate: false`) and starts the store of a PostgreSQL driver entry point
 * (`createPostgresStore`, `createPostgresJsStore`), which differ only in how they reach the
 * database. A failed migration closes what the entry point opened before it throws.
 */
export async function startServerStore(
  options: DrizzleStoreOptions & { migrate?: boolean },
  parts: ServerStoreParts,
): Promise<DrizzleStore> {
  const { database, turnLocks } = parts;
  try {
    if (options.migrate ?? true) await migrate(database, { schema: options.schema });
  } catch (error) {
    await turnLocks?.close();
    await parts.endOwnConnections().catch(() => undefined);
    throw error;
  }
  return createDrizzleStore({
    database,
    schema: options.schema,
    clock: options.clock,
    databaseRoutines: options.databaseRoutines,
    namedStatements: options.namedStatements,
    batchAppends: !parts.hostDatabase,
    concurrentReads: !parts.hostDatabase,
    turnLocks: turnLocks?.locks,
    release: async () => {
      await turnLocks?.close();
      await parts.endOwnConnections();
    },
  });
}
