import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../domain/event';
import { caught, type StoreContractContext, seedAgent } from './contract-context';

const reply = (text: string): EventInput => ({
  kind: 'message',
  source: 'ai_agent',
  data: { text },
});

const labelsOf = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) => `${prefix}-${index}`);

/** Session labels, the listing's label filter, and the labels and customer tags of guidelines and journeys. */
export function registerLabelCases(context: StoreContractContext): void {
  describe('labels', () => {
    it('labels a session on opening, replaces, adds and removes labels, each kept once', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({
        agentId: agent.id,
        labels: ['vip', ' billing ', 'vip'],
      });
      expect(session.labels).toEqual(['vip', 'billing']);
      expect((await workspace.sessions.create({ agentId: agent.id })).labels).toEqual([]);

      const replaced = await workspace.sessions.update(session.id, { labels: ['refund'] });
      expect(replaced.labels).toEqual(['refund']);
      const added = await workspace.sessions.update(session.id, {
        addLabels: ['urgent', 'refund', 'vip'],
        title: 'Refund for Ada',
      });
      expect(added).toMatchObject({ labels: ['refund', 'urgent', 'vip'], title: 'Refund for Ada' });
      const removed = await workspace.sessions.update(session.id, {
        removeLabels: ['refund', 'never-there'],
      });
      expect(removed.labels).toEqual(['urgent', 'vip']);
      expect(
        (await workspace.sessions.update(session.id, { addLabels: ['new'], removeLabels: ['vip'] }))
          .labels,
      ).toEqual(['urgent', 'new']);
      expect((await workspace.sessions.get(session.id)).labels).toEqual(['urgent', 'new']);
      expect((await workspace.sessions.update(session.id, { labels: [] })).labels).toEqual([]);
    });

    it('lists the sessions carrying every label asked for', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const vip = await workspace.sessions.create({ agentId: agent.id, labels: ['vip'] });
      const both = await workspace.sessions.create({
        agentId: agent.id,
        labels: ['refund', 'vip'],
      });
      const refund = await workspace.sessions.create({ agentId: agent.id, labels: ['refund'] });
      await workspace.sessions.create({ agentId: agent.id });
      const ids = async (labels: string[]) =>
        (await workspace.sessions.list({ labels })).items.map((session) => session.id);
      expect(await ids(['vip'])).toEqual([vip.id, both.id]);
      expect(await ids(['refund'])).toEqual([both.id, refund.id]);
      expect(await ids(['vip', 'refund'])).toEqual([both.id]);
      expect(await ids(['elsewhere'])).toEqual([]);
      expect(await ids([])).toHaveLength(4);
      // With the other filters and paging.
      await workspace.sessions.update(both.id, { status: 'closed' });
      expect(
        (await workspace.sessions.list({ labels: ['vip'], status: 'active' })).items.map(
          (session) => session.id,
        ),
      ).toEqual([vip.id]);
      const first = await workspace.sessions.list({ labels: ['refund'], limit: 1 });
      expect(first.items.map((session) => session.id)).toEqual([both.id]);
      const second = await workspace.sessions.list({
        labels: ['refund'],
        limit: 1,
        cursor: first.nextCursor ?? undefined,
      });
      expect(second.items.map((session) => session.id)).toEqual([refund.id]);
      // Another workspace's sessions never match.
      expect((await context.freshWorkspace().sessions.list({ labels: ['vip'] })).items).toEqual([]);
    });

    it('refuses labels it cannot keep, with a message naming the field, changing nothing', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({ agentId: agent.id, labels: ['vip'] });
      const empty = await caught(() => workspace.sessions.update(session.id, { labels: [''] }));
      expect(empty.code).toBe('validation_failed');
      expect(empty.message).toContain('labels.0');
      const tooMany = await caught(() =>
        workspace.sessions.update(session.id, { labels: labelsOf(51, 'l') }),
      );
      expect(tooMany.code).toBe('validation_failed');
      expect(tooMany.message).toContain('labels');
      const both = await caught(() =>
        workspace.sessions.update(session.id, { labels: ['a'], addLabels: ['b'] }),
      );
      expect(both.message).toContain('either labels');
      const addAndRemove = await caught(() =>
        workspace.sessions.update(session.id, { addLabels: ['a'], removeLabels: ['a'] }),
      );
      expect(addAndRemove.message).toContain('"a"');
      await workspace.sessions.update(session.id, { labels: labelsOf(49, 'full') });
      const overflow = await caught(() =>
        workspace.sessions.update(session.id, { addLabels: ['one', 'two'], title: 'Nope' }),
      );
      expect(overflow.code).toBe('validation_failed');
      expect(overflow.message).toContain('at most 50 labels');
      const kept = await workspace.sessions.get(session.id);
      expect(kept.labels).toEqual(labelsOf(49, 'full'));
      expect(kept.title).toBeNull();
      expect(
        (await workspace.sessions.update(session.id, { addLabels: ['one', 'full-0'] })).labels,
      ).toHaveLength(50);
      const filter = await caught(() => workspace.sessions.list({ labels: [''] }));
      expect(filter.code).toBe('validation_failed');
      expect(filter.message).toContain('labels');

      const foreign = context.freshWorkspace();
      for (const patch of [{ labels: ['x'] }, { addLabels: ['x'] }, { removeLabels: ['vip'] }]) {
        expect((await caught(() => foreign.sessions.update(session.id, patch))).code).toBe(
          'not_found',
        );
      }
      expect((await workspace.sessions.get(session.id)).labels).toHaveLength(50);
    });

    it("adds a turn's labels with its events: after the session's own, each once, at most 50", async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const session = await workspace.sessions.create({
        agentId: agent.id,
        labels: ['set-by-operator'],
      });
      await workspace.events.append(session.id, [reply('one')], {
        addLabels: ['refund', 'set-by-operator', 'refund'],
      });
      expect((await workspace.sessions.get(session.id)).labels).toEqual([
        'set-by-operator',
        'refund',
      ]);
      await workspace.events.append(session.id, [reply('two')]);
      await workspace.events.append(session.id, [reply('three')], { addLabels: [] });
      expect((await workspace.sessions.get(session.id)).labels).toEqual([
        'set-by-operator',
        'refund',
      ]);
      // With the turn state, in the same write.
      await workspace.events.append(session.id, [reply('four')], {
        turnState: { appliedGuidelineIds: ['g-1'] },
        addLabels: ['billing'],
      });
      const after = await workspace.sessions.get(session.id);
      expect(after.labels).toEqual(['set-by-operator', 'refund', 'billing']);
      expect(after.turnState).toEqual({ appliedGuidelineIds: ['g-1'] });
      expect(after.lastOffset).toBe(3);

      // Nothing is written when the events are refused.
      const refused = await caught(() =>
        workspace.events.append(session.id, [reply('')], { addLabels: ['never'] }),
      );
      expect(refused.code).toBe('validation_failed');
      const badLabel = await caught(() =>
        workspace.events.append(session.id, [reply('five')], { addLabels: [''] }),
      );
      expect(badLabel.code).toBe('validation_failed');
      expect((await workspace.sessions.get(session.id)).labels).toEqual([
        'set-by-operator',
        'refund',
        'billing',
      ]);
      expect((await workspace.events.list(session.id)).map((event) => event.offset)).toEqual([
        0, 1, 2, 3,
      ]);

      // The session's own labels come first; beyond 50, later ones are dropped.
      await workspace.events.append(session.id, [reply('six')], {
        addLabels: labelsOf(60, 'auto'),
      });
      const full = await workspace.sessions.get(session.id);
      expect(full.labels).toHaveLength(50);
      expect(full.labels.slice(0, 4)).toEqual(['set-by-operator', 'refund', 'billing', 'auto-0']);
      expect(full.labels.at(-1)).toBe('auto-46');
      expect(
        (
          await caught(() =>
            context.freshWorkspace().events.append(session.id, [reply('x')], { addLabels: ['x'] }),
          )
        ).code,
      ).toBe('not_found');
    });

    it('keeps the labels and customer tags of guidelines and journeys', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const plain = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      expect(plain).toMatchObject({ labels: [], customerTags: [] });
      const scoped = await workspace.guidelines.create({
        agentId: agent.id,
        condition: 'the customer asks for the lounge',
        labels: ['lounge'],
        customerTags: ['gold', 'platinum'],
      });
      expect(scoped).toMatchObject({ labels: ['lounge'], customerTags: ['gold', 'platinum'] });
      const updated = await workspace.guidelines.update(scoped.id, { customerTags: [] });
      expect(updated).toMatchObject({ labels: ['lounge'], customerTags: [], version: 2 });
      const invalid = await caught(() =>
        workspace.guidelines.create({ agentId: agent.id, condition: 'b', customerTags: [''] }),
      );
      expect(invalid.code).toBe('validation_failed');
      expect(invalid.message).toContain('customerTags.0');

      const journey = await workspace.journeys.create({
        agentId: agent.id,
        title: 'Upgrade',
        conditions: ['the customer wants an upgrade'],
        initialState: 'ask',
        states: [
          { key: 'ask', kind: 'chat', action: 'Ask which seat' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [{ from: 'ask', to: 'done' }],
        labels: ['upgrade'],
        customerTags: ['gold'],
      });
      expect(journey).toMatchObject({ labels: ['upgrade'], customerTags: ['gold'] });
      expect(await workspace.journeys.get(journey.id)).toMatchObject({
        labels: ['upgrade'],
        customerTags: ['gold'],
      });
      const patched = await workspace.journeys.update(journey.id, { labels: ['seat'] });
      expect(patched).toMatchObject({ labels: ['seat'], customerTags: ['gold'] });
      const replaced = await workspace.journeys.replace(journey.id, {
        title: 'Upgrade',
        conditions: ['the customer wants an upgrade'],
        initialState: 'ask',
        states: [
          { key: 'ask', kind: 'chat', action: 'Ask which seat' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [{ from: 'ask', to: 'done' }],
      });
      expect(replaced).toMatchObject({ labels: [], customerTags: [] });
      const badJourney = await caught(() =>
        workspace.journeys.update(journey.id, { labels: ['x'.repeat(101)] }),
      );
      expect(badJourney.message).toContain('labels.0');
    });
  });
}
