import { PGlite } from '@electric-sql/pglite';
import { drizzle, type PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate } from '../schema/migrate';
import {
  createDrizzleStore,
  type DrizzleStore,
  type DrizzleStoreOptions,
} from '../store/create-drizzle-store';

/** Options of {@link createPgliteStore}. */
export interface PgliteStoreOptions extends DrizzleStoreOptions {
  /**
   * Where PGlite keeps its files: a directory (created if missing), so data survives a
   * restart; omitted for an in-memory database.
   */
  dataDir?: string;
  /** An already open PGlite instance to use instead; the store will not close it. */
  client?: PGlite;
  /** Apply Parley's migrations before returning; default true. */
  migrate?: boolean;
}

/** A store on PGlite, with the underlying client and drizzle database for advanced use. */
export interface PgliteStore extends DrizzleStore {
  readonly client: PGlite;
  readonly database: PgliteDatabase;
}

/**
 * The embedded default store: PostgreSQL compiled to WebAssembly, in this process, with no
 * server to run. One process owns a PGlite directory at a time.
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<PgliteStore> {
  const ownsClient = options.client === undefined;
  const client = options.client ?? (options.dataDir ? new PGlite(options.dataDir) : new PGlite());
  try {
    await client.waitReady;
    const database = drizzle({ client });
    if (options.migrate ?? true) await migrate(database, { schema: options.schema });
    const store = createDrizzleStore({
      database,
      schema: options.schema,
      clock: options.clock,
      databaseRoutines: options.databaseRoutines,
      namedStatements: options.namedStatements,
      batchAppends: true,
      release: ownsClient ? () => client.close() : undefined,
    });
    return Object.assign(store, { client, database });
  } catch (error) {
    if (ownsClient) await client.close().catch(() => undefined);
    throw error;
  }
}
