import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInMemoryEventBus } from '../event-bus/in-memory-event-bus';
import { describeStoreContract } from '../testing/store-contract/describe-store-contract';
import { createPgliteStore } from './create-pglite-store';

describeStoreContract('PGlite (in memory)', {
  createStore: ({ clock }) => createPgliteStore({ clock }),
  createEventBuses: async () => {
    const bus = createInMemoryEventBus();
    return { first: bus, second: bus };
  },
});

// Host schemas with another prefix lack the shipped migrations' SQL routines (the append
// function, the catalog triggers): the same contract holds without them.
describeStoreContract('PGlite (in memory), without the SQL routines', {
  createStore: ({ clock }) => createPgliteStore({ clock, databaseRoutines: 'none' }),
});

describe('PGlite store on disk', () => {
  const directories: string[] = [];
  afterAll(async () => {
    await Promise.all(
      directories.map((directory) => rm(directory, { recursive: true, force: true })),
    );
  });

  it('keeps conversations across a restart in the same directory', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'parley-pglite-'));
    directories.push(dataDir);
    const first = await createPgliteStore({ dataDir });
    const workspace = first.forWorkspace('workspace-1');
    const agent = await workspace.agents.create({ name: 'Support' });
    const session = await workspace.sessions.create({ agentId: agent.id });
    await workspace.events.append(session.id, [
      { kind: 'message', source: 'customer', data: { text: 'remember me' } },
    ]);
    await first.close();

    const second = await createPgliteStore({ dataDir });
    const events = await second.forWorkspace('workspace-1').events.list(session.id);
    expect(events.map((event) => event.data)).toEqual([{ text: 'remember me' }]);
    const appended = await second
      .forWorkspace('workspace-1')
      .events.append(session.id, [
        { kind: 'message', source: 'customer', data: { text: 'again' } },
      ]);
    expect(appended[0]?.offset).toBe(1);
    await second.close();
  }, 60_000);

  it('leaves a client it was given open', async () => {
    const owner = await createPgliteStore();
    const borrower = await createPgliteStore({ client: owner.client });
    await borrower.close();
    expect(await owner.ping()).toBeGreaterThanOrEqual(0);
    await owner.close();
  }, 60_000);
});
