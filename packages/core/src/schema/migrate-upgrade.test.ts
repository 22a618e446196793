import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteStore } from '../pglite/create-pglite-store';
import type { Store } from '../ports/store';
import { createPostgresStore } from '../postgres/create-postgres-store';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { type AnyPgDatabase, executeRows } from './any-pg-database';
import { parleySchema } from './default-schema';
import { migrate } from './migrate';
import { createMigrationCopies, shippedTags } from './test-support/copy-migrations';

const workspaceId = 'workspace-upgrade';

/**
 * Data as an older Parley left it, written with SQL that only names columns of the first
 * migration, so it stays valid for whichever migration is the previous one.
 */
async function seedOlderData(database: AnyPgDatabase): Promise<void> {
  await database.execute(sql`
    insert into parley_agent (id, workspace_id, name, description)
    values ('agent-1', ${workspaceId}, 'Support', 'answers'), ('agent-2', ${workspaceId}, 'Sales', '')`);
  await database.execute(sql`
    insert into parley_guideline (id, workspace_id, agent_id, key, condition, action, tags)
    values ('guideline-1', ${workspaceId}, 'agent-1', 'refunds', 'asks for a refund', 'explain the policy', '{billing}'),
           ('guideline-2', ${workspaceId}, 'agent-1', null, 'is angry', 'apologise', '{}')`);
  await database.execute(sql`
    insert into parley_customer (id, workspace_id, external_id, name)
    values ('customer-1', ${workspaceId}, 'ext-1', 'Ada')`);
  await database.execute(sql`
    insert into parley_session (id, workspace_id, agent_id, customer_id, title, next_event_offset)
    values ('session-1', ${workspaceId}, 'agent-1', 'customer-1', 'Refund', 2)`);
  await database.execute(sql`
    insert into parley_event (id, workspace_id, session_id, "offset", kind, source, trace_id, data)
    values ('event-0', ${workspaceId}, 'session-1', 0, 'message', 'customer', 'trace-1', '{"text":"hello","clientMessageId":"c-0"}'),
           ('event-1', ${workspaceId}, 'session-1', 1, 'message', 'ai_agent', 'trace-1', '{"text":"hi, how can I help?"}')`);
}

/** Every row of every Parley table there is yet, as JSON objects keyed by table. */
async function readRows(database: AnyPgDatabase) {
  const rows: Record<string, Array<Record<string, unknown>>> = {};
  for (const table of Object.values(parleySchema)) {
    const name = getTableConfig(table).name;
    // A table the current migration adds is not there before it runs.
    const [exists] = await executeRows(
      database,
      sql`select to_regclass(${name}) is not null as present`,
    );
    if (exists?.present !== true) continue;
    const [row] = await executeRows(
      database,
      sql`select coalesce(jsonb_agg(to_jsonb(t) order by to_jsonb(t)::text), '[]'::jsonb) as rows
          from ${sql.identifier(name)} t`,
    );
    const value = row?.rows;
    rows[name] = (typeof value === 'string' ? JSON.parse(value) : value) as Array<
      Record<string, unknown>
    >;
  }
  return rows;
}

/**
 * A database at the previous migration, holding data, migrates to the current one: every row
 * keeps every value it had (new columns may add keys), and the store works on the result.
 */
async function expectUpgradeKeepsData(
  database: AnyPgDatabase,
  previousFolder: string,
  openStore: () => Promise<Store>,
): Promise<void> {
  expect((await migrate(database, { migrationsFolder: previousFolder })).applied).toEqual(
    shippedTags.slice(0, -1),
  );
  await seedOlderData(database);
  const before = await readRows(database);
  expect((await migrate(database)).applied).toEqual(shippedTags.slice(-1));
  const after = await readRows(database);
  for (const [table, rows] of Object.entries(before)) {
    expect(after[table], table).toHaveLength(rows.length);
    for (const [index, row] of rows.entries()) {
      expect(after[table]?.[index], table).toMatchObject(row);
    }
  }
  expect(Object.values(before).flat().length).toBe(8);

  const store = await openStore();
  try {
    const workspace = store.forWorkspace(workspaceId);
    expect((await workspace.agents.get('agent-1')).description).toBe('answers');
    expect((await workspace.guidelines.list({ agentId: 'agent-1' })).items).toHaveLength(2);
    const events = await workspace.events.list('session-1');
    expect(events.map((event) => event.offset)).toEqual([0, 1]);
    expect(await workspace.events.findByClientMessageId('session-1', 'c-0')).toMatchObject({
      id: 'event-0',
    });
    const [appended] = await workspace.events.append('session-1', [
      { kind: 'message', source: 'customer', data: { text: 'after the upgrade' } },
    ]);
    expect(appended?.offset).toBe(2);
    const revision = await workspace.agents.catalogRevision('agent-1');
    await workspace.guidelines.update('guideline-2', { action: 'apologise, then help' });
    expect(await workspace.agents.catalogRevision('agent-1')).not.toBe(revision);
  } finally {
    await store.close();
  }
}

const copies = createMigrationCopies();
afterAll(() => copies.remove());

describe('upgrading from the previous migration, with data', () => {
  it('loses nothing on PGlite', async () => {
    const client = new PGlite();
    try {
      await expectUpgradeKeepsData(
        drizzle({ client }),
        await copies.upTo(shippedTags.length - 1),
        () => createPgliteStore({ client, migrate: false }),
      );
    } finally {
      await client.close();
    }
  }, 60_000);

  describe.skipIf(!testDatabaseUrl)('on PostgreSQL (needs DATABASE_URL)', () => {
    let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
    beforeAll(async () => {
      testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
    });
    afterAll(() => testSchema?.drop());

    it('loses nothing on PostgreSQL', async () => {
      const pool: pg.Pool = testSchema.createPool(2);
      await expectUpgradeKeepsData(
        drizzleNodePostgres({ client: pool }),
        await copies.upTo(shippedTags.length - 1),
        () => createPostgresStore({ pool, migrate: false }),
      );
    }, 60_000);
  });
});
