import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../domain/event';
import { caught, type StoreContractContext, seedAgent } from './contract-context';

const message = (text: string): EventInput => ({
  kind: 'message',
  source: 'customer',
  data: { text },
});

/** What the engine needs from the store between and during turns. */
export function registerTurnCases(context: StoreContractContext): void {
  describe('turn support', () => {
    it('keeps the turn state the engine writes', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({ agentId: agent.id });
      expect(session.turnState).toEqual({});
      const updated = await workspace.sessions.setTurnState(session.id, {
        journey: { journeyId: 'journey-1', stateKey: 'ask_date' },
        appliedGuidelineIds: ['guideline-1'],
      });
      expect(updated.turnState).toEqual({
        journey: { journeyId: 'journey-1', stateKey: 'ask_date' },
        appliedGuidelineIds: ['guideline-1'],
      });
      expect((await workspace.sessions.get(session.id)).turnState).toEqual(updated.turnState);
      const invalid = await caught(() =>
        workspace.sessions.setTurnState(session.id, { journey: { journeyId: '', stateKey: 'x' } }),
      );
      expect(invalid.code).toBe('validation_failed');
      const foreign = context.freshWorkspace();
      expect((await caught(() => foreign.sessions.setTurnState(session.id, {}))).code).toBe(
        'not_found',
      );
    });

    it('serializes turns of one session across stores, not of different sessions', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const first = await workspace.sessions.create({ agentId: agent.id });
      const second = await workspace.sessions.create({ agentId: agent.id });
      const other = context.secondStore().forWorkspace(workspace.workspaceId);

      const order: string[] = [];
      const releaseFirst = await workspace.sessions.lockTurn(first.id);
      order.push('first locked');
      const waiting = other.sessions.lockTurn(first.id).then((release) => {
        order.push('second locked');
        return release;
      });
      // Another session's lock is independent: it is granted while the first is held.
      const releaseOtherSession = await other.sessions.lockTurn(second.id);
      order.push('other session locked');
      await releaseOtherSession();
      // Give the waiter every chance to (wrongly) get in before the release.
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('first releasing');
      await releaseFirst();
      const releaseSecond = await waiting;
      await releaseSecond();
      await releaseSecond();
      expect(order).toEqual([
        'first locked',
        'other session locked',
        'first releasing',
        'second locked',
      ]);
      expect((await caught(() => workspace.sessions.lockTurn(''))).code).toBe('not_found');
    });

    it('takes a free turn lock without waiting, and refuses a held one from any store', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({ agentId: agent.id });
      const other = context.secondStore().forWorkspace(workspace.workspaceId);

      const held = await workspace.sessions.lockTurn(session.id);
      expect(await other.sessions.tryLockTurn(session.id)).toBeNull();
      expect(await workspace.sessions.tryLockTurn(session.id)).toBeNull();
      await held();
      const taken = await other.sessions.tryLockTurn(session.id);
      expect(taken).toBeTypeOf('function');
      // While the try-lock holds it, a waiting lock waits.
      let granted = false;
      const waiting = workspace.sessions.lockTurn(session.id).then((release) => {
        granted = true;
        return release;
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(granted).toBe(false);
      await taken?.();
      await (await waiting)();
      expect((await caught(() => workspace.sessions.tryLockTurn(''))).code).toBe('not_found');
    });

    it('lists the newest events, oldest first, optionally by kind', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({ agentId: agent.id });
      for (let index = 0; index < 6; index += 1) {
        await workspace.events.append(session.id, [
          message(`message ${index}`),
          { kind: 'status', source: 'ai_agent', data: { status: 'ready' } },
        ]);
      }
      const latest = await workspace.events.listLatest(session.id, { limit: 3 });
      expect(latest.map((event) => event.offset)).toEqual([9, 10, 11]);
      const messages = await workspace.events.listLatest(session.id, {
        kinds: ['message'],
        limit: 2,
      });
      expect(messages.map((event) => event.offset)).toEqual([8, 10]);
      expect((await caught(() => workspace.events.listLatest('missing'))).code).toBe('not_found');
      const foreign = context.freshWorkspace();
      expect((await caught(() => foreign.events.listLatest(session.id))).code).toBe('not_found');
    });

    it('reads a turn snapshot: session, catalog revision and latest history, in one go', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({ agentId: agent.id });
      for (let index = 0; index < 4; index += 1) {
        await workspace.events.append(session.id, [
          message(`message ${index}`),
          { kind: 'status', source: 'ai_agent', data: { status: 'ready' } },
          {
            kind: 'tool',
            source: 'ai_agent',
            data: { calls: [{ toolName: 'lookup', arguments: { index } }] },
          },
        ]);
      }
      const snapshot = await workspace.sessions.readTurnSnapshot(session.id, { historyLimit: 5 });
      expect(snapshot.session).toEqual(await workspace.sessions.get(session.id));
      expect(snapshot.catalogRevision).toBe(await workspace.agents.catalogRevision(agent.id));
      expect(snapshot.history.map((event) => `${event.offset}:${event.kind}`)).toEqual([
        '5:tool',
        '6:message',
        '8:tool',
        '9:message',
        '11:tool',
      ]);
      expect(snapshot.history).toEqual(
        (await workspace.events.list(session.id)).filter(
          (event) => event.offset >= 5 && event.kind !== 'status',
        ),
      );
      await workspace.guidelines.create({ agentId: agent.id, condition: 'changed' });
      const after = await workspace.sessions.readTurnSnapshot(session.id, { historyLimit: 5 });
      expect(after.catalogRevision).not.toBe(snapshot.catalogRevision);
      expect(
        (
          await caught(() =>
            context.freshWorkspace().sessions.readTurnSnapshot(session.id, { historyLimit: 5 }),
          )
        ).code,
      ).toBe('not_found');
    });

    it('records the turn state with the events that end a turn, atomically', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({ agentId: agent.id });
      const turnState = {
        journey: { journeyId: 'journey-1', stateKey: 'confirm' },
        appliedGuidelineIds: ['g-1'],
      };
      await workspace.events.append(session.id, [message('reply')], { turnState });
      expect((await workspace.sessions.get(session.id)).turnState).toEqual(turnState);
      await workspace.events.append(session.id, [message('no state this time')]);
      expect((await workspace.sessions.get(session.id)).turnState).toEqual(turnState);
      const failed = await caught(() =>
        workspace.events.append(session.id, [message('')], {
          turnState: { appliedGuidelineIds: [] },
        }),
      );
      expect(failed.code).toBe('validation_failed');
      expect((await workspace.sessions.get(session.id)).turnState).toEqual(turnState);
    });

    it('stores an event under the id its caller chose', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({ agentId: agent.id });
      const id = `reply-${globalThis.crypto.randomUUID()}`;
      const [reply] = await workspace.events.append(session.id, [
        { id, kind: 'message', source: 'ai_agent', data: { text: 'Hello' } },
      ]);
      expect(reply?.id).toBe(id);
      expect((await workspace.events.get(id)).data).toEqual({ text: 'Hello' });
      const again = await caught(() =>
        workspace.events.append(session.id, [
          { id, kind: 'message', source: 'ai_agent', data: { text: 'Hi' } },
        ]),
      );
      expect(again.code).toBe('conflict');
      expect(offsetsAfter(await workspace.events.list(session.id))).toEqual([0]);
    });
  });
}

const offsetsAfter = (events: Array<{ offset: number }>) => events.map((event) => event.offset);
