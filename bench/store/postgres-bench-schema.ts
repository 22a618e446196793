import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL server the bench ran on, as it describes itself. */
export interface PostgresServerFacts {
  /** `server_version`, e.g. `15.20 (Debian 15.20-0+deb12u1)`. */
  serverVersion: string;
  /** Settings that decide what an append costs (durability and memory). */
  settings: Record<string, string>;
}

/** A throwaway schema for one bench run; see {@link openPostgresBenchSchema}. */
export interface PostgresBenchSchema extends PostgresServerFacts {
  schemaName: string;
  /** A pool whose connections put the bench schema first on their `search_path`. */
  createPool(max: number): pg.Pool;
  /** Ends the pools made here and drops the schema with everything in it. */
  drop(): Promise<void>;
  /**
   * For an interrupted run: ends the bench's server connections mid-statement (they are
   * told apart by their `application_name`, the schema's name), then drops the schema.
   */
  abort(): Promise<void>;
}

/** Options of {@link openPostgresBenchSchema}, for benches other than the store's. */
export interface PostgresBenchSchemaOptions {
  /** The schema name's start, before its random hex; default `parley_bench_`. */
  prefix?: string;
  /** Settings to report instead of the store's (durability and memory). */
  reportedSettings?: readonly string[];
  /** Schemas searched after the bench's own (where an extension such as pgvector lives). */
  searchPathAfter?: readonly string[];
}

const defaultReportedSettings = [
  'synchronous_commit',
  'fsync',
  'wal_sync_method',
  'commit_delay',
  'shared_buffers',
  'max_connections',
] as const;

/**
 * Creates a schema `parley_bench_<random hex>` on the server, so the bench never touches
 * anyone's tables and leaves nothing behind once {@link PostgresBenchSchema.drop} ran.
 * Rejects when the server cannot be reached (within five seconds) or refuses the schema.
 */
export async function openPostgresBenchSchema(
  connectionString: string,
  options: PostgresBenchSchemaOptions = {},
): Promise<PostgresBenchSchema> {
  const schemaName = `${options.prefix ?? 'parley_bench_'}${randomBytes(6).toString('hex')}`;
  const reportedSettings = options.reportedSettings ?? defaultReportedSettings;
  const searchPath = [schemaName, ...(options.searchPathAfter ?? [])].join(',');
  const admin = new pg.Pool({ connectionString, max: 1, connectionTimeoutMillis: 5_000 });
  let facts: PostgresServerFacts;
  try {
    const version = await admin.query<{ server_version: string }>('show server_version');
    const settings = await admin.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [[...reportedSettings]],
    );
    facts = {
      serverVersion: version.rows[0]?.server_version ?? 'unknown',
      settings: Object.fromEntries(
        settings.rows.map((row) => [
          row.name,
          row.unit ? `${row.setting} × ${row.unit}` : row.setting,
        ]),
      ),
    };
    await admin.query(`create schema ${schemaName}`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    throw error;
  }

  const pools: pg.Pool[] = [];
  const dropSchema = async () => {
    try {
      await admin.query(`drop schema if exists ${schemaName} cascade`);
    } finally {
      await admin.end();
    }
  };
  return {
    schemaName,
    ...facts,
    createPool(max) {
      const pool = new pg.Pool({
        connectionString,
        max,
        application_name: schemaName,
        options: `-c search_path=${searchPath}`,
      });
      // An idle connection ended by the server (as `abort` does) must not crash the process;
      // the next query on the pool reports the problem instead.
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
      await dropSchema();
    },
    async abort() {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1',
        [schemaName],
      );
      await dropSchema();
    },
  };
}
