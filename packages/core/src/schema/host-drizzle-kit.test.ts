import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { migrate as drizzleNodePostgresMigrate } from 'drizzle-orm/node-postgres/migrator';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate as drizzlePgliteMigrate } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteStore } from '../pglite/create-pglite-store';
import { createPostgresStore } from '../postgres/create-postgres-store';
import { testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { type AnyPgDatabase, executeRows } from './any-pg-database';
import type { ParleySchema } from './create-parley-schema';
import { migrate } from './migrate';
import { createHostProject, type HostProject } from './test-support/create-host-project';
import { emptyDatabase } from './test-support/empty-database';
import { expectWorkingHostStore } from './test-support/expect-working-host-store';

// A Sim-like host project on disk, its Parley schema file written by `parley-schema`, and the
// real drizzle-kit: `generate` + drizzle's own migrator, or `push`, make every table; Parley's
// migrate() adds only its routines; the store then works with the host's users and workspaces.

let project: HostProject;
let parley: ParleySchema;

beforeAll(async () => {
  project = await createHostProject();
  await project.drizzleKit(['generate']);
  parley = (await import(path.join(project.directory, 'parley-schema.ts'))).parley;
}, 120_000);
afterAll(() => project?.remove());

const migrationsFolder = () => path.join(project.directory, 'drizzle');

const drizzleLedger = async (database: AnyPgDatabase) =>
  executeRows(database, sql`select hash from drizzle.__drizzle_migrations`);

const ledgerTags = async (database: AnyPgDatabase) =>
  (await executeRows(database, sql`select tag from parley_migrations`)).map((row) => row.tag);

describe('a host on PGlite', () => {
  const client = new PGlite();
  afterAll(() => client.close());

  it("drizzle-kit generate, drizzle's migrator, then Parley's migrate: a working store", async () => {
    const database = drizzle({ client });
    await emptyDatabase(database);
    await drizzlePgliteMigrate(database, { migrationsFolder: migrationsFolder() });
    expect(await drizzleLedger(database)).toHaveLength(1);
    expect(await migrate(database, { schema: parley })).toEqual({
      applied: ['routines:parley_'],
      alreadyApplied: [],
    });
    const store = await createPgliteStore({ client, schema: parley, migrate: false });
    try {
      await expectWorkingHostStore(database, parley, store);
    } finally {
      await store.close();
    }
  }, 120_000);

  it("drizzle-kit push (the CLI, with the documented filter) keeps Parley's tables and ledger", async () => {
    // drizzle-kit opens the PGlite directory itself: one process at a time holds it.
    // (drizzle-kit/api's pushSchema cannot stand in: it drops its introspection's parameters.)
    const pgliteDirectory = await mkdtemp(path.join(tmpdir(), 'parley-host-pglite-'));
    const open = async () => {
      const pushed = new PGlite(pgliteDirectory);
      await pushed.waitReady;
      return { pushed, database: drizzle({ client: pushed }) };
    };
    try {
      expectPushApplied(await project.drizzleKit(['push', '--force'], { pgliteDirectory }));
      const first = await open();
      await migrate(first.database, { schema: parley });
      const before = await catalogOf(first.database);
      await first.pushed.close();
      // The next push drops neither Parley's ledger nor its routines. On PGlite it fails before
      // changing anything (see expectSecondPushRefused): Parley's tables come out whole.
      expectSecondPushRefused(await project.drizzleKit(['push', '--force'], { pgliteDirectory }));
      const { pushed, database } = await open();
      expect(await catalogOf(database)).toEqual(before);
      expect(await ledgerTags(database)).toEqual(['routines:parley_']);
      expect(await migrate(database, { schema: parley })).toEqual({
        applied: [],
        alreadyApplied: ['routines:parley_'],
      });
      const store = await createPgliteStore({ client: pushed, schema: parley, migrate: false });
      try {
        await expectWorkingHostStore(database, parley, store);
      } finally {
        await store.close();
        await pushed.close();
      }
    } finally {
      await rm(pgliteDirectory, { recursive: true, force: true });
    }
  }, 240_000);
});

describe.skipIf(!testDatabaseUrl)('a host on PostgreSQL (needs DATABASE_URL)', () => {
  // drizzle-kit and drizzle's migrator work on `public` of a database: each test gets a
  // throwaway database rather than a schema.
  const admin = testDatabaseUrl ? new pg.Pool({ connectionString: testDatabaseUrl, max: 1 }) : null;
  const created: Array<{ name: string; pool: pg.Pool }> = [];
  afterAll(async () => {
    for (const { name, pool } of created) {
      await pool.end().catch(() => undefined);
      await admin?.query(`drop database if exists ${name} with (force)`);
    }
    await admin?.end();
  });
  async function createDatabase() {
    const name = `parley_host_${randomBytes(6).toString('hex')}`;
    await admin?.query(`create database ${name}`);
    const url = new URL(testDatabaseUrl as string);
    url.pathname = `/${name}`;
    const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    // Dropping the database ends connections still closing: nothing to report.
    pool.on('error', () => undefined);
    created.push({ name, pool });
    return { url: url.toString(), pool, database: drizzleNodePostgres({ client: pool }) };
  }

  it("drizzle-kit generate, drizzle's migrator, then Parley's migrate: a working store", async () => {
    const { pool, database } = await createDatabase();
    await drizzleNodePostgresMigrate(database, { migrationsFolder: migrationsFolder() });
    expect(await drizzleLedger(database)).toHaveLength(1);
    expect((await migrate(database, { schema: parley })).applied).toEqual(['routines:parley_']);
    const store = await createPostgresStore({ pool, schema: parley, migrate: false });
    try {
      await expectWorkingHostStore(database, parley, store);
    } finally {
      await store.close();
    }
  }, 120_000);

  it("drizzle-kit push (the CLI, with the documented filter) keeps Parley's tables and ledger", async () => {
    const { url, pool, database } = await createDatabase();
    expectPushApplied(await project.drizzleKit(['push', '--force'], { databaseUrl: url }));
    await migrate(database, { schema: parley });
    // The developer's next change to their own tables, then the next push: it adds the host's
    // column and leaves every Parley key, index and the ledger as they were.
    const hostSchema = path.join(project.directory, 'schema.ts');
    const original = await readFile(hostSchema, 'utf8');
    await writeFile(
      hostSchema,
      original.replace(
        "organizationId: text('organization_id'),",
        "organizationId: text('organization_id'),\n  color: text('color'),",
      ),
    );
    const before = await catalogOf(database);
    try {
      const statements = pushStatements(
        await project.drizzleKit(['push', '--force', '--verbose'], { databaseUrl: url }),
      );
      expect(statements).toContain('ALTER TABLE "workspace" ADD COLUMN "color" text;');
      expect(statements.filter((statement) => !isArrayDefaultReset(statement))).toEqual([
        'ALTER TABLE "workspace" ADD COLUMN "color" text;',
      ]);
    } finally {
      await writeFile(hostSchema, original);
    }
    expect(await catalogOf(database)).toEqual(before);
    expect(await ledgerTags(database)).toEqual(['routines:parley_']);
    expect(await migrate(database, { schema: parley })).toEqual({
      applied: [],
      alreadyApplied: ['routines:parley_'],
    });
    const store = await createPostgresStore({ pool, schema: parley, migrate: false });
    try {
      await expectWorkingHostStore(database, parley, store);
    } finally {
      await store.close();
    }
  }, 120_000);
});

/** The first push onto an empty database creates every table, with no error. */
function expectPushApplied(output: string): void {
  expect(output).toContain('Changes applied');
  expect(output).not.toMatch(/\berror\b/i);
}

/**
 * A known drizzle-kit 0.31.11 problem on PGlite, asserted so that a fix shows up here: it reads
 * PGlite's keys back wrong and plans to drop and re-create them, and its PGlite driver sends
 * grouped statements as one prepared statement, which PGlite refuses. So any push after the
 * first fails at its first statement, before changing anything (it exits 0; the caller checks
 * the catalog): either PGlite refuses the group, or it refuses to drop a key other tables'
 * foreign keys depend on, whichever the plan starts with. On PGlite hosts should generate
 * migrations instead (docs/sim.md). On PostgreSQL the next push works (test below).
 */
function expectSecondPushRefused(output: string): void {
  expect(output).toMatch(
    /cannot insert multiple commands into a prepared statement|cannot drop constraint parley_\w+ on table parley_\w+ because other objects depend on it/,
  );
}

/** The SQL statements a `push --verbose` printed before applying them. */
function pushStatements(output: string): string[] {
  expect(output).toContain('Changes applied');
  expect(output).not.toMatch(/\berror\b/i);
  return output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(ALTER|CREATE|DROP) /.test(line));
}

/**
 * drizzle-kit 0.31.11 reads an empty text-array default back as `'{""}'`, so every push sets
 * Parley's `'{}'` defaults again: the same value, no data touched.
 */
function isArrayDefaultReset(statement: string): boolean {
  return /^ALTER TABLE "parley_\w+" ALTER COLUMN "\w+" SET DEFAULT '\{\}'::text\[\];$/.test(
    statement,
  );
}

/** Parley's constraints and indexes as PostgreSQL holds them, to show a push left them alone. */
async function catalogOf(database: AnyPgDatabase) {
  const constraints = await executeRows(
    database,
    sql`select conname as name, pg_get_constraintdef(oid) as definition from pg_constraint
        where conname like 'parley\_%' order by conname`,
  );
  const indexes = await executeRows(
    database,
    sql`select indexname as name, indexdef as definition from pg_indexes
        where tablename like 'parley\_%' order by indexname`,
  );
  return { constraints, indexes };
}
