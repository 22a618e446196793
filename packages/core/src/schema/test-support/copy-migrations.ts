import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The migrations shipped in this package. */
export const shippedMigrationsFolder = path.resolve(import.meta.dirname, '../../../migrations');

/** Tags of the shipped migrations, in order. */
export const shippedTags: string[] = JSON.parse(
  readFileSync(path.join(shippedMigrationsFolder, 'meta', '_journal.json'), 'utf8'),
).entries.map((entry: { tag: string }) => entry.tag);

/** Copies of the shipped migrations folder; `remove` deletes them all. */
export interface MigrationCopies {
  /** A copy whose journal stops after the first `count` migrations (the database "at" that point). */
  upTo(count: number): Promise<string>;
  remove(): Promise<void>;
}

/** Makes journal-truncated copies of the shipped migrations, for tests of earlier versions. */
export function createMigrationCopies(): MigrationCopies {
  const folders: string[] = [];
  return {
    async upTo(count) {
      const folder = await mkdtemp(path.join(tmpdir(), `parley-migrations-${count}-`));
      folders.push(folder);
      await cp(shippedMigrationsFolder, folder, { recursive: true });
      const journalFile = path.join(folder, 'meta', '_journal.json');
      const journal = JSON.parse(await readFile(journalFile, 'utf8'));
      journal.entries = journal.entries.slice(0, count);
      await writeFile(journalFile, JSON.stringify(journal, null, 2));
      return folder;
    },
    async remove() {
      await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
    },
  };
}
