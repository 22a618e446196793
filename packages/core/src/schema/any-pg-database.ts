import { createHash } from 'node:crypto';
import type { SQL } from 'drizzle-orm';
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from 'drizzle-orm/pg-core';

/**
 * Any drizzle PostgreSQL database or transaction: node-postgres, postgres-js, PGlite, or a
 * host's own `db` on any of them.
 */
// biome-ignore lint/suspicious/noExplicitAny: drizzle's own generic slot for the schema type.
export type AnyPgDatabase = PgDatabase<PgQueryResultHKT, any>;

type Rows = Array<Record<string, unknown>>;

/**
 * Runs raw SQL and returns its rows as objects. It goes through drizzle's session `all()`,
 * which every drizzle PostgreSQL driver implements, so Parley never reads a driver's own
 * result shape (node-postgres and PGlite answer `{ rows }`, postgres-js an array).
 */
export async function executeRows(database: AnyPgDatabase, query: SQL): Promise<Rows> {
  return (await database._.session.all(query)) as Rows;
}

const dialect = new PgDialect();
/** Statement names by text: hashing the same few texts on every call would be waste. */
const statementNames = new Map<string, string>();

/**
 * Like {@link executeRows}, for a hot statement whose text never changes: node-postgres
 * parses and plans it once per connection as a named prepared statement instead of on every
 * call (postgres-js prepares on its own, PGlite ignores the name). The name carries a hash of
 * the text, so two schemas (prefixes) in one process never collide; parameters still travel
 * separately, never spliced in.
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
  // `all()` is what `session.all` calls on every driver's prepared query; drizzle's types mark
  // it internal, hence the cast.
  return (await (prepared as unknown as { all(): Promise<Rows> }).all()) as Rows;
}
