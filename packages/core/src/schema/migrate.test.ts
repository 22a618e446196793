import { readFileSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { executeRows } from './any-pg-database';
import { migrate } from './migrate';

const shippedMigrations = path.resolve(import.meta.dirname, '../../migrations');
const shippedTags: string[] = JSON.parse(
  readFileSync(path.join(shippedMigrations, 'meta', '_journal.json'), 'utf8'),
).entries.map((entry: { tag: string }) => entry.tag);

describe('migrate on PGlite', () => {
  let client: PGlite;
  const temporaryFolders: string[] = [];

  beforeAll(async () => {
    client = new PGlite();
    await client.waitReady;
  });
  afterAll(async () => {
    await client.close();
    await Promise.all(
      temporaryFolders.map((folder) => rm(folder, { recursive: true, force: true })),
    );
  });

  it('applies the shipped migrations once and records them in its own ledger', async () => {
    const database = drizzle({ client });
    const first = await migrate(database);
    expect(first.applied).toEqual(shippedTags);
    expect(shippedTags[0]).toBe('0000_initial');
    const second = await migrate(database);
    expect(second).toEqual({ applied: [], alreadyApplied: shippedTags });

    const tables = await executeRows(
      database,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    const names = tables.map((row) => row.table_name);
    expect(names).toContain('parley_migrations');
    expect(names).toContain('parley_event');
    // Never drizzle's own ledger, which a host like Sim already uses for its migrations.
    expect(names).not.toContain('__drizzle_migrations');
    expect(names.filter((name) => String(name).startsWith('parley_'))).toHaveLength(23);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'parley-migrations-'));
    temporaryFolders.push(folder);
    await cp(shippedMigrations, folder, { recursive: true });
    const file = path.join(folder, '0000_initial.sql');
    await writeFile(file, `${await readFile(file, 'utf8')}\n-- edited later`);
    const error = await migrate(drizzle({ client }), { migrationsFolder: folder }).catch(
      (caught) => caught,
    );
    expect(error).toMatchObject({ code: 'internal' });
    expect(String(error.message)).toContain('0000_initial');
  });

  it('rejects an unsafe ledger table name', async () => {
    await expect(
      migrate(drizzle({ client }), { ledgerTable: 'x; drop table parley_event' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe.skipIf(!testDatabaseUrl)('migrate on PostgreSQL (needs DATABASE_URL)', () => {
  let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
  beforeAll(async () => {
    testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
  });
  afterAll(async () => {
    await testSchema?.drop();
  });

  it('applies the same migrations on PostgreSQL, exactly once under concurrent starts', async () => {
    const databases = [1, 2, 3].map(() =>
      drizzleNodePostgres({ client: testSchema.createPool(2) }),
    );
    const results = await Promise.all(databases.map((database) => migrate(database)));
    expect(results.flatMap((result) => result.applied)).toEqual(shippedTags);
    const [database] = databases;
    const version = await executeRows(
      database as never,
      sql`select current_setting('server_version_num')::int as version`,
    );
    expect(Number(version[0]?.version)).toBeGreaterThanOrEqual(150000);
    const ledger = await executeRows(database as never, sql`select tag from parley_migrations`);
    expect(ledger.map((row) => row.tag).sort()).toEqual(shippedTags);
    // The tables landed in the schema the connection's search_path names, not in public.
    const tables = await executeRows(
      database as never,
      sql`select count(*)::int as count from information_schema.tables where table_schema = ${testSchema.schemaName}`,
    );
    expect(tables[0]?.count).toBe(23);
  });
});

describe.skipIf(!testDatabaseUrl)(
  'migrate on PostgreSQL through postgres-js (needs DATABASE_URL)',
  () => {
    let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
    const clients: postgres.Sql[] = [];
    beforeAll(async () => {
      testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
    });
    afterAll(async () => {
      await Promise.all(clients.map((client) => client.end({ timeout: 5 })));
      await testSchema?.drop();
    });

    it('applies the same migrations, exactly once under concurrent starts', async () => {
      const databases = [1, 2, 3].map(() => {
        const client = postgres(testDatabaseUrl as string, {
          max: 2,
          onnotice: () => undefined,
          connection: { search_path: testSchema.schemaName },
        });
        clients.push(client);
        return drizzlePostgresJs({ client });
      });
      const results = await Promise.all(databases.map((database) => migrate(database)));
      expect(results.flatMap((result) => result.applied).sort()).toEqual([...shippedTags].sort());
      const [database] = databases;
      const ledger = await executeRows(database as never, sql`select tag from parley_migrations`);
      expect(ledger.map((row) => row.tag).sort()).toEqual([...shippedTags].sort());
      const tables = await executeRows(
        database as never,
        sql`select count(*)::int as count from information_schema.tables where table_schema = ${testSchema.schemaName}`,
      );
      expect(tables[0]?.count).toBe(23);
      expect(await migrate(database as never)).toEqual({
        applied: [],
        alreadyApplied: shippedTags,
      });
    });
  },
);
