import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runParleySchemaCommand } from '../../cli/run-parley-schema-command';

const packageRoot = path.resolve(import.meta.dirname, '../../..');
const run = promisify(execFile);

/** The tablesFilter docs/store.md tells a host to give drizzle-kit. */
export const parleyTablesFilter = ['!parley_migrations'];

/** A throwaway host project on disk: Sim-like tables, the generated Parley schema file, drizzle-kit's config. */
export interface HostProject {
  directory: string;
  /** The exact command that wrote `parley-schema.ts`. */
  schemaCommand: string[];
  /**
   * Runs the real drizzle-kit CLI in the project (`generate`, `push --force`), against the
   * PostgreSQL at `databaseUrl` or the PGlite data directory `pgliteDirectory` when given.
   */
  drizzleKit(
    args: string[],
    options?: { databaseUrl?: string; pgliteDirectory?: string },
  ): Promise<string>;
  remove(): Promise<void>;
}

/**
 * Lays out a host project as a Sim-like app has it: `schema.ts` with its `user` and
 * `workspace` tables, `parley-schema.ts` written by the `parley-schema` command, and a
 * `drizzle.config.ts` naming both with the documented `tablesFilter`. Its `node_modules` links
 * to this package (whose `@parley/source` export condition points at the TypeScript sources)
 * and to the one copy of drizzle-orm and the drivers this package uses.
 */
export async function createHostProject(): Promise<HostProject> {
  const directory = await mkdtemp(path.join(tmpdir(), 'parley-host-'));
  const modules = path.join(directory, 'node_modules');
  await mkdir(path.join(modules, '@parley'), { recursive: true });
  await mkdir(path.join(modules, '@electric-sql'), { recursive: true });
  await symlink(packageRoot, path.join(modules, '@parley', 'core'));
  for (const name of ['drizzle-orm', 'drizzle-kit', 'pg', 'postgres', '@electric-sql/pglite']) {
    await symlink(
      await realpath(path.join(packageRoot, 'node_modules', name)),
      path.join(modules, name),
    );
  }
  await copyFile(
    path.join(import.meta.dirname, 'sim-host-tables.ts'),
    path.join(directory, 'schema.ts'),
  );
  await writeFile(
    path.join(directory, 'drizzle.config.ts'),
    `import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./schema.ts', './parley-schema.ts'],
  out: './drizzle',
  // Parley's ledger is in no schema file: without this, push would drop it.
  tablesFilter: ${JSON.stringify(parleyTablesFilter).replaceAll('"', "'")},
  // Where push goes: a PostgreSQL URL, or a PGlite data directory.
  ...(process.env.HOST_DATABASE_URL ? { dbCredentials: { url: process.env.HOST_DATABASE_URL } } : {}),
  ...(process.env.HOST_PGLITE_DIR
    ? { driver: 'pglite', dbCredentials: { url: process.env.HOST_PGLITE_DIR } }
    : {}),
});
`,
  );
  const schemaCommand = [
    '--out',
    'parley-schema.ts',
    '--workspace',
    './schema#workspace',
    '--user',
    './schema#user',
    '--knowledge-base',
    './schema#knowledgeBase',
  ];
  const errors: string[] = [];
  const code = await runParleySchemaCommand(schemaCommand, {
    cwd: directory,
    stdout: () => undefined,
    stderr: (line) => errors.push(line),
  });
  if (code !== 0) throw new Error(`parley-schema failed: ${errors.join('\n')}`);

  return {
    directory,
    schemaCommand,
    async drizzleKit(args, options = {}) {
      const { stdout, stderr } = await run(
        path.join(packageRoot, 'node_modules', '.bin', 'drizzle-kit'),
        [...args, '--config', 'drizzle.config.ts'],
        {
          cwd: directory,
          env: {
            ...process.env,
            // drizzle-kit loads the schema files with require(): this condition resolves
            // @parley/core to its sources, as vitest does.
            NODE_OPTIONS: '--conditions=@parley/source',
            HOST_DATABASE_URL: options.databaseUrl ?? '',
            HOST_PGLITE_DIR: options.pgliteDirectory ?? '',
          },
          timeout: 120_000,
        },
      );
      return `${stdout}${stderr}`;
    },
    remove: () => rm(directory, { recursive: true, force: true }),
  };
}
