import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * Runs one raw SQL statement with positional parameters (`$1`, `$2`…) and resolves with its
 * rows. The bench seeds through it, beside the store, because set-based inserts of a million
 * rows are not something the store's API offers (nor should it).
 */
export type RunSql = (
  text: string,
  parameters?: readonly unknown[],
) => Promise<Array<Record<string, unknown>>>;

/** {@link RunSql} on a node-postgres pool. */
export function createPoolSqlRunner(pool: pg.Pool): RunSql {
  return async (text, parameters = []) => {
    const result = await pool.query(text, [...parameters]);
    return result.rows as Array<Record<string, unknown>>;
  };
}

/** {@link RunSql} on a PGlite client. */
export function createPgliteSqlRunner(client: PGlite): RunSql {
  return async (text, parameters = []) => {
    const result = await client.query<Record<string, unknown>>(text, [...parameters]);
    return result.rows;
  };
}
