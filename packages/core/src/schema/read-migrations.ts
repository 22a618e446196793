import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParleyError } from '../errors/parley-error';

/** One migration of a drizzle-kit migrations folder, as {@link readMigrations} reads it. */
export interface Migration {
  /** The journal's tag, which is also the file name: `0001_append_events_function`. */
  tag: string;
  /** SHA-256 of the file, recorded in the ledger so an edited migration is noticed. */
  hash: string;
  /** The statements, split at drizzle-kit's breakpoints. */
  statements: string[];
}

const breakpoint = '--> statement-breakpoint';

/** The `migrations` folder shipped beside this package (drizzle-kit output plus `down/`). */
export function locateShippedMigrations(): string {
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

function splitStatements(text: string): string[] {
  // drizzle-kit qualifies foreign-key targets with "public"; dropping the qualifier lets the
  // tables live in whatever schema the connection's search_path names first.
  return text
    .split(breakpoint)
    .map((statement) => statement.replaceAll('"public".', '').trim())
    .filter((statement) => statement.length > 0);
}

/** Reads the drizzle-kit journal and SQL files of `folder`, in order, with each file's hash. */
export function readMigrations(folder: string): Migration[] {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ idx: number; tag: string }>;
  };
  return [...journal.entries]
    .sort((left, right) => left.idx - right.idx)
    .map((entry) => {
      const text = readFileSync(path.join(folder, `${entry.tag}.sql`), 'utf8');
      return {
        tag: entry.tag,
        hash: createHash('sha256').update(text).digest('hex'),
        statements: splitStatements(text),
      };
    });
}

/**
 * The statements that undo migration `tag`: `down/<tag>.sql` beside the migrations, split at
 * the same breakpoints. Throws when the file is missing.
 */
export function readDownStatements(folder: string, tag: string): string[] {
  const file = path.join(folder, 'down', `${tag}.sql`);
  if (!existsSync(file)) {
    throw new ParleyError('internal', `Migration ${tag} has no down migration (${file})`);
  }
  return splitStatements(readFileSync(file, 'utf8'));
}
