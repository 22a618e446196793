import { sql } from 'drizzle-orm';
import { ParleyError } from '../errors/parley-error';
import { type AnyPgDatabase, executeRows } from './any-pg-database';
import type { ParleySchema } from './create-parley-schema';
import { parleySchema } from './default-schema';
import { migrateHostSchema } from './migrate-host-schema';
import { locateShippedMigrations, readMigrations } from './read-migrations';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Where the drizzle-kit output lives; default the `migrations` folder shipped in this package. */
  migrationsFolder?: string;
  /** The ledger table; default `parley_migrations`. Never drizzle's own ledger, so hosts keep theirs. */
  ledgerTable?: string;
  /**
   * A host's Parley schema (`createParleySchema({ prefix, references })`, exported table by
   * table from the host's schema file), whose tables the host's own drizzle-kit migrations
   * create. `migrate()` then creates no table: it checks that every table and column of the
   * schema is there (and says what to run when not) and applies Parley's SQL routines (the
   * append function, the catalog-revision triggers) named for the schema's prefix, recorded in
   * the ledger as `routines:<prefix>`. Default: the standalone `parley_` tables, created with
   * their routines by the shipped migrations.
   */
  schema?: ParleySchema;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Tags of the migrations applied by this call, in order (`routines:<prefix>` for a host schema). */
  applied: string[];
  /** Tags that were already applied before this call. */
  alreadyApplied: string[];
}

const ledgerNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** The advisory lock every migration and rollback takes, so only one runs at a time. */
export const migrationLockKey = 'parley_migrations';

/** Throws unless `ledgerTable` is a plain lowercase identifier; returns it. */
export function checkLedgerTable(ledgerTable: string): string {
  if (!ledgerNamePattern.test(ledgerTable)) {
    throw new ParleyError('validation_failed', `Invalid ledger table name "${ledgerTable}"`);
  }
  return ledgerTable;
}

/**
 * Brings the database to this version of Parley, all in one transaction under an advisory
 * lock, so concurrent starts of several instances are safe. The ledger is Parley's own table,
 * so a host's drizzle migrations are unaffected.
 *
 * - Without `schema` (the standalone `parley_` tables): applies the shipped migrations the
 *   database has not seen yet, creating tables in the first schema of the connection's
 *   `search_path` (normally `public`). Throws if a migration recorded as applied has since been
 *   edited, or if Parley's tables are there but the ledger records none (another tool made them).
 * - With a host's `schema`: applies Parley's SQL routines for the host's tables, whatever
 *   created those; see {@link MigrateOptions.schema}.
 */
export async function migrate(
  database: AnyPgDatabase,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const ledgerTable = checkLedgerTable(options.ledgerTable ?? 'parley_migrations');
  const migrations = readMigrations(options.migrationsFolder ?? locateShippedMigrations());
  const ledger = sql.identifier(ledgerTable);
  const hostSchema =
    options.schema !== undefined && options.schema !== parleySchema ? options.schema : undefined;

  return database.transaction(async (transaction) => {
    await transaction.execute(sql`select pg_advisory_xact_lock(hashtext(${migrationLockKey}))`);
    await transaction.execute(sql`
      create table if not exists ${ledger} (
        tag text primary key,
        hash text not null,
        applied_at timestamptz not null default now()
      )`);
    if (hostSchema) {
      return migrateHostSchema({ transaction, schema: hostSchema, migrations, ledger });
    }
    const rows = await executeRows(transaction, sql`select tag, hash from ${ledger}`);
    const appliedHashes = new Map(rows.map((row) => [String(row.tag), String(row.hash)]));
    if (![...appliedHashes.keys()].some((tag) => migrations.some((entry) => entry.tag === tag))) {
      await assertNoForeignTables(transaction, ledgerTable);
    }
    const applied: string[] = [];
    const alreadyApplied: string[] = [];
    for (const migration of migrations) {
      const recordedHash = appliedHashes.get(migration.tag);
      if (recordedHash !== undefined) {
        if (recordedHash !== migration.hash) {
          throw new ParleyError(
            'internal',
            `Migration ${migration.tag} was edited after it was applied; write a new migration instead`,
          );
        }
        alreadyApplied.push(migration.tag);
        continue;
      }
      for (const statement of migration.statements) {
        await transaction.execute(sql.raw(statement));
      }
      await transaction.execute(
        sql`insert into ${ledger} (tag, hash) values (${migration.tag}, ${migration.hash})`,
      );
      applied.push(migration.tag);
    }
    return { applied, alreadyApplied };
  });
}

/**
 * Before the first shipped migration: the standalone tables must not be there yet. When they
 * are, a host's drizzle-kit made them from its own schema file, and only the routines are
 * Parley's to apply.
 */
async function assertNoForeignTables(database: AnyPgDatabase, ledgerTable: string): Promise<void> {
  const [row] = await executeRows(
    database,
    sql`select to_regclass(${'parley_agent'}) is not null as present`,
  );
  if (row?.present === true) {
    throw new ParleyError(
      'internal',
      `The table parley_agent is already in the database, but Parley's ledger (${ledgerTable}) ` +
        "records no migration: another tool (your drizzle-kit?) created Parley's tables. Pass " +
        "your Parley schema, migrate(db, { schema }), to apply only Parley's SQL routines.",
      { reason: 'tables_without_ledger' },
    );
  }
}
