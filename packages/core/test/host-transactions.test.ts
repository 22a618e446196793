import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteStore } from '../src/pglite/create-pglite-store';
import { createPostgresStore } from '../src/postgres/create-postgres-store';
import { createPostgresJsStore } from '../src/postgres-js/create-postgres-js-store';
import type { AnyPgDatabase } from '../src/schema/any-pg-database';
import type { DrizzleStore } from '../src/store/create-drizzle-store';
import {
  createPostgresTestSchema,
  type PostgresTestSchema,
  testDatabaseUrl,
} from '../src/testing/create-postgres-test-schema';

/** A host's database and the Parley store built on it, for one driver. */
interface HostDatabase {
  host: AnyPgDatabase;
  store: DrizzleStore;
  close(): Promise<void>;
}

const drivers: Array<{ name: string; needsPostgres: boolean; open(): Promise<HostDatabase> }> = [
  {
    name: 'PGlite',
    needsPostgres: false,
    async open() {
      const client = new PGlite();
      const host = drizzlePglite({ client });
      const store = await createPgliteStore({ client });
      return { host, store, close: () => client.close() };
    },
  },
  {
    name: 'PostgreSQL through node-postgres',
    needsPostgres: true,
    async open() {
      const schema = await testSchema();
      const host = drizzleNodePostgres({ client: schema.createPool(4) });
      const store = await createPostgresStore({ database: host });
      return { host, store, close: async () => store.close() };
    },
  },
  {
    name: 'PostgreSQL through postgres-js',
    needsPostgres: true,
    async open() {
      const schema = await testSchema();
      const client = postgres(testDatabaseUrl as string, {
        max: 4,
        onnotice: () => undefined,
        connection: { search_path: schema.schemaName },
      });
      const host = drizzlePostgresJs({ client });
      const store = await createPostgresJsStore({ database: host });
      return {
        host,
        store,
        close: async () => {
          await store.close();
          await client.end({ timeout: 5 });
        },
      };
    },
  },
];

const schemas: PostgresTestSchema[] = [];
async function testSchema(): Promise<PostgresTestSchema> {
  const schema = await createPostgresTestSchema(testDatabaseUrl as string);
  schemas.push(schema);
  return schema;
}
afterAll(async () => {
  await Promise.all(schemas.map((schema) => schema.drop()));
});

for (const driver of drivers) {
  describe.skipIf(driver.needsPostgres && !testDatabaseUrl)(
    `Parley's writes in a transaction the host opened: ${driver.name}${driver.needsPostgres ? ' (needs DATABASE_URL)' : ''}`,
    () => {
      let database: HostDatabase;
      beforeAll(async () => {
        database = await driver.open();
        await database.host.execute(
          sql`create table host_workspace (id text primary key, name text not null)`,
        );
      });
      afterAll(async () => {
        await database?.close();
      });

      /** Creates a host workspace row and, in the same transaction, its agent and a first message. */
      async function createWorkspaceWithAgent(workspaceId: string, abort: boolean) {
        let agentId = '';
        await database.host.transaction(async (transaction) => {
          await transaction.execute(
            sql`insert into host_workspace (id, name) values (${workspaceId}, 'Acme')`,
          );
          const parley = database.store.within(transaction).forWorkspace(workspaceId);
          const agent = await parley.agents.create({ name: 'Support' });
          agentId = agent.id;
          const session = await parley.sessions.create({ agentId: agent.id });
          await parley.events.append(session.id, [
            { kind: 'message', source: 'customer', data: { text: 'hello' } },
          ]);
          if (abort) throw new Error('the host aborts its transaction');
        });
        return agentId;
      }

      async function hostRows(workspaceId: string) {
        const rows = await database.host
          .select({ id: sql<string>`id` })
          .from(sql`host_workspace`)
          .where(sql`id = ${workspaceId}`);
        return rows.length;
      }

      it('commits the host row and Parley records together', async () => {
        const workspaceId = `workspace-${globalThis.crypto.randomUUID()}`;
        const agentId = await createWorkspaceWithAgent(workspaceId, false);
        expect(await hostRows(workspaceId)).toBe(1);
        const workspace = database.store.forWorkspace(workspaceId);
        expect((await workspace.agents.get(agentId)).name).toBe('Support');
        const [session] = (await workspace.sessions.list()).items;
        const events = await workspace.events.list(session?.id as string);
        expect(events.map((event) => [event.offset, event.kind])).toEqual([[0, 'message']]);
      });

      it('rolls both back when the host aborts', async () => {
        const workspaceId = `workspace-${globalThis.crypto.randomUUID()}`;
        await expect(createWorkspaceWithAgent(workspaceId, true)).rejects.toThrow(
          'the host aborts',
        );
        expect(await hostRows(workspaceId)).toBe(0);
        const workspace = database.store.forWorkspace(workspaceId);
        expect((await workspace.agents.list()).items).toEqual([]);
        expect((await workspace.sessions.list()).items).toEqual([]);
      });

      it("rolls the host's write back when a Parley write fails", async () => {
        const workspaceId = `workspace-${globalThis.crypto.randomUUID()}`;
        await database.store.forWorkspace(workspaceId).agents.create({ name: 'Taken' });
        await expect(
          database.host.transaction(async (transaction) => {
            await transaction.execute(
              sql`insert into host_workspace (id, name) values (${workspaceId}, 'Acme')`,
            );
            await database.store
              .within(transaction)
              .forWorkspace(workspaceId)
              .agents.create({ name: 'Taken' });
          }),
        ).rejects.toMatchObject({ code: 'conflict' });
        expect(await hostRows(workspaceId)).toBe(0);
      });
    },
  );
}
