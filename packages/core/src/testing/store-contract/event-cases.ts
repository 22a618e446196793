import { describe, expect, it } from 'vitest';
import type { EventInput, ParleyEvent } from '../../domain/event';
import type { BusMessage, BusResync } from '../../ports/event-bus';
import type { WorkspaceStore } from '../../ports/store';
import { caught, type StoreContractContext, seedAgent } from './contract-context';

const customerMessage = (text: string, clientMessageId?: string): EventInput => ({
  kind: 'message',
  source: 'customer',
  data: clientMessageId ? { text, clientMessageId } : { text },
});

async function seedSession(workspace: WorkspaceStore) {
  const agent = await seedAgent(workspace);
  return workspace.sessions.create({ agentId: agent.id });
}

const offsetsOf = (events: ParleyEvent[]) => events.map((event) => event.offset);
const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** The append-only event log: offsets, listing, idempotency, search, retention, concurrency. */
export function registerEventCases(
  context: StoreContractContext,
  options: { withEventBuses: boolean },
): void {
  describe('events', () => {
    it('appends events with gapless offsets from 0 and one trace per append', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      const first = await workspace.events.append(session.id, [customerMessage('hello')]);
      const second = await workspace.events.append(session.id, [
        { kind: 'status', source: 'ai_agent', data: { status: 'acknowledged' } },
        {
          kind: 'status',
          source: 'ai_agent',
          data: { status: 'processing', stage: 'guideline_matching' },
        },
        {
          kind: 'tool',
          source: 'ai_agent',
          traceId: 'trace-1',
          data: { calls: [{ toolName: 'lookup', arguments: { id: 1 }, result: { ok: true } }] },
        },
        {
          kind: 'custom',
          source: 'system',
          data: { type: 'note', payload: { nested: [1, 'two'] } },
        },
      ]);
      expect(offsetsOf(first)).toEqual([0]);
      expect(offsetsOf(second)).toEqual([1, 2, 3, 4]);
      expect(first[0]).toMatchObject({
        kind: 'message',
        source: 'customer',
        sessionId: session.id,
        workspaceId: workspace.workspaceId,
      });
      expect(first[0]?.data).toEqual({ text: 'hello' });
      expect(second[0]?.traceId).toBe(second[1]?.traceId);
      expect(second[2]?.traceId).toBe('trace-1');
      expect(second[3]?.data).toEqual({ type: 'note', payload: { nested: [1, 'two'] } });
      expect((await workspace.sessions.get(session.id)).lastOffset).toBe(4);
      expect(await workspace.events.list(session.id)).toEqual([...first, ...second]);
    });

    it('lists after an offset, by kind and with a limit', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      for (let index = 0; index < 10; index += 1) {
        await workspace.events.append(session.id, [
          customerMessage(`message ${index}`),
          { kind: 'status', source: 'ai_agent', data: { status: 'ready' } },
        ]);
      }
      expect(offsetsOf(await workspace.events.list(session.id, { after: 14 }))).toEqual([
        15, 16, 17, 18, 19,
      ]);
      expect(offsetsOf(await workspace.events.list(session.id, { after: 3, limit: 4 }))).toEqual([
        4, 5, 6, 7,
      ]);
      expect(
        offsetsOf(await workspace.events.list(session.id, { after: 11, kinds: ['message'] })),
      ).toEqual([12, 14, 16, 18]);
      expect(await workspace.events.list(session.id, { after: 19 })).toEqual([]);
      const badLimit = await caught(() => workspace.events.list(session.id, { limit: 0 }));
      expect(badLimit.code).toBe('validation_failed');
      expect(badLimit.message).toContain('limit');
      expect((await caught(() => workspace.events.list('missing'))).code).toBe('not_found');
    });

    it('validates every event of an append and writes none when one is invalid', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      await workspace.events.append(session.id, [customerMessage('first')]);
      const error = await caught(() =>
        workspace.events.append(session.id, [
          customerMessage('fine'),
          { kind: 'message', source: 'customer', data: { text: '' } },
          { kind: 'status', source: 'robot' as never, data: { status: 'ready' } },
        ]),
      );
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('1.data.text');
      expect(error.message).toContain('2.source');
      expect((await caught(() => workspace.events.append(session.id, []))).code).toBe(
        'validation_failed',
      );
      expect(
        (
          await caught(() =>
            workspace.events.append(session.id, [customerMessage('x'.repeat(10_001))]),
          )
        ).code,
      ).toBe('validation_failed');
      const next = await workspace.events.append(session.id, [customerMessage('second')]);
      expect(offsetsOf(next)).toEqual([1]);
    });

    it('treats a repeated clientMessageId as the same message: conflict, no gap, found by id', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      const [sent] = await workspace.events.append(session.id, [
        customerMessage('pay my bill', 'client-1'),
      ]);
      const repeat = await caught(() =>
        workspace.events.append(session.id, [customerMessage('pay my bill', 'client-1')]),
      );
      expect(repeat.code).toBe('conflict');
      expect(repeat.message).toContain('clientMessageId');
      const inOneBatch = await caught(() =>
        workspace.events.append(session.id, [
          customerMessage('a', 'client-2'),
          customerMessage('b', 'client-2'),
        ]),
      );
      expect(inOneBatch.code).toBe('conflict');
      expect(await workspace.events.findByClientMessageId(session.id, 'client-1')).toEqual(sent);
      expect(await workspace.events.findByClientMessageId(session.id, 'client-2')).toBeNull();
      const next = await workspace.events.append(session.id, [customerMessage('next', 'client-2')]);
      expect(offsetsOf(next)).toEqual([1]);
      // The same client id in another session is another message.
      const other = await seedSession(workspace);
      expect(
        offsetsOf(
          await workspace.events.append(other.id, [customerMessage('pay my bill', 'client-1')]),
        ),
      ).toEqual([0]);
    });

    it('refuses appends to an archived session', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      await workspace.sessions.archive(session.id);
      expect(
        (await caught(() => workspace.events.append(session.id, [customerMessage('hi')]))).code,
      ).toBe('not_found');
    });

    it('keeps offsets gapless and unique under 50 concurrent appends from two stores', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      const stores = [context.store(), context.secondStore()];
      const appended = await Promise.all(
        range(50).map((index) =>
          (stores[index % 2] ?? context.store())
            .forWorkspace(workspace.workspaceId)
            .events.append(session.id, [
              customerMessage(`concurrent ${index}`, `concurrent-${index}`),
            ]),
        ),
      );
      const offsets = appended
        .flat()
        .map((event) => event.offset)
        .sort((left, right) => left - right);
      expect(offsets).toEqual(range(50));
      const listed = await workspace.events.list(session.id, { limit: 1000 });
      expect(offsetsOf(listed)).toEqual(range(50));
      expect(new Set(listed.map((event) => (event.data as { text: string }).text)).size).toBe(50);
      expect((await workspace.sessions.get(session.id)).lastOffset).toBe(49);
    });

    it('keeps concurrent multi-event appends contiguous', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      const stores = [context.store(), context.secondStore()];
      const batches = await Promise.all(
        range(10).map((index) =>
          (stores[index % 2] ?? context.store())
            .forWorkspace(workspace.workspaceId)
            .events.append(session.id, [
              customerMessage(`a${index}`),
              customerMessage(`b${index}`),
              customerMessage(`c${index}`),
            ]),
        ),
      );
      for (const batch of batches) {
        const [first] = offsetsOf(batch);
        expect(offsetsOf(batch)).toEqual([first, (first ?? 0) + 1, (first ?? 0) + 2]);
      }
      expect(offsetsOf(await workspace.events.list(session.id))).toEqual(range(30));
    });

    it('fails only the bad append among concurrent appends to many sessions', async () => {
      const workspace = context.freshWorkspace();
      const sessions = await Promise.all(range(8).map(() => seedSession(workspace)));
      await workspace.events.append(sessions[0]?.id ?? '', [customerMessage('first', 'repeat-me')]);
      const outcomes = await Promise.allSettled([
        ...sessions.map((session, index) =>
          workspace.events.append(session.id, [customerMessage(`hello ${index}`)]),
        ),
        workspace.events.append(sessions[0]?.id ?? '', [customerMessage('again', 'repeat-me')]),
        workspace.events.append('missing-session', [customerMessage('lost')]),
      ]);
      const reasons = outcomes.map((outcome) =>
        outcome.status === 'fulfilled' ? 'ok' : (outcome.reason as { code: string }).code,
      );
      expect(reasons).toEqual([...range(8).map(() => 'ok'), 'conflict', 'not_found']);
      const firstSession = await workspace.events.list(sessions[0]?.id ?? '');
      expect(offsetsOf(firstSession)).toEqual([0, 1]);
      for (const session of sessions.slice(1)) {
        expect(offsetsOf(await workspace.events.list(session.id))).toEqual([0]);
      }
    });

    it('commits or rolls back appends with the transaction they are made in', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      const aborted = await caught(() =>
        context.store().transaction(async (transaction) => {
          const inside = transaction.forWorkspace(workspace.workspaceId);
          await inside.agents.create({ name: 'Created then rolled back' });
          const appended = await inside.events.append(session.id, [customerMessage('never seen')]);
          expect(offsetsOf(appended)).toEqual([0]);
          throw new Error('abort the transaction');
        }),
      );
      expect(aborted.message).toBe('abort the transaction');
      expect(await workspace.events.list(session.id)).toEqual([]);
      expect((await workspace.agents.list()).items.map((agent) => agent.name)).not.toContain(
        'Created then rolled back',
      );

      const committed = await context.store().transaction(async (transaction) => {
        const inside = transaction.forWorkspace(workspace.workspaceId);
        const first = await inside.events.append(session.id, [customerMessage('one')]);
        const second = await inside.events.append(session.id, [customerMessage('two')]);
        return [...first, ...second];
      });
      expect(offsetsOf(committed)).toEqual([0, 1]);
      expect(await workspace.events.list(session.id)).toEqual(committed);
    });

    it('finds messages by full-text search, newest first, filtered by session and agent', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const other = await seedAgent(workspace);
      const first = await workspace.sessions.create({ agentId: agent.id });
      const second = await workspace.sessions.create({ agentId: other.id });
      await workspace.events.append(first.id, [
        customerMessage('My card was declined at the shop'),
      ]);
      await workspace.events.append(second.id, [customerMessage('The card arrived, thanks')]);
      await workspace.events.append(first.id, [
        { kind: 'custom', source: 'system', data: { type: 'card', payload: 'card card card' } },
      ]);
      const all = await workspace.events.search({ query: 'card' });
      expect(all.map((event) => (event.data as { text: string }).text)).toEqual([
        'The card arrived, thanks',
        'My card was declined at the shop',
      ]);
      expect((await workspace.events.search({ query: 'card', sessionId: first.id })).length).toBe(
        1,
      );
      expect((await workspace.events.search({ query: 'card', agentId: other.id })).length).toBe(1);
      expect(await workspace.events.search({ query: 'declined shop' })).toHaveLength(1);
      expect(await workspace.events.search({ query: "'; drop table events; --" })).toEqual([]);
      expect((await caught(() => workspace.events.search({ query: ' ' }))).code).toBe(
        'validation_failed',
      );
    });

    it('deletes events older than a retention horizon, keeping offsets of the rest', async () => {
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      context.clock.set(new Date('2026-02-01T00:00:00.000Z'));
      await workspace.events.append(session.id, [
        customerMessage('old 1'),
        customerMessage('old 2'),
      ]);
      context.clock.set(new Date('2026-06-01T00:00:00.000Z'));
      await workspace.events.append(session.id, [customerMessage('recent')]);
      expect(await workspace.events.deleteCreatedBefore(new Date('2026-05-01T00:00:00.000Z'))).toBe(
        2,
      );
      const remaining = await workspace.events.list(session.id);
      expect(offsetsOf(remaining)).toEqual([2]);
      expect(
        offsetsOf(await workspace.events.append(session.id, [customerMessage('after')])),
      ).toEqual([3]);
    });
  });

  // Registered only for implementations that come with an event bus pair (see the factory).
  if (!options.withEventBuses) return;
  describe('event notification', () => {
    it('wakes a subscriber on another bus when an append is published, and it reads the new events', async () => {
      const buses = context.eventBuses();
      if (!buses) throw new Error('the factory declared event buses but created none');
      const workspace = context.freshWorkspace();
      const session = await seedSession(workspace);
      const received: Array<BusMessage | BusResync> = [];
      let wake: () => void = () => undefined;
      const woken = new Promise<void>((resolve) => {
        wake = resolve;
      });
      const unsubscribe = await buses.second.subscribe(session.id, (message) => {
        received.push(message);
        wake();
      });
      const appended = await context
        .store()
        .forWorkspace(workspace.workspaceId)
        .events.append(session.id, [customerMessage('ping')]);
      const lastOffset = appended.at(-1)?.offset ?? -1;
      await buses.first.publish({
        type: 'events-appended',
        workspaceId: workspace.workspaceId,
        sessionId: session.id,
        lastOffset,
      });
      await woken;
      expect(received).toEqual([
        {
          type: 'events-appended',
          workspaceId: workspace.workspaceId,
          sessionId: session.id,
          lastOffset: 0,
        },
      ]);
      const seen = await context
        .secondStore()
        .forWorkspace(workspace.workspaceId)
        .events.list(session.id, { after: -1 });
      expect(seen).toEqual(appended);
      await unsubscribe();
    });
  });
}
