import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { describeStoreContract } from '../testing/store-contract/describe-store-contract';
import { createPostgresStore } from './create-postgres-store';
import { createPostgresEventBus } from './postgres-event-bus';

describe.skipIf(!testDatabaseUrl)('PostgreSQL store (needs DATABASE_URL)', () => {
  let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;

  beforeAll(async () => {
    testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
  });
  afterAll(async () => {
    await testSchema?.drop();
  });

  describeStoreContract('PostgreSQL (two pools)', {
    // Two pools stand for two processes sharing one database.
    createStore: ({ clock }) => createPostgresStore({ pool: testSchema.createPool(), clock }),
    createSecondStore: ({ clock }) => createPostgresStore({ pool: testSchema.createPool(), clock }),
    createEventBuses: async () => {
      const channel = `${testSchema.schemaName}_bus`;
      return {
        first: createPostgresEventBus({ pool: testSchema.createPool(2), channel }),
        second: createPostgresEventBus({ pool: testSchema.createPool(2), channel }),
      };
    },
  });

  // Behind a pooler that cannot keep prepared statements, every statement is sent unnamed.
  describeStoreContract('PostgreSQL without named statements', {
    createStore: ({ clock }) =>
      createPostgresStore({ pool: testSchema.createPool(), clock, namedStatements: false }),
  });

  it('uses a drizzle database or transaction the host passes in', async () => {
    const host = drizzle({ client: testSchema.createPool(2) });
    const store = await createPostgresStore({ database: host });
    const workspace = store.forWorkspace('host-workspace');
    await expect(
      host.transaction(async (transaction) => {
        const inTransaction = await createPostgresStore({ database: transaction, migrate: false });
        await inTransaction.forWorkspace('host-workspace').agents.create({ name: 'Rolled back' });
        throw new Error('the host aborts its transaction');
      }),
    ).rejects.toThrow('the host aborts');
    expect((await workspace.agents.list()).items).toEqual([]);
    await store.close();
  });

  it('refuses ambiguous options', async () => {
    await expect(createPostgresStore({})).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      createPostgresStore({ connectionString: testDatabaseUrl, pool: testSchema.createPool(1) }),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
