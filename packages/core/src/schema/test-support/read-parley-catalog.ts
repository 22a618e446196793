import { sql } from 'drizzle-orm';
import { type AnyPgDatabase, executeRows } from '../any-pg-database';

/** What the database holds of Parley's tables and routines, as sorted definitions. */
export interface ParleyCatalog {
  columns: string[];
  indexes: string[];
  constraints: string[];
  functions: string[];
  triggers: string[];
}

/**
 * Reads every table, column, index, constraint, function and trigger whose name (or whose
 * table's name) starts with `prefix`, in the first schema of the search path, as PostgreSQL
 * prints their definitions. The schema's own name is taken out, so catalogs of two test
 * schemas compare equal when their contents do.
 */
export async function readParleyCatalog(
  database: AnyPgDatabase,
  prefix = 'parley_',
): Promise<ParleyCatalog> {
  const [{ schema } = {}] = await executeRows(database, sql`select current_schema() as schema`);
  const own = (column: ReturnType<typeof sql.raw>) =>
    sql`left(${column}::text, ${prefix.length}) = ${prefix}`;
  const list = async (query: ReturnType<typeof sql>) =>
    (await executeRows(database, query))
      .map((row) =>
        String(row.definition)
          .replaceAll(`"${String(schema)}".`, '')
          .replaceAll(`${String(schema)}.`, ''),
      )
      .sort();
  return {
    columns: await list(
      sql`select concat_ws(' ', table_name || '.' || column_name, data_type, udt_name,
                 is_nullable, column_default) as definition
          from information_schema.columns
          where table_schema = current_schema() and ${own(sql.raw('table_name'))}`,
    ),
    indexes: await list(
      sql`select indexdef as definition from pg_indexes
          where schemaname = current_schema() and ${own(sql.raw('tablename'))}`,
    ),
    constraints: await list(
      sql`select c.relname || ' ' || k.conname || ' ' || pg_get_constraintdef(k.oid) as definition
          from pg_constraint k join pg_class c on c.oid = k.conrelid
          where c.relnamespace = current_schema()::regnamespace and ${own(sql.raw('c.relname'))}`,
    ),
    functions: await list(
      sql`select pg_get_functiondef(p.oid) as definition from pg_proc p
          where p.pronamespace = current_schema()::regnamespace and ${own(sql.raw('p.proname'))}`,
    ),
    triggers: await list(
      sql`select pg_get_triggerdef(t.oid) as definition
          from pg_trigger t join pg_class c on c.oid = t.tgrelid
          where not t.tgisinternal and c.relnamespace = current_schema()::regnamespace
            and ${own(sql.raw('c.relname'))}`,
    ),
  };
}
