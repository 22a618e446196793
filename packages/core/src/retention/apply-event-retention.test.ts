import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteStore, type PgliteStore } from '../pglite/create-pglite-store';
import { createTestClock } from '../testing/test-clock';
import { applyEventRetention } from './apply-event-retention';

describe('applyEventRetention', () => {
  const clock = createTestClock({
    start: new Date('2026-01-01T00:00:00.000Z'),
    tickMilliseconds: 0,
  });
  let store: PgliteStore;
  beforeAll(async () => {
    store = await createPgliteStore({ clock });
  });
  afterAll(async () => {
    await store.close();
  });

  async function conversation(workspaceId: string) {
    const workspace = store.forWorkspace(workspaceId);
    const agent = await workspace.agents.create({ name: 'Support' });
    return workspace.sessions.create({ agentId: agent.id });
  }

  it('deletes each workspace’s events older than its own horizon', async () => {
    const shortSession = await conversation('short-memory');
    const longSession = await conversation('long-memory');
    const message = {
      kind: 'message' as const,
      source: 'customer' as const,
      data: { text: 'hello' },
    };
    clock.set(new Date('2026-01-01T00:00:00.000Z'));
    await store.forWorkspace('short-memory').events.append(shortSession.id, [message]);
    await store.forWorkspace('long-memory').events.append(longSession.id, [message]);
    clock.set(new Date('2026-03-01T00:00:00.000Z'));
    await store.forWorkspace('short-memory').events.append(shortSession.id, [message]);

    clock.set(new Date('2026-03-15T00:00:00.000Z'));
    const deleted = await applyEventRetention(
      store,
      [
        { workspaceId: 'short-memory', horizonDays: 30 },
        { workspaceId: 'long-memory', horizonDays: 365 },
      ],
      { clock },
    );
    expect(deleted).toEqual({ 'short-memory': 1, 'long-memory': 0 });
    const remaining = await store.forWorkspace('short-memory').events.list(shortSession.id);
    expect(remaining.map((event) => event.offset)).toEqual([1]);
    expect(await store.forWorkspace('long-memory').events.list(longSession.id)).toHaveLength(1);
  });

  it('rejects a policy without a positive horizon', async () => {
    await expect(
      applyEventRetention(store, [{ workspaceId: 'w', horizonDays: 0 }]),
    ).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});
