import { PGlite } from '@electric-sql/pglite';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteStore } from '../pglite/create-pglite-store';
import type { Store } from '../ports/store';
import { createPostgresStore } from '../postgres/create-postgres-store';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { describeStoreContract } from '../testing/store-contract/describe-store-contract';
import { type AnyPgDatabase, executeRows } from './any-pg-database';
import { createParleySchema, type ParleySchema } from './create-parley-schema';
import { migrate } from './migrate';
import { readMigrations } from './read-migrations';
import { shippedMigrationsFolder } from './test-support/copy-migrations';
import { emptyDatabase } from './test-support/empty-database';
import { expectWorkingHostStore } from './test-support/expect-working-host-store';
import { readParleyCatalog } from './test-support/read-parley-catalog';
import { user, workspace } from './test-support/sim-host-tables';

const simSchema = () =>
  createParleySchema({
    prefix: 'sim_parley_',
    references: { workspace: () => workspace.id, user: () => user.id },
  });

/** The host's tables and Parley's, as the host's drizzle-kit creates them: no routines. */
async function createHostTables(database: AnyPgDatabase, schema: ParleySchema): Promise<void> {
  const statements = await generateMigration(
    generateDrizzleJson({}),
    generateDrizzleJson({ user, workspace, ...schema }),
  );
  for (const statement of statements) {
    // drizzle-kit qualifies foreign-key targets with "public"; the PostgreSQL tests run in a
    // schema of their own, first on the search path.
    await database.execute(sql.raw(statement.replaceAll('"public".', '')));
  }
}

/** The routines' part of a catalog, with one prefix renamed to another. */
async function readRoutines(database: AnyPgDatabase, prefix: string) {
  const { functions, triggers } = await readParleyCatalog(database, prefix);
  const rename = (definition: string) => definition.replaceAll(prefix, 'parley_');
  return { functions: functions.map(rename).sort(), triggers: triggers.map(rename).sort() };
}

/** A database to run one test on, and a store on it with the given schema. */
interface HostDatabase {
  database: AnyPgDatabase;
  openStore(
    schema: ParleySchema,
    options?: { databaseRoutines?: 'shipped' | 'none' },
  ): Promise<Store>;
}

function describeHostRoutines(name: string, open: () => Promise<HostDatabase>) {
  describe(`migrate(db, { schema }) for a host schema on ${name}`, () => {
    it("applies the routines named for the prefix, once, in Parley's ledger, creating no table", async () => {
      const { database } = await open();
      const schema = simSchema();
      await createHostTables(database, schema);
      expect(await migrate(database, { schema })).toEqual({
        applied: ['routines:sim_parley_'],
        alreadyApplied: [],
      });
      expect(await migrate(database, { schema })).toEqual({
        applied: [],
        alreadyApplied: ['routines:sim_parley_'],
      });
      const routines = await readRoutines(database, 'sim_parley_');
      expect(routines.functions).toHaveLength(5);
      expect(routines.triggers).toHaveLength(42);
      // Nothing of the standalone tables: only Parley's ledger.
      const standalone = await readParleyCatalog(database, 'parley_');
      expect(standalone.functions).toEqual([]);
      expect(new Set(standalone.columns.map((column) => column.split('.')[0]))).toEqual(
        new Set(['parley_migrations']),
      );
      const ledger = await executeRows(database, sql`select tag from parley_migrations`);
      expect(ledger.map((row) => row.tag)).toEqual(['routines:sim_parley_']);
    });

    it('produces exactly the functions and triggers of the shipped migrations', async () => {
      const { database } = await open();
      await migrate(database);
      const shipped = await readRoutines(database, 'parley_');
      expect(shipped.triggers).toHaveLength(42);
      // Another prefix beside the standalone tables: the same routines, renamed.
      const schema = simSchema();
      await createHostTables(database, schema);
      await migrate(database, { schema });
      expect(await readRoutines(database, 'sim_parley_')).toEqual(shipped);
      // The default prefix, tables made by drizzle-kit: the very routines the shipped
      // migrations make.
      await emptyDatabaseOrSchema(database);
      const defaultPrefix = createParleySchema({
        references: { workspace: () => workspace.id, user: () => user.id },
      });
      await createHostTables(database, defaultPrefix);
      await migrate(database, { schema: defaultPrefix });
      expect(await readRoutines(database, 'parley_')).toEqual(shipped);
    });

    it('applies them again when Parley changed one, or when a push dropped one', async () => {
      const { database } = await open();
      const schema = simSchema();
      await createHostTables(database, schema);
      await migrate(database, { schema });
      const current = await readRoutines(database, 'sim_parley_');

      // An older Parley's append function (0001's), recorded with an older hash.
      const [older] = readMigrations(shippedMigrationsFolder)[1]?.statements ?? [];
      await database.execute(sql.raw((older as string).replaceAll('parley_', 'sim_parley_')));
      await database.execute(
        sql`update parley_migrations set hash = 'older' where tag = 'routines:sim_parley_'`,
      );
      expect(await readRoutines(database, 'sim_parley_')).not.toEqual(current);
      expect((await migrate(database, { schema })).applied).toEqual(['routines:sim_parley_']);
      expect(await readRoutines(database, 'sim_parley_')).toEqual(current);

      // The same function body, ledger current, but a trigger gone (a rebuilt table).
      await database.execute(
        sql`drop trigger sim_parley_term_catalog_insert_trigger on sim_parley_term`,
      );
      expect((await migrate(database, { schema })).applied).toEqual(['routines:sim_parley_']);
      expect(await readRoutines(database, 'sim_parley_')).toEqual(current);

      // Only the ledger's hash differs: a trigger Parley redefined in place.
      await database.execute(
        sql`update parley_migrations set hash = 'older' where tag = 'routines:sim_parley_'`,
      );
      expect((await migrate(database, { schema })).applied).toEqual(['routines:sim_parley_']);
      const [row] = await executeRows(
        database,
        sql`select hash from parley_migrations where tag = 'routines:sim_parley_'`,
      );
      expect(row?.hash).not.toBe('older');
    });

    it("says what to run when the host's tables are missing or older than Parley", async () => {
      const { database } = await open();
      const schema = simSchema();
      await createHostTables(database, schema);
      await database.execute(sql`drop table sim_parley_term`);
      await database.execute(sql`alter table sim_parley_session drop column turn_state`);
      const error = await migrate(database, { schema }).catch((caught) => caught);
      expect(error).toMatchObject({
        code: 'internal',
        reason: 'schema_out_of_date',
        details: {
          missingTables: ['sim_parley_term'],
          missingColumns: ['sim_parley_session.turn_state'],
        },
      });
      expect(String(error.message)).toContain('parley-schema');
      expect(String(error.message)).toContain('drizzle-kit generate');
      // Nothing was applied: the transaction, ledger included, rolled back.
      expect((await readRoutines(database, 'sim_parley_')).functions).toEqual([]);
      const [ledger] = await executeRows(
        database,
        sql`select to_regclass('parley_migrations') is null as absent`,
      );
      expect(ledger?.absent).toBe(true);
    });

    it('refuses to create the standalone tables over tables a host made with its prefix', async () => {
      const { database } = await open();
      await createHostTables(
        database,
        createParleySchema({ references: { workspace: () => workspace.id, user: () => user.id } }),
      );
      await expect(migrate(database)).rejects.toMatchObject({
        code: 'internal',
        reason: 'tables_without_ledger',
      });
    });

    it('gives a store the routines: it finds them, calls the prefixed function, reads the counter', async () => {
      const { database, openStore } = await open();
      const schema = simSchema();
      await createHostTables(database, schema);

      // Before migrate: no routines, so the store appends by statement and fingerprints rows.
      await database.execute(
        sql`insert into "user" (id, name, email) values ('user-x', 'X', 'x@example.com')`,
      );
      await database.execute(
        sql`insert into workspace (id, name, owner_id) values ('workspace-x', 'X', 'user-x')`,
      );
      const before = await openStore(schema);
      const early = before.forWorkspace('workspace-x');
      const earlyAgent = await early.agents.create({ name: 'Early' });
      const earlySession = await early.sessions.create({ agentId: earlyAgent.id });
      const [earlyEvent] = await early.events.append(earlySession.id, [
        { kind: 'message', source: 'customer', data: { text: 'before the routines' } },
      ]);
      expect(earlyEvent?.offset).toBe(0);
      expect(await early.agents.catalogRevision(earlyAgent.id)).not.toMatch(/^\d+:/);
      await before.close();

      await migrate(database, { schema });
      const store = await openStore(schema);
      await expectWorkingHostStore(database, schema, store);

      // The store calls sim_parley_append_events: without it, appends fail.
      await database.execute(
        sql`insert into workspace (id, name, owner_id) values ('workspace-3', 'Three', 'user-owner')`,
      );
      const tenant = store.forWorkspace('workspace-3');
      const third = await tenant.agents.create({ name: 'Third' });
      const session = await tenant.sessions.create({ agentId: third.id });
      await database.execute(sql`drop function sim_parley_append_events`);
      const failed = await tenant.events
        .append(session.id, [{ kind: 'message', source: 'customer', data: { text: 'x' } }])
        .catch((error) => error);
      expect(failed).toBeInstanceOf(Error);
      expect(
        JSON.stringify(failed, Object.getOwnPropertyNames(failed)) + String(failed.cause),
      ).toContain('sim_parley_append_events');
      await store.close();

      // `none` still opts out: the statement appends, revisions fingerprint the rows.
      const optedOut = await openStore(schema, { databaseRoutines: 'none' });
      const events = await optedOut
        .forWorkspace('workspace-3')
        .events.append(session.id, [{ kind: 'message', source: 'customer', data: { text: 'y' } }]);
      expect(events[0]?.offset).toBe(0);
      expect(
        await optedOut.forWorkspace('workspace-3').agents.catalogRevision(third.id),
      ).not.toMatch(/^\d+:/);
      await optedOut.close();
    });
  });
}

/** Set by each driver's block: how to empty the database a test is using. */
let emptyDatabaseOrSchema: (database: AnyPgDatabase) => Promise<void> = emptyDatabase;

describe('on PGlite', () => {
  const client = new PGlite();
  afterAll(() => client.close());
  describeHostRoutines('PGlite', async () => {
    emptyDatabaseOrSchema = emptyDatabase;
    const database = drizzle({ client });
    await emptyDatabase(database);
    return {
      database,
      openStore: (schema, options) =>
        createPgliteStore({ client, schema, migrate: false, ...options }),
    };
  });
});

describe.skipIf(!testDatabaseUrl)('on PostgreSQL (needs DATABASE_URL)', () => {
  const testSchemas: Array<Awaited<ReturnType<typeof createPostgresTestSchema>>> = [];
  afterAll(async () => {
    await Promise.all(testSchemas.map((testSchema) => testSchema.drop()));
  });
  const openSchema = async () => {
    const testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
    testSchemas.push(testSchema);
    return testSchema;
  };
  describeHostRoutines('PostgreSQL', async () => {
    const testSchema = await openSchema();
    const pool = testSchema.createPool(4);
    emptyDatabaseOrSchema = async (database) => {
      await database.execute(sql.raw(`drop schema ${testSchema.schemaName} cascade`));
      await database.execute(sql.raw(`create schema ${testSchema.schemaName}`));
    };
    return {
      database: drizzleNodePostgres({ client: pool }),
      openStore: (schema, options) =>
        createPostgresStore({ pool, schema, migrate: false, ...options }),
    };
  });

  it('applies the routines exactly once under concurrent starts', async () => {
    const testSchema = await openSchema();
    const schema = simSchema();
    const databases = [1, 2, 3].map(() =>
      drizzleNodePostgres({ client: testSchema.createPool(2) }),
    );
    await createHostTables(databases[0] as AnyPgDatabase, schema);
    const results = await Promise.all(databases.map((database) => migrate(database, { schema })));
    expect(results.flatMap((result) => result.applied)).toEqual(['routines:sim_parley_']);
  });
});

// The whole store contract on a host schema whose routines came from migrate(db, { schema }):
// the prefixed routines behave as the shipped ones. Without references, since the contract
// makes up workspace ids.
const contractSchema = createParleySchema({ prefix: 'host_' });

describeStoreContract('PGlite, a host schema with its routines from migrate()', {
  createStore: async ({ clock }) => {
    const client = new PGlite();
    const database = drizzle({ client });
    const statements = await generateMigration(
      generateDrizzleJson({}),
      generateDrizzleJson(contractSchema),
    );
    for (const statement of statements) await database.execute(sql.raw(statement));
    await migrate(database, { schema: contractSchema });
    const store = await createPgliteStore({
      client,
      clock,
      schema: contractSchema,
      migrate: false,
    });
    const closeStore = store.close.bind(store);
    return Object.assign(store, {
      close: async () => {
        await closeStore();
        await client.close();
      },
    });
  },
});

describe.skipIf(!testDatabaseUrl)(
  'store contract on PostgreSQL, host schema (needs DATABASE_URL)',
  () => {
    let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
    beforeAll(async () => {
      testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
      const database = drizzleNodePostgres({ client: testSchema.createPool(1) });
      const statements = await generateMigration(
        generateDrizzleJson({}),
        generateDrizzleJson(contractSchema),
      );
      for (const statement of statements) {
        await database.execute(sql.raw(statement.replaceAll('"public".', '')));
      }
      await migrate(database, { schema: contractSchema });
    });
    afterAll(() => testSchema?.drop());

    describeStoreContract('PostgreSQL, a host schema with its routines from migrate()', {
      createStore: ({ clock }) =>
        createPostgresStore({
          pool: testSchema.createPool(),
          clock,
          schema: contractSchema,
          migrate: false,
        }),
      createSecondStore: ({ clock }) =>
        createPostgresStore({
          pool: testSchema.createPool(),
          clock,
          schema: contractSchema,
          migrate: false,
        }),
    });
  },
);
