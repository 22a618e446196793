import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { ParleyError } from '../errors/parley-error';
import { type AnyPgDatabase, executeRows } from './any-pg-database';

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** Where the drizzle-kit output lives; default the `migrations` folder shipped in this package. */
  migrationsFolder?: string;
  /** The ledger table; default `parley_migrations`. Never drizzle's own ledger, so hosts keep theirs. */
  ledgerTable?: string;
}

/** What {@link migrate} did. */
export interface MigrateResult {
  /** Tags of the migrations applied by this call, in order. */
  applied: string[];
  /** Tags that were already applied before this call. */
  alreadyApplied: string[];
}

interface JournalEntry {
  idx: number;
  tag: string;
}

const ledgerNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;
const migrationLockKey = 'parley_migrations';

function locateShippedMigrations(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = path.join(directory, 'migrations');
    if (existsSync(path.join(candidate, 'meta', '_journal.json'))) return candidate;
    directory = path.dirname(directory);
  }
  throw new ParleyError(
    'internal',
    'Parley migrations folder not found beside the package; pass migrationsFolder to migrate()',
  );
}

/** Reads the drizzle-kit journal and SQL files, in order, with each file's hash. */
function readMigrations(folder: string) {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  return [...journal.entries]
    .sort((left, right) => left.idx - right.idx)
    .map((entry) => {
      const text = readFileSync(path.join(folder, `${entry.tag}.sql`), 'utf8');
      // drizzle-kit qualifies foreign-key targets with "public"; dropping the qualifier lets
      // the tables live in whatever schema the connection's search_path names first.
      const statements = text
        .split('--> statement-breakpoint')
        .map((statement) => statement.replaceAll('"public".', '').trim())
        .filter((statement) => statement.length > 0);
      return {
        tag: entry.tag,
        hash: createHash('sha256').update(text).digest('hex'),
        statements,
      };
    });
}

/**
 * Applies Parley's shipped migrations that the database has not seen yet, all in one
 * transaction under an advisory lock, so concurrent starts of several instances are safe.
 * Tables are created in the first schema of the connection's `search_path` (normally `public`).
 * The ledger is Parley's own table, so a host's drizzle migrations are unaffected.
 * Throws if a migration recorded as applied has since been edited.
 */
export async function migrate(
  database: AnyPgDatabase,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const ledgerTable = options.ledgerTable ?? 'parley_migrations';
  if (!ledgerNamePattern.test(ledgerTable)) {
    throw new ParleyError('validation_failed', `Invalid ledger table name "${ledgerTable}"`);
  }
  const migrations = readMigrations(options.migrationsFolder ?? locateShippedMigrations());
  const ledger = sql.identifier(ledgerTable);

  return database.transaction(async (transaction) => {
    await transaction.execute(sql`select pg_advisory_xact_lock(hashtext(${migrationLockKey}))`);
    await transaction.execute(sql`
      create table if not exists ${ledger} (
        tag text primary key,
        hash text not null,
        applied_at timestamptz not null default now()
      )`);
    const rows = await executeRows(transaction, sql`select tag, hash from ${ledger}`);
    const appliedHashes = new Map(rows.map((row) => [String(row.tag), String(row.hash)]));
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
