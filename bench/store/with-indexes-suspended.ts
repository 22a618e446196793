import type { RunSql } from './run-sql';

/**
 * Runs a bulk load into `table` with the table's indexes and constraints out of the way, as
 * a database restore does: their definitions are read from the catalog, they are dropped,
 * `load` runs, and they are recreated from those same definitions (same names, same
 * columns), which also checks every loaded row against them.
 *
 * Why: row by row, a million inserts pay a foreign-key check each and scatter writes over a
 * random-UUID primary key and a GIN index, which makes every checkpoint's full-page writes
 * grow with the table; building each index once from sorted input is several times faster.
 * Only for a table no other table's foreign key references, and with nothing else writing.
 */
export async function withIndexesSuspended<T>(
  runSql: RunSql,
  table: string,
  load: () => Promise<T>,
): Promise<T> {
  const referencing = await runSql(
    'select conname from pg_constraint where confrelid = $1::regclass and conrelid <> $1::regclass',
    [table],
  );
  if (referencing.length > 0) {
    throw new Error(`${table} is referenced by other tables' foreign keys; not suspending them`);
  }
  // Primary and unique keys before foreign keys, as a restore orders them.
  const constraints = await runSql(
    `select quote_ident(conname) as name, pg_get_constraintdef(oid) as definition
     from pg_constraint
     where conrelid = $1::regclass and contype in ('p', 'u', 'f', 'c', 'x')
     order by case contype when 'p' then 0 when 'u' then 1 when 'x' then 2 else 3 end, conname`,
    [table],
  );
  // Indexes of their own, not the ones that back a constraint of this table.
  const indexes = await runSql(
    `select index.indexrelid::regclass::text as name, pg_get_indexdef(index.indexrelid) as definition
     from pg_index as index
     where index.indrelid = $1::regclass
       and not exists (
         select 1 from pg_constraint
         where pg_constraint.conrelid = $1::regclass and pg_constraint.conindid = index.indexrelid
       )
     order by name`,
    [table],
  );

  for (const index of indexes) await runSql(`drop index ${String(index.name)}`);
  for (const constraint of [...constraints].reverse()) {
    await runSql(`alter table ${table} drop constraint ${String(constraint.name)}`);
  }
  try {
    return await load();
  } finally {
    for (const constraint of constraints) {
      await runSql(
        `alter table ${table} add constraint ${String(constraint.name)} ${String(constraint.definition)}`,
      );
    }
    for (const index of indexes) await runSql(String(index.definition));
  }
}
