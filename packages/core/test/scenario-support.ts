import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import type { TurnOutcome } from '../src/engine/run-turn';
import { createPgliteStore } from '../src/pglite/create-pglite-store';
import { createPostgresStore } from '../src/postgres/create-postgres-store';
import { createPostgresJsStore } from '../src/postgres-js/create-postgres-js-store';
import type { DrizzleStore, DrizzleStoreOptions } from '../src/store/create-drizzle-store';
import {
  createPostgresTestSchema,
  type PostgresTestSchema,
} from '../src/testing/create-postgres-test-schema';

/**
 * The database the scenarios run on: PGlite by default; the vitest projects
 * `scenarios-node-postgres` and `scenarios-postgres-js` (present when DATABASE_URL is set) run
 * the same files on the machine's PostgreSQL through each driver.
 */
export type ScenarioDriver = 'pglite' | 'node-postgres' | 'postgres-js';

export const scenarioDriver: ScenarioDriver =
  (process.env.PARLEY_SCENARIO_DRIVER as ScenarioDriver | undefined) ?? 'pglite';

/**
 * One store for a scenario file (a PGlite store takes seconds to start; a PostgreSQL one gets
 * a schema of its own): opened before the file's tests, closed after. Read it with `store()`
 * inside tests.
 */
export function useScenarioStore(options: DrizzleStoreOptions = {}): () => DrizzleStore {
  let store: DrizzleStore | undefined;
  let testSchema: PostgresTestSchema | undefined;
  /** The postgres-js client given to the store, which a store never ends. */
  let client: postgres.Sql | undefined;
  beforeAll(async () => {
    if (scenarioDriver === 'pglite') {
      store = await createPgliteStore(options);
      return;
    }
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error(`The ${scenarioDriver} scenarios need DATABASE_URL`);
    testSchema = await createPostgresTestSchema(url);
    if (scenarioDriver === 'node-postgres') {
      store = await createPostgresStore({ ...options, pool: testSchema.createPool(6) });
      return;
    }
    client = postgres(url, {
      max: 6,
      onnotice: () => undefined,
      connection: { search_path: testSchema.schemaName },
    });
    store = await createPostgresJsStore({ ...options, sql: client });
  });
  afterAll(async () => {
    await store?.close();
    await client?.end({ timeout: 5 });
    await testSchema?.drop();
  });
  return () => {
    if (!store) throw new Error('the scenario store is not open yet');
    return store;
  };
}

/** A workspace id no other test uses, so scenarios sharing a store never see each other. */
export const freshWorkspaceId = (): string => `workspace-${globalThis.crypto.randomUUID()}`;

/** The turn's outcome, which must be `ready`; anything else fails the test with what it was. */
export function expectReady(
  outcome: TurnOutcome | null | undefined,
): Extract<TurnOutcome, { status: 'ready' }> {
  if (outcome?.status !== 'ready')
    throw new Error(`expected a ready turn, got ${JSON.stringify(outcome)}`);
  return outcome;
}
