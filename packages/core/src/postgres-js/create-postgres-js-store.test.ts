import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { describeStoreContract } from '../testing/store-contract/describe-store-contract';
import { createPostgresJsStore } from './create-postgres-js-store';
import { createPostgresJsEventBus } from './postgres-js-event-bus';

describe.skipIf(!testDatabaseUrl)('postgres-js store on PostgreSQL (needs DATABASE_URL)', () => {
  let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
  const clients: postgres.Sql[] = [];
  /** A postgres-js client whose tables live in the test's own schema. */
  const createClient = (max = 6, options: postgres.Options<Record<string, never>> = {}) => {
    const sql = postgres(testDatabaseUrl as string, {
      max,
      onnotice: () => undefined,
      ...options,
      connection: { search_path: testSchema.schemaName },
    });
    clients.push(sql);
    return sql;
  };

  beforeAll(async () => {
    testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
  });
  afterAll(async () => {
    await Promise.all(clients.map((sql) => sql.end({ timeout: 5 })));
    await testSchema?.drop();
  });

  describeStoreContract('PostgreSQL through postgres-js (two clients)', {
    // Two clients stand for two processes sharing one database.
    createStore: ({ clock }) => createPostgresJsStore({ sql: createClient(), clock }),
    createSecondStore: ({ clock }) => createPostgresJsStore({ sql: createClient(), clock }),
    createEventBuses: async () => {
      const channel = `${testSchema.schemaName}_bus`;
      return {
        first: createPostgresJsEventBus({ sql: createClient(2), channel }),
        second: createPostgresJsEventBus({ sql: createClient(2), channel }),
      };
    },
  });

  // What a host behind PgBouncer in transaction mode runs: nothing prepared, nothing named.
  describeStoreContract('PostgreSQL through postgres-js, unprepared, on the host drizzle db', {
    createStore: ({ clock }) =>
      createPostgresJsStore({
        database: drizzle({ client: createClient(6, { prepare: false }) }),
        namedStatements: false,
        clock,
      }),
  });

  it('takes turn locks across processes on the direct connection string', async () => {
    const first = await createPostgresJsStore({ sql: createClient(2) });
    const direct = new URL(testDatabaseUrl as string);
    direct.searchParams.set('options', `-c search_path=${testSchema.schemaName}`);
    const second = await createPostgresJsStore({
      database: drizzle({ client: createClient(2) }),
      directConnectionString: direct.toString(),
      migrate: false,
    });
    const workspace = first.forWorkspace('locks-workspace');
    const agent = await workspace.agents.create({ name: 'Locks' });
    const session = await workspace.sessions.create({ agentId: agent.id });
    const release = await workspace.sessions.lockTurn(session.id);
    // Another process cannot take the lock while it is held…
    const elsewhere = second.forWorkspace('locks-workspace').sessions;
    expect(await elsewhere.tryLockTurn(session.id)).toBeNull();
    await release();
    // …and takes it once released.
    const taken = await elsewhere.tryLockTurn(session.id);
    expect(taken).not.toBeNull();
    await taken?.();
    await first.close();
    await second.close();
  });

  it('prepares no statement on a client opened with prepare: false', async () => {
    // drizzle 0.45.4 (not 0.45.2) asks postgres-js to prepare any statement Parley names,
    // whatever the client's own setting: a store on a `prepare: false` client (a host behind
    // PgBouncer) names none, on every drizzle of the range.
    const preparedFlags = (client: postgres.Sql) => {
      const flags: boolean[] = [];
      const unsafe = client.unsafe.bind(client);
      client.unsafe = ((query: string, parameters?: never[], options?: { prepare?: boolean }) => {
        flags.push(options?.prepare === true);
        return unsafe(query, parameters, options);
      }) as typeof client.unsafe;
      return flags;
    };
    const appendOnce = async (store: Awaited<ReturnType<typeof createPostgresJsStore>>) => {
      const workspace = store.forWorkspace(`prepare-${globalThis.crypto.randomUUID()}`);
      const agent = await workspace.agents.create({ name: 'Unprepared' });
      const session = await workspace.sessions.create({ agentId: agent.id });
      await workspace.events.append(session.id, [
        { kind: 'message', source: 'customer', data: { text: 'hello' } },
      ]);
    };
    const unprepared = createClient(2, { prepare: false });
    const unpreparedFlags = preparedFlags(unprepared);
    await appendOnce(await createPostgresJsStore({ database: drizzle({ client: unprepared }) }));
    expect(unpreparedFlags.length).toBeGreaterThan(0);
    expect(unpreparedFlags.filter(Boolean)).toEqual([]);
  });

  it('refuses ambiguous options', async () => {
    await expect(createPostgresJsStore({})).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      createPostgresJsStore({ connectionString: testDatabaseUrl, sql: createClient(1) }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('opens and ends a client of its own from a connection string', async () => {
    const url = new URL(testDatabaseUrl as string);
    url.searchParams.set('options', `-c search_path=${testSchema.schemaName}`);
    const store = await createPostgresJsStore({ connectionString: url.toString(), migrate: false });
    const agent = await store.forWorkspace('own-client').agents.create({ name: 'Own client' });
    expect(agent.name).toBe('Own client');
    await store.close();
    const ended = store.sql as postgres.Sql;
    await expect(ended`select 1`).rejects.toThrow();
  });
});
