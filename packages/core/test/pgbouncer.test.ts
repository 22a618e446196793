import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../src/postgres/create-postgres-store';
import { createPostgresEventBus } from '../src/postgres/postgres-event-bus';
import { createPostgresJsStore } from '../src/postgres-js/create-postgres-js-store';
import { createPostgresJsEventBus } from '../src/postgres-js/postgres-js-event-bus';
import {
  createPostgresTestDatabase,
  type PostgresTestDatabase,
} from '../src/testing/create-postgres-test-database';
import { testDatabaseUrl } from '../src/testing/create-postgres-test-schema';
import { type PgBouncer, startPgBouncer } from '../src/testing/start-pgbouncer';
import { describeStoreContract } from '../src/testing/store-contract/describe-store-contract';

/**
 * Sim's production setup: every query through PgBouncer in transaction mode, where each
 * statement may land on another server connection. Parley's queries go through the pooler
 * (nothing named or prepared); its turn locks and its `LISTEN` take the direct address.
 */
describe.skipIf(!testDatabaseUrl)(
  'PostgreSQL behind PgBouncer in transaction mode (needs DATABASE_URL)',
  () => {
    let database: PostgresTestDatabase;
    let bouncer: PgBouncer;
    let pooledUrl: string;
    const clients: postgres.Sql[] = [];
    const pooledClient = (max = 8) => {
      // What a host behind PgBouncer must set: postgres-js prepares statements by default.
      const sql = postgres(pooledUrl, { max, prepare: false, onnotice: () => undefined });
      clients.push(sql);
      return sql;
    };

    beforeAll(async () => {
      database = await createPostgresTestDatabase(testDatabaseUrl as string);
      bouncer = await startPgBouncer({ serverUrl: testDatabaseUrl as string, poolSize: 4 });
      pooledUrl = bouncer.pooledUrl(database.url);
    });
    afterAll(async () => {
      await Promise.all(clients.map((sql) => sql.end({ timeout: 5 })));
      await bouncer?.stop();
      await database?.drop();
    });

    it('migrates through the pooler (its lock is transaction-scoped)', async () => {
      const store = await createPostgresJsStore({
        database: drizzle({ client: pooledClient(2) }),
        directConnectionString: database.url,
        namedStatements: false,
      });
      const agent = await store
        .forWorkspace('migrated')
        .agents.create({ name: 'Through PgBouncer' });
      expect(agent.name).toBe('Through PgBouncer');
      await store.close();
    });

    describeStoreContract('postgres-js through PgBouncer, locks and LISTEN direct', {
      createStore: ({ clock }) =>
        createPostgresJsStore({
          database: drizzle({ client: pooledClient() }),
          directConnectionString: database.url,
          namedStatements: false,
          clock,
        }),
      createSecondStore: ({ clock }) =>
        createPostgresJsStore({
          database: drizzle({ client: pooledClient() }),
          directConnectionString: database.url,
          namedStatements: false,
          migrate: false,
          clock,
        }),
      createEventBuses: async () => ({
        first: createPostgresJsEventBus({
          sql: pooledClient(2),
          listenConnectionString: database.url,
          channel: `${database.databaseName}_js_bus`,
        }),
        second: createPostgresJsEventBus({
          sql: pooledClient(2),
          listenConnectionString: database.url,
          channel: `${database.databaseName}_js_bus`,
        }),
      }),
    });

    describeStoreContract('node-postgres through PgBouncer, locks and LISTEN direct', {
      createStore: ({ clock }) =>
        createPostgresStore({
          connectionString: pooledUrl,
          directConnectionString: database.url,
          namedStatements: false,
          clock,
        }),
      createSecondStore: ({ clock }) =>
        createPostgresStore({
          connectionString: pooledUrl,
          directConnectionString: database.url,
          namedStatements: false,
          migrate: false,
          clock,
        }),
      createEventBuses: async () => ({
        first: createPostgresEventBus({
          connectionString: pooledUrl,
          listenConnectionString: database.url,
          channel: `${database.databaseName}_pg_bus`,
        }),
        second: createPostgresEventBus({
          connectionString: pooledUrl,
          listenConnectionString: database.url,
          channel: `${database.databaseName}_pg_bus`,
        }),
      }),
    });

    it('keeps gapless appends through the pooler on a client opened with prepare: false alone', async () => {
      // No namedStatements option: the client's `prepare: false` is what a host sets, and the
      // store follows it (drizzle alone would prepare named statements on such a client).
      const store = await createPostgresJsStore({
        database: drizzle({ client: pooledClient(4) }),
        directConnectionString: database.url,
        migrate: false,
      });
      const workspace = store.forWorkspace('prepare-false');
      const agent = await workspace.agents.create({ name: 'Unprepared' });
      const sessions = await Promise.all(
        [1, 2, 3, 4].map(() => workspace.sessions.create({ agentId: agent.id })),
      );
      for (let round = 0; round < 5; round += 1) {
        await Promise.all(
          sessions.map((session) =>
            workspace.events.append(session.id, [
              { kind: 'message', source: 'customer', data: { text: `round ${round}` } },
            ]),
          ),
        );
      }
      for (const session of sessions) {
        const events = await workspace.events.list(session.id);
        expect(events.map((event) => event.offset)).toEqual([0, 1, 2, 3, 4]);
      }
      await store.close();
    });

    it("sends the store's queries through the pooler", async () => {
      const sql = pooledClient(2);
      const store = await createPostgresJsStore({
        database: drizzle({ client: sql }),
        directConnectionString: database.url,
        namedStatements: false,
        migrate: false,
      });
      await store.forWorkspace('pooled').agents.create({ name: 'Pooled' });
      const admin = postgres(bouncer.adminUrl, { max: 1, prepare: false, fetch_types: false });
      try {
        const clientsOf = await admin`SHOW CLIENTS`.simple();
        const ours = [...clientsOf].filter(
          (row) => (row as { database?: string }).database === database.databaseName,
        );
        expect(ours.length).toBeGreaterThan(0);
      } finally {
        await admin.end();
        await store.close();
      }
    });

    it('holds turn locks on a direct connection, not a pooled one', async () => {
      const store = await createPostgresJsStore({
        database: drizzle({ client: pooledClient(2) }),
        directConnectionString: database.url,
        namedStatements: false,
        migrate: false,
      });
      const workspace = store.forWorkspace('lock-holder');
      const agent = await workspace.agents.create({ name: 'Lock holder' });
      const session = await workspace.sessions.create({ agentId: agent.id });
      const release = await workspace.sessions.lockTurn(session.id);
      const direct = postgres(database.url, { max: 1 });
      try {
        // The lock belongs to the server session named for the turn locks, which PgBouncer's
        // own server connections (named by their clients, or not at all) are not.
        const holders = await direct<{ application_name: string }[]>`
        select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and a.datname = ${database.databaseName}`;
        expect(holders.map((row) => row.application_name)).toEqual(['parley-turn-locks']);
      } finally {
        await release();
        await direct.end();
        await store.close();
      }
    });
  },
);
