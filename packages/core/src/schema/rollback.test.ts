import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { type AnyPgDatabase, executeRows } from './any-pg-database';
import { migrate } from './migrate';
import { rollback } from './rollback';
import {
  createMigrationCopies,
  type MigrationCopies,
  shippedMigrationsFolder,
  shippedTags,
} from './test-support/copy-migrations';
import { emptyDatabase } from './test-support/empty-database';
import { type ParleyCatalog, readParleyCatalog } from './test-support/read-parley-catalog';

const ledgerTags = async (database: AnyPgDatabase) =>
  (await executeRows(database, sql`select tag from parley_migrations order by tag`)).map(
    (row) => row.tag,
  );

/**
 * Up one migration at a time (recording the catalog each step leaves), down one at a time
 * (each step must leave exactly the catalog of the step before), then up again.
 */
async function expectUpDownUp(database: AnyPgDatabase, copies: MigrationCopies): Promise<void> {
  const catalogs: ParleyCatalog[] = [];
  for (let count = 0; count <= shippedTags.length; count += 1) {
    await migrate(database, { migrationsFolder: await copies.upTo(count) });
    catalogs.push(await readParleyCatalog(database));
    // Each migration changes something, so equal catalogs below mean something.
    if (count > 0) expect(catalogs[count]).not.toEqual(catalogs[count - 1]);
  }
  expect(catalogs[shippedTags.length]?.functions).toHaveLength(5);
  expect(catalogs[shippedTags.length]?.triggers).toHaveLength(42);

  for (let count = shippedTags.length - 1; count >= 0; count -= 1) {
    const to = count === 0 ? null : (shippedTags[count - 1] as string);
    expect(await rollback(database, { to })).toEqual({ rolledBack: [shippedTags[count]] });
    expect(await readParleyCatalog(database), `after rolling back to ${to}`).toEqual(
      catalogs[count],
    );
    expect(await ledgerTags(database)).toEqual(shippedTags.slice(0, count));
  }

  expect((await migrate(database)).applied).toEqual(shippedTags);
  expect(await readParleyCatalog(database)).toEqual(catalogs[shippedTags.length]);

  // All the way down in one call, newest first, and up again.
  expect(await rollback(database, { to: null })).toEqual({
    rolledBack: [...shippedTags].reverse(),
  });
  expect(await readParleyCatalog(database)).toEqual(catalogs[0]);
  await migrate(database);
  expect(await readParleyCatalog(database)).toEqual(catalogs[shippedTags.length]);
}

describe('rollback', () => {
  it('ships a down migration beside every migration', () => {
    for (const tag of shippedTags) {
      expect(existsSync(path.join(shippedMigrationsFolder, 'down', `${tag}.sql`)), tag).toBe(true);
    }
  });
});

describe('rollback on PGlite', () => {
  const copies = createMigrationCopies();
  const client = new PGlite();
  // One embedded database for every test here, emptied before each.
  const open = async () => {
    const database = drizzle({ client });
    await emptyDatabase(database);
    return database;
  };
  afterAll(async () => {
    await client.close();
    await copies.remove();
  });

  it('rolls each migration back to exactly what the earlier ones make, then up again', async () => {
    await expectUpDownUp(await open(), copies);
  }, 120_000);

  it('refuses unknown targets, targets not applied and migrations it does not know', async () => {
    const database = await open();
    expect(await rollback(database, { to: null })).toEqual({ rolledBack: [] });

    await migrate(database, { migrationsFolder: await copies.upTo(2) });
    const before = await readParleyCatalog(database);
    const unknown = await rollback(database, { to: '0003_catalog' }).catch((caught) => caught);
    expect(unknown).toMatchObject({ code: 'validation_failed', reason: 'unknown_migration' });
    expect(String(unknown.message)).toContain(shippedTags[0]);
    await expect(rollback(database, { to: shippedTags[3] as string })).rejects.toMatchObject({
      code: 'validation_failed',
      reason: 'not_applied',
    });
    await database.execute(
      sql`insert into parley_migrations (tag, hash) values ('0099_from_a_newer_parley', 'x')`,
    );
    await expect(rollback(database, { to: null })).rejects.toMatchObject({
      code: 'validation_failed',
      reason: 'unknown_migration',
    });
    expect(await readParleyCatalog(database)).toEqual(before);
    expect(await ledgerTags(database)).toEqual([
      ...shippedTags.slice(0, 2),
      '0099_from_a_newer_parley',
    ]);
  });
});

describe.skipIf(!testDatabaseUrl)('rollback on PostgreSQL (needs DATABASE_URL)', () => {
  let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
  const copies = createMigrationCopies();
  beforeAll(async () => {
    testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
  });
  afterAll(async () => {
    await testSchema?.drop();
    await copies.remove();
  });

  it('rolls each migration back to exactly what the earlier ones make, then up again', async () => {
    await expectUpDownUp(drizzleNodePostgres({ client: testSchema.createPool(2) }), copies);
  }, 120_000);
});

describe.skipIf(!testDatabaseUrl)(
  'rollback on PostgreSQL through postgres-js (needs DATABASE_URL)',
  () => {
    let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
    let client: postgres.Sql | undefined;
    const copies = createMigrationCopies();
    beforeAll(async () => {
      testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
    });
    afterAll(async () => {
      await client?.end({ timeout: 5 });
      await testSchema?.drop();
      await copies.remove();
    });

    it('rolls each migration back to exactly what the earlier ones make, then up again', async () => {
      client = postgres(testDatabaseUrl as string, {
        max: 2,
        onnotice: () => undefined,
        connection: { search_path: testSchema.schemaName },
      });
      await expectUpDownUp(drizzlePostgresJs({ client }), copies);
    }, 120_000);
  },
);
