import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** Any drizzle PostgreSQL database or transaction: node-postgres, PGlite, or a host's. */
// biome-ignore lint/suspicious/noExplicitAny: drizzle's own generic slot for the schema type.
export type AnyPgDatabase = PgDatabase<PgQueryResultHKT, any>;

/**
 * Runs raw SQL and returns its rows. node-postgres and PGlite both answer `{ rows }`;
 * drizzle's generic database type does not know that, hence this one narrow cast.
 */
export async function executeRows(
  database: AnyPgDatabase,
  query: SQL,
): Promise<Array<Record<string, unknown>>> {
  const result = (await database.execute(query)) as { rows: Array<Record<string, unknown>> };
  return result.rows;
}
