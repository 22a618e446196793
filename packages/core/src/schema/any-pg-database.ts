import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';

/** Any drizzle PostgreSQL database or transaction: node-postgres, PGlite, or a host's. */
// biome-ignore lint/suspicious/noExplicitAny: drizzle's own generic slot for the schema type.
export type AnyPgDatabase = PgDatabase<PgQueryResultHKT, any>;

type Rows = Array<Record<string, unknown>>;

/**
 * Runs raw SQL and returns its rows. node-postgres and PGlite both answer `{ rows }`;
 * drizzle's generic database type does not know that, hence this one narrow cast.
 */
export async function executeRows(database: AnyPgDatabase, query: SQL): Promise<Rows> {
  const result = (await database.execute(query)) as { rows: Rows };
  return result.rows;
}

const dialect = new PgDialect();
/** Statement names by text: hashing the same few texts on every call would be waste. */
const statementNames = new Map<string, string>();

/**
 * Like {@link executeRows}, for a hot statement whose text never changes: drivers that support
 * it (node-postgres) parse and plan it once per connection as a named prepared statement
 * instead of on every call. The name carries a hash of the text, so two schemas (prefixes)
 * in one process never collide; parameters still travel separately, never spliced in.
 */
export async function executePreparedRows(
  database: AnyPgDatabase,
  purpose: string,
  query: SQL,
  options: { named?: boolean } = {},
): Promise<Rows> {
  if (options.named === false) return executeRows(database, query);
  const built = dialect.sqlToQuery(query);
  let name = statementNames.get(built.sql);
  if (name === undefined) {
    name = `parley_${purpose}_${createHash('sha1').update(built.sql).digest('hex').slice(0, 12)}`;
    statementNames.set(built.sql, name);
  }
  const prepared = database._.session.prepareQuery(built, undefined, name, false);
  const result = (await prepared.execute()) as { rows: Rows };
  return result.rows;
}
