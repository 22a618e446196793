import { sql } from 'drizzle-orm';
import { ParleyError } from '../errors/parley-error';
import { type AnyPgDatabase, executeRows } from './any-pg-database';
import { checkLedgerTable, migrationLockKey } from './migrate';
import { locateShippedMigrations, readDownStatements, readMigrations } from './read-migrations';

/** Options of {@link rollback}. */
export interface RollbackOptions {
  /**
   * The tag of the migration to go back to, which stays applied (`'0003_agent_catalog_revision'`),
   * or `null` to undo every migration, tables included.
   */
  to: string | null;
  /** Where the migrations and their `down/` folder live; default the ones shipped in this package. */
  migrationsFolder?: string;
  /** The ledger table; default `parley_migrations`, as for `migrate()`. */
  ledgerTable?: string;
}

/** What {@link rollback} did. */
export interface RollbackResult {
  /** Tags of the migrations undone, newest first. */
  rolledBack: string[];
}

/**
 * Undoes the shipped migrations applied after `to`, newest first, with the down SQL shipped
 * beside each (`migrations/down/<tag>.sql`), and removes their ledger rows: all in one
 * transaction under the same advisory lock as `migrate()`, so either everything is undone or
 * nothing is. Undoing a migration that added tables or columns deletes their data.
 *
 * Refuses, changing nothing, a target that is not a shipped migration or not applied, a
 * ledger holding migrations this version does not know (roll back with the version that
 * applied them), and a migration edited since it was applied.
 */
export async function rollback(
  database: AnyPgDatabase,
  options: RollbackOptions,
): Promise<RollbackResult> {
  const ledgerTable = checkLedgerTable(options.ledgerTable ?? 'parley_migrations');
  const folder = options.migrationsFolder ?? locateShippedMigrations();
  const migrations = readMigrations(folder);
  const tags = migrations.map((migration) => migration.tag);
  const { to } = options;
  if (to !== null && !tags.includes(to)) {
    throw new ParleyError(
      'validation_failed',
      `Cannot roll back to "${String(to)}": it is not one of Parley's migrations (${tags.join(', ')}); pass null to undo them all`,
      { reason: 'unknown_migration', details: { to, migrations: tags } },
    );
  }
  const ledger = sql.identifier(ledgerTable);

  return database.transaction(async (transaction) => {
    await transaction.execute(sql`select pg_advisory_xact_lock(hashtext(${migrationLockKey}))`);
    const [exists] = await executeRows(
      transaction,
      sql`select to_regclass(${ledgerTable}) is not null as present`,
    );
    const rows =
      exists?.present === true
        ? await executeRows(transaction, sql`select tag, hash from ${ledger}`)
        : [];
    // Host-schema routines (`routines:<prefix>`) are not migrations of these tables.
    const recorded = new Map(
      rows
        .filter((row) => !String(row.tag).startsWith('routines:'))
        .map((row) => [String(row.tag), String(row.hash)]),
    );
    const unknown = [...recorded.keys()].filter((tag) => !tags.includes(tag));
    if (unknown.length > 0) {
      throw new ParleyError(
        'validation_failed',
        `The database holds migrations this version of Parley does not know (${unknown.join(', ')}): roll back with the version that applied them`,
        { reason: 'unknown_migration', details: { unknown } },
      );
    }
    if (to !== null && !recorded.has(to)) {
      throw new ParleyError(
        'validation_failed',
        `Cannot roll back to ${to}: it is not applied (applied: ${[...recorded.keys()].join(', ') || 'none'})`,
        { reason: 'not_applied', details: { to, applied: [...recorded.keys()] } },
      );
    }
    const keep = to === null ? 0 : tags.indexOf(to) + 1;
    const undo = migrations
      .slice(keep)
      .filter((migration) => recorded.has(migration.tag))
      .reverse();
    const steps = undo.map((migration) => {
      if (recorded.get(migration.tag) !== migration.hash) {
        throw new ParleyError(
          'internal',
          `Migration ${migration.tag} was edited after it was applied; its down SQL may not undo what ran`,
        );
      }
      return { tag: migration.tag, statements: readDownStatements(folder, migration.tag) };
    });
    const rolledBack: string[] = [];
    for (const migration of steps) {
      for (const statement of migration.statements) {
        await transaction.execute(sql.raw(statement));
      }
      await transaction.execute(sql`delete from ${ledger} where tag = ${migration.tag}`);
      rolledBack.push(migration.tag);
    }
    return { rolledBack };
  });
}
