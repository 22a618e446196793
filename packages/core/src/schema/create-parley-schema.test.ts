import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { getTableColumns, sql } from 'drizzle-orm';
import { getTableConfig, pgTable, text } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import { describe, expect, it } from 'vitest';
import { createPgliteStore } from '../pglite/create-pglite-store';
import { executeRows } from './any-pg-database';
import { createParleySchema } from './create-parley-schema';
import { parleySchema } from './default-schema';

const migrationsFolder = path.resolve(import.meta.dirname, '../../migrations');

describe('the default schema', () => {
  it('matches the shipped migrations (run `pnpm db:generate` after changing tables)', async () => {
    const journal = JSON.parse(
      await readFile(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8'),
    );
    const lastTag: string = journal.entries.at(-1).tag;
    const snapshot = JSON.parse(
      await readFile(
        path.join(migrationsFolder, 'meta', `${lastTag.slice(0, 4)}_snapshot.json`),
        'utf8',
      ),
    );
    const current = generateDrizzleJson(parleySchema, snapshot.id);
    expect(await generateMigration(snapshot, current)).toEqual([]);
  });

  it('gives every table a workspace id, timestamptz times and text ids', () => {
    for (const table of Object.values(parleySchema)) {
      const config = getTableConfig(table);
      const columns = getTableColumns(table) as Record<
        string,
        { columnType: string; notNull: boolean }
      >;
      expect(config.name.startsWith('parley_'), config.name).toBe(true);
      expect(columns.workspaceId?.notNull, `${config.name}.workspace_id`).toBe(true);
      expect(columns.createdAt?.columnType, `${config.name}.created_at`).toBe('PgTimestamp');
      if (columns.id) expect(columns.id.columnType, `${config.name}.id`).toBe('PgText');
      for (const index of config.indexes) {
        expect(index.config.name?.startsWith(`${config.name}_`), index.config.name).toBe(true);
      }
    }
  });

  it('soft-deletes records with archived_at, except append-only events, run records and link rows', () => {
    const withoutArchive = Object.values(parleySchema)
      .filter((table) => !('archivedAt' in getTableColumns(table)))
      .map((table) => getTableConfig(table).name)
      .sort();
    expect(withoutArchive).toEqual([
      'parley_agent_knowledge_base',
      'parley_agent_tool',
      'parley_event',
      'parley_guideline_tool',
      'parley_journey_guideline',
      'parley_journey_state',
      'parley_journey_transition',
      'parley_session_workflow',
      'parley_variable_value',
    ]);
  });
});

describe('a host schema (prefix and references to the host tables)', () => {
  it('cascades from the host workspace and nulls user references, as in Sim', async () => {
    const workspace = pgTable('workspace', { id: text('id').primaryKey() });
    const user = pgTable('user', { id: text('id').primaryKey() });
    let nextId = 0;
    const hostSchema = createParleySchema({
      prefix: 'sim_parley_',
      references: { workspace: () => workspace.id, user: () => user.id },
      generateId: () => {
        nextId += 1;
        return `id-${nextId}`;
      },
    });
    const statements = await generateMigration(
      generateDrizzleJson({}),
      generateDrizzleJson({ workspace, user, ...hostSchema }),
    );
    const client = new PGlite();
    const database = drizzle({ client });
    for (const statement of statements) await database.execute(sql.raw(statement));
    await database.execute(sql`insert into "workspace" values ('w1'), ('w2')`);
    await database.execute(sql`insert into "user" values ('u1')`);

    const store = await createPgliteStore({ client, schema: hostSchema, migrate: false });
    const tenant = store.forWorkspace('w1');
    const agent = await tenant.agents.create({ name: 'Support', createdBy: 'u1' });
    expect(agent.id).toMatch(/^id-\d+$/);
    const customer = await tenant.customers.create({ userId: 'u1' });
    const session = await tenant.sessions.create({ agentId: agent.id, customerId: customer.id });
    await tenant.events.append(session.id, [
      { kind: 'message', source: 'customer', data: { text: 'hi' } },
    ]);
    const other = await store.forWorkspace('w2').agents.create({ name: 'Other' });
    const missingWorkspace = await store
      .forWorkspace('w-missing')
      .agents.create({ name: 'Nowhere' })
      .catch((error) => error);
    expect(missingWorkspace).toMatchObject({ code: 'not_found' });

    await database.execute(sql`delete from "user" where id = 'u1'`);
    expect((await tenant.agents.get(agent.id)).createdBy).toBeNull();
    expect((await tenant.customers.get(customer.id)).userId).toBeNull();
    expect(await tenant.events.list(session.id)).toHaveLength(1);

    await database.execute(sql`delete from "workspace" where id = 'w1'`);
    const left = await executeRows(
      database,
      sql`select (select count(*) from sim_parley_agent)::int as agents, (select count(*) from sim_parley_event)::int as events`,
    );
    expect(left[0]).toEqual({ agents: 1, events: 0 });
    expect((await store.forWorkspace('w2').agents.get(other.id)).name).toBe('Other');
    await store.close();
    await client.close();
  }, 60_000);
});
