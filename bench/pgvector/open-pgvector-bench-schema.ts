import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A throwaway schema with pgvector at hand; see {@link openPgvectorBenchSchema}. */
export interface PgvectorBenchSchema {
  schemaName: string;
  /** `server_version`, e.g. `15.20 (Debian 15.20-0+deb12u1)`. */
  serverVersion: string;
  /** The installed pgvector, e.g. `0.8.6`. */
  pgvectorVersion: string;
  /** Settings that bear on index builds and searches. */
  settings: Record<string, string>;
  /** A pool searching the bench schema first, then the schema pgvector lives in. */
  createPool(max: number): pg.Pool;
  /** Ends the pools made here and drops the schema with everything in it. */
  drop(): Promise<void>;
}

const reportedSettings = [
  'shared_buffers',
  'maintenance_work_mem',
  'max_parallel_maintenance_workers',
  'work_mem',
  'jit',
] as const;

/**
 * Creates `parley_bench_pgvector_<hex>` and the `vector` extension (in `public`) if the
 * server lacks it. Rejects when the server cannot be reached or pgvector is not installed.
 */
export async function openPgvectorBenchSchema(
  connectionString: string,
): Promise<PgvectorBenchSchema> {
  const schemaName = `parley_bench_pgvector_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  let facts: Omit<PgvectorBenchSchema, 'schemaName' | 'createPool' | 'drop'>;
  let extensionSchema: string;
  try {
    await admin.query('create extension if not exists vector schema public');
    const extension = await admin.query<{ version: string; schema: string }>(
      "select extversion as version, extnamespace::regnamespace::text as schema from pg_extension where extname = 'vector'",
    );
    extensionSchema = extension.rows[0]?.schema ?? 'public';
    const version = await admin.query<{ server_version: string }>('show server_version');
    const settings = await admin.query<{ name: string; setting: string; unit: string | null }>(
      'select name, setting, unit from pg_settings where name = any($1)',
      [[...reportedSettings]],
    );
    facts = {
      serverVersion: version.rows[0]?.server_version ?? 'unknown',
      pgvectorVersion: extension.rows[0]?.version ?? 'unknown',
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
  return {
    schemaName,
    ...facts,
    createPool(max) {
      const pool = new pg.Pool({
        connectionString,
        max,
        application_name: schemaName,
        options: `-c search_path=${schemaName},${extensionSchema}`,
      });
      pool.on('error', () => undefined);
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
      try {
        await admin.query(`drop schema if exists ${schemaName} cascade`);
      } finally {
        await admin.end();
      }
    },
  };
}
