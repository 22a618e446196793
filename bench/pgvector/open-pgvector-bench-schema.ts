import pg from 'pg';
import { openPostgresBenchSchema, type PostgresBenchSchema } from '../store/postgres-bench-schema';

/** A throwaway schema with pgvector at hand; see {@link openPgvectorBenchSchema}. */
export interface PgvectorBenchSchema extends PostgresBenchSchema {
  /** The installed pgvector, e.g. `0.8.6`. */
  pgvectorVersion: string;
}

/** Settings that bear on index builds and searches. */
const reportedSettings = [
  'shared_buffers',
  'maintenance_work_mem',
  'max_parallel_maintenance_workers',
  'work_mem',
  'jit',
] as const;

/**
 * Creates the `vector` extension (in `public`) if the server lacks it, then a schema
 * `parley_bench_pgvector_<hex>` whose pools search it first, then pgvector's schema. Rejects
 * when the server cannot be reached or pgvector is not installed.
 */
export async function openPgvectorBenchSchema(
  connectionString: string,
): Promise<PgvectorBenchSchema> {
  const admin = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  await admin.connect();
  let extension: { version: string; schema: string } | undefined;
  try {
    await admin.query('create extension if not exists vector schema public');
    const { rows } = await admin.query<{ version: string; schema: string }>(
      "select extversion as version, extnamespace::regnamespace::text as schema from pg_extension where extname = 'vector'",
    );
    extension = rows[0];
  } finally {
    await admin.end();
  }
  const schema = await openPostgresBenchSchema(connectionString, {
    prefix: 'parley_bench_pgvector_',
    reportedSettings,
    searchPathAfter: [extension?.schema ?? 'public'],
  });
  return { ...schema, pgvectorVersion: extension?.version ?? 'unknown' };
}
