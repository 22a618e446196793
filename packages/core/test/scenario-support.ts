import { afterAll, beforeAll } from 'vitest';
import type { TurnOutcome } from '../src/engine/run-turn';
import {
  createPgliteStore,
  type PgliteStore,
  type PgliteStoreOptions,
} from '../src/pglite/create-pglite-store';

/**
 * One in-memory PGlite store for a scenario file (starting one takes seconds): opened before
 * the file's tests, closed after. Read it with `store()` inside tests.
 */
export function useScenarioStore(options: PgliteStoreOptions = {}): () => PgliteStore {
  let store: PgliteStore | undefined;
  beforeAll(async () => {
    store = await createPgliteStore(options);
  });
  afterAll(async () => {
    await store?.close();
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
