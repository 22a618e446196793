import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests may use: `DATABASE_URL`, or none (the PostgreSQL suites then say they were skipped and why). */
export const testDatabaseUrl = process.env.DATABASE_URL;

/** A schema of its own on the test database; `drop` removes it and ends the pools it made. */
export interface PostgresTestSchema {
  schemaName: string;
  createPool(max?: number): pg.Pool;
  drop(): Promise<void>;
}

/**
 * A throwaway schema on the test database, so parallel test files (and repeated runs) never
 * share tables. Pools made by `createPool` put it first on their `search_path`, which is
 * where Parley's migrations create their tables.
 */
export async function createPostgresTestSchema(
  connectionString: string,
): Promise<PostgresTestSchema> {
  const schemaName = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Pool({ connectionString, max: 1 });
  await admin.query(`create schema ${schemaName}`);
  const pools: pg.Pool[] = [];
  return {
    schemaName,
    createPool(max = 10): pg.Pool {
      const pool = new pg.Pool({ connectionString, max, options: `-c search_path=${schemaName}` });
      pools.push(pool);
      return pool;
    },
    async drop(): Promise<void> {
      await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
      await admin.query(`drop schema if exists ${schemaName} cascade`);
      await admin.end();
    },
  };
}
