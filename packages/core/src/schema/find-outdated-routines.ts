import { sql } from 'drizzle-orm';
import { type AnyPgDatabase, executeRows } from './any-pg-database';
import type { ParleyRoutine } from './parley-routines';

/**
 * The routines the database does not hold as `routines` describe them, by name: a function
 * missing or with another body, a trigger missing, on another table or executing another
 * function, or a dropped routine still there. Empty when all are in place. Looks in the
 * schemas of the connection's `search_path`, where Parley's statements resolve names.
 */
export async function findOutdatedRoutines(
  database: AnyPgDatabase,
  routines: ParleyRoutine[],
): Promise<string[]> {
  const names = (kind: ParleyRoutine['kind']) => {
    const list = routines.filter((routine) => routine.kind === kind).map((routine) => routine.name);
    // `in ()` is not SQL: a name no routine can have keeps the list non-empty.
    return sql.join(
      (list.length > 0 ? list : ['']).map((name) => sql`${name}`),
      sql`, `,
    );
  };
  const rows = await executeRows(
    database,
    sql`select 'function' as kind, p.proname::text as name, null::text as target,
               p.prosrc as detail
        from pg_proc p
        where p.proname in (${names('function')}) and pg_function_is_visible(p.oid)
        union all
        select 'trigger', t.tgname::text, c.relname::text, t.tgfoid::regproc::text
        from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where t.tgname in (${names('trigger')}) and not t.tgisinternal
          and pg_table_is_visible(c.oid)`,
  );
  const found = new Map<string, Array<{ target: unknown; detail: unknown }>>();
  for (const row of rows) {
    const key = `${String(row.kind)}:${String(row.name)}`;
    found.set(key, [...(found.get(key) ?? []), { target: row.target, detail: row.detail }]);
  }
  return routines
    .filter((routine) => {
      const present = found.get(`${routine.kind}:${routine.name}`) ?? [];
      if (routine.dropped) {
        return present.some((row) => routine.kind === 'function' || row.target === routine.table);
      }
      if (routine.kind === 'function') return !present.some((row) => row.detail === routine.body);
      return !present.some(
        (row) => row.target === routine.table && row.detail === routine.executes,
      );
    })
    .map((routine) =>
      routine.kind === 'trigger'
        ? `trigger ${routine.name} on ${routine.table}`
        : `function ${routine.name}`,
    );
}
