import { describe, expect, it } from 'vitest';
import { hashAgentKey } from '../../domain/agent-key-secret';
import type { JourneyTransitionInput } from '../../domain/journey';
import { caught, type StoreContractContext, seedAgent } from './contract-context';

/** Create, read, update, archive, list and validation of every kind of record. */
export function registerRecordCases(context: StoreContractContext): void {
  describe('agents', () => {
    it('creates an agent with defaults and reads it back', async () => {
      const workspace = context.freshWorkspace();
      const agent = await workspace.agents.create({ name: 'Support', createdBy: 'user-1' });
      expect(agent).toMatchObject({
        workspaceId: workspace.workspaceId,
        name: 'Support',
        description: '',
        compositionMode: 'fluid',
        metadata: {},
        createdBy: 'user-1',
        archivedAt: null,
      });
      expect(agent.id).toEqual(expect.any(String));
      expect(agent.createdAt).toBeInstanceOf(Date);
      expect(await workspace.agents.get(agent.id)).toEqual(agent);
      expect(await workspace.agents.find(agent.id)).toEqual(agent);
    });

    it('rejects invalid input with a message naming the field, writing nothing', async () => {
      const workspace = context.freshWorkspace();
      const error = await caught(() =>
        workspace.agents.create({ name: '', compositionMode: 'loud' as never }),
      );
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('name');
      expect(error.message).toContain('compositionMode');
      expect((await workspace.agents.list()).items).toEqual([]);
    });

    it('updates only the given fields and moves updatedAt', async () => {
      const workspace = context.freshWorkspace();
      const agent = await workspace.agents.create({ name: 'Support', description: 'Helps' });
      const updated = await workspace.agents.update(agent.id, { compositionMode: 'canned_strict' });
      expect(updated).toMatchObject({
        name: 'Support',
        description: 'Helps',
        compositionMode: 'canned_strict',
      });
      expect(updated.updatedAt.getTime()).toBeGreaterThan(agent.updatedAt.getTime());
      expect(updated.createdAt).toEqual(agent.createdAt);
      const invalid = await caught(() => workspace.agents.update(agent.id, { name: ' ' }));
      expect(invalid.code).toBe('validation_failed');
      expect(invalid.message).toContain('name');
    });

    it('archives an agent: gone from reads and lists, its name free again', async () => {
      const workspace = context.freshWorkspace();
      const agent = await workspace.agents.create({ name: 'Support' });
      await workspace.agents.archive(agent.id);
      expect(await workspace.agents.find(agent.id)).toBeNull();
      expect((await caught(() => workspace.agents.get(agent.id))).code).toBe('not_found');
      expect(
        (await caught(() => workspace.agents.update(agent.id, { description: 'x' }))).code,
      ).toBe('not_found');
      expect((await caught(() => workspace.agents.archive(agent.id))).code).toBe('not_found');
      expect((await workspace.agents.list()).items).toEqual([]);
      const again = await workspace.agents.create({ name: 'Support' });
      expect(again.id).not.toBe(agent.id);
    });

    it('reports a live duplicate name as a conflict', async () => {
      const workspace = context.freshWorkspace();
      await workspace.agents.create({ name: 'Support' });
      const error = await caught(() => workspace.agents.create({ name: 'Support' }));
      expect(error.code).toBe('conflict');
      expect(error.message).toContain('name');
    });

    it('deletes an agent for good', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      await workspace.agents.delete(agent.id);
      expect(await workspace.agents.find(agent.id)).toBeNull();
      expect((await caught(() => workspace.agents.delete(agent.id))).code).toBe('not_found');
    });

    it('pages through a listing with cursors, in creation order, without repeats', async () => {
      const workspace = context.freshWorkspace();
      const created = [];
      for (let index = 0; index < 5; index += 1) {
        created.push(await workspace.agents.create({ name: `Agent ${index}` }));
      }
      const first = await workspace.agents.list({ limit: 2 });
      expect(first.items.map((agent) => agent.name)).toEqual(['Agent 0', 'Agent 1']);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await workspace.agents.list({ limit: 2, cursor: first.nextCursor ?? '' });
      expect(second.items.map((agent) => agent.name)).toEqual(['Agent 2', 'Agent 3']);
      const third = await workspace.agents.list({ limit: 2, cursor: second.nextCursor ?? '' });
      expect(third.items.map((agent) => agent.name)).toEqual(['Agent 4']);
      expect(third.nextCursor).toBeNull();
      const all = await workspace.agents.list({ limit: 200 });
      expect(all.items.map((agent) => agent.id)).toEqual(created.map((agent) => agent.id));
    });

    it('rejects a cursor it did not issue and an out-of-range limit', async () => {
      const workspace = context.freshWorkspace();
      expect((await caught(() => workspace.agents.list({ cursor: 'not-a-cursor' }))).code).toBe(
        'validation_failed',
      );
      const limit = await caught(() => workspace.agents.list({ limit: 10_000 }));
      expect(limit.code).toBe('validation_failed');
      expect(limit.message).toContain('limit');
    });

    it('attaches, lists and detaches tools', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const lookup = await workspace.tools.create({
        name: 'lookup_order',
        description: 'Finds an order',
      });
      const cancel = await workspace.tools.create({
        name: 'cancel_order',
        description: 'Cancels an order',
      });
      await workspace.agents.attachTool(agent.id, lookup.id);
      await workspace.agents.attachTool(agent.id, cancel.id);
      await workspace.agents.attachTool(agent.id, cancel.id);
      expect((await workspace.agents.listTools(agent.id)).map((tool) => tool.name)).toEqual([
        'cancel_order',
        'lookup_order',
      ]);
      await workspace.agents.detachTool(agent.id, cancel.id);
      expect((await workspace.agents.listTools(agent.id)).map((tool) => tool.name)).toEqual([
        'lookup_order',
      ]);
      await workspace.tools.archive(lookup.id);
      expect(await workspace.agents.listTools(agent.id)).toEqual([]);
      expect((await caught(() => workspace.agents.attachTool(agent.id, 'missing'))).code).toBe(
        'not_found',
      );
    });

    it('links, lists and unlinks knowledge bases, idempotently', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const other = await seedAgent(workspace);
      expect(await workspace.agents.listKnowledgeBases(agent.id)).toEqual([]);
      const first = await workspace.agents.attachKnowledgeBase(agent.id, 'kb-pricing');
      expect(first).toEqual({
        link: { knowledgeBaseId: 'kb-pricing', createdAt: expect.any(Date) },
        created: true,
      });
      await workspace.agents.attachKnowledgeBase(agent.id, 'kb-faq');
      const again = await workspace.agents.attachKnowledgeBase(agent.id, 'kb-pricing');
      expect(again).toEqual({ link: first.link, created: false });
      await workspace.agents.attachKnowledgeBase(other.id, 'kb-other');
      const linked = await workspace.agents.listKnowledgeBases(agent.id);
      expect(linked.map((link) => link.knowledgeBaseId).sort()).toEqual(['kb-faq', 'kb-pricing']);
      expect(linked[0]?.createdAt).toBeInstanceOf(Date);
      await workspace.agents.detachKnowledgeBase(agent.id, 'kb-pricing');
      await workspace.agents.detachKnowledgeBase(agent.id, 'kb-pricing');
      expect(
        (await workspace.agents.listKnowledgeBases(agent.id)).map((link) => link.knowledgeBaseId),
      ).toEqual(['kb-faq']);
      expect(
        (await workspace.agents.listKnowledgeBases(other.id)).map((link) => link.knowledgeBaseId),
      ).toEqual(['kb-other']);
      const invalid = await caught(() => workspace.agents.attachKnowledgeBase(agent.id, ' '));
      expect(invalid.code).toBe('validation_failed');
      expect(invalid.message).toContain('knowledge base id');
      expect(
        (await caught(() => workspace.agents.attachKnowledgeBase('missing', 'kb-faq'))).code,
      ).toBe('not_found');
      expect((await caught(() => workspace.agents.listKnowledgeBases('missing'))).code).toBe(
        'not_found',
      );
      await workspace.agents.archive(agent.id);
      expect(
        (await caught(() => workspace.agents.attachKnowledgeBase(agent.id, 'kb-faq'))).code,
      ).toBe('not_found');
    });

    it('keeps the retrievers of an agent, a guideline and a journey state', async () => {
      const workspace = context.freshWorkspace();
      const agent = await workspace.agents.create({
        name: 'Knowing',
        retrieverIds: ['help-center'],
      });
      expect(agent.retrieverIds).toEqual(['help-center']);
      expect((await workspace.agents.update(agent.id, { retrieverIds: [] })).retrieverIds).toEqual(
        [],
      );
      const guideline = await workspace.guidelines.create({
        agentId: agent.id,
        condition: 'the customer asks about prices',
        retrieverIds: ['pricing', 'faq'],
      });
      expect(guideline.retrieverIds).toEqual(['pricing', 'faq']);
      expect(
        (await workspace.guidelines.create({ agentId: agent.id, condition: 'b' })).retrieverIds,
      ).toEqual([]);
      const journey = await workspace.journeys.create({
        agentId: agent.id,
        title: 'Plan',
        conditions: ['the customer wants a plan'],
        initialState: 'ask',
        states: [
          { key: 'ask', kind: 'chat', action: 'Ask which plan', retrieverIds: ['plans'] },
          { key: 'done', kind: 'end' },
        ],
        transitions: [{ from: 'ask', to: 'done' }],
      });
      expect(journey.states.map((state) => state.retrieverIds)).toEqual([['plans'], []]);
      expect((await workspace.journeys.get(journey.id)).states[0]?.retrieverIds).toEqual(['plans']);
      const invalid = await caught(() =>
        workspace.guidelines.create({
          agentId: agent.id,
          condition: 'c',
          retrieverIds: ['not an id!'],
        }),
      );
      expect(invalid.code).toBe('validation_failed');
      expect(invalid.message).toContain('retrieverIds');
    });
  });

  describe('agent catalog revision', () => {
    it('changes with every change to what the turns of the agent read, and only then', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const other = await seedAgent(workspace);
      const revisions = [await workspace.agents.catalogRevision(agent.id)];
      const expectChange = async (label: string) => {
        const revision = await workspace.agents.catalogRevision(agent.id);
        expect(revisions, label).not.toContain(revision);
        revisions.push(revision);
      };
      await workspace.guidelines.create({ agentId: other.id, condition: 'elsewhere' });
      expect(await workspace.agents.catalogRevision(agent.id)).toBe(revisions[0]);

      const guideline = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      await expectChange('guideline created');
      await workspace.guidelines.update(guideline.id, { action: 'do b' });
      await expectChange('guideline updated');
      const tool = await workspace.tools.create({ name: 'lookup', description: 'Looks up' });
      await workspace.guidelines.setTools(guideline.id, [tool.id]);
      await expectChange('guideline tools set');
      await workspace.tools.update(tool.id, { description: 'Looks things up' });
      await expectChange('attached tool updated');
      await workspace.agents.attachTool(agent.id, tool.id);
      await expectChange('tool attached');
      await workspace.agents.attachKnowledgeBase(agent.id, 'kb-1');
      await expectChange('knowledge base linked');
      await workspace.agents.detachKnowledgeBase(agent.id, 'kb-1');
      await expectChange('knowledge base unlinked');
      await workspace.terms.create({ agentId: agent.id, name: 'APR', description: 'Rate' });
      await expectChange('term created');
      await workspace.cannedResponses.create({ agentId: agent.id, template: 'Hi' });
      await expectChange('canned response created');
      await workspace.variables.create({ agentId: agent.id, name: 'plan' });
      await expectChange('variable created');
      await workspace.agents.update(agent.id, { description: 'new' });
      await expectChange('agent updated');
      await workspace.guidelines.archive(guideline.id);
      await expectChange('guideline archived');
      expect((await caught(() => workspace.agents.catalogRevision('missing'))).code).toBe(
        'not_found',
      );
    });
  });

  describe('guidelines', () => {
    it('creates a guideline with defaults under a live agent only', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const guideline = await workspace.guidelines.create({
        agentId: agent.id,
        condition: 'the customer asks about refunds',
        action: 'explain the 30-day policy',
        examples: ['can I get my money back?'],
      });
      expect(guideline).toMatchObject({
        agentId: agent.id,
        key: null,
        criticality: 'medium',
        tags: [],
        enabled: true,
        pinned: false,
        priority: 0,
        examples: ['can I get my money back?'],
        compositionMode: null,
        version: 1,
      });
      const observation = await workspace.guidelines.create({
        agentId: agent.id,
        condition: 'the customer is angry',
      });
      expect(observation.action).toBeNull();
      expect(
        (await caught(() => workspace.guidelines.create({ agentId: 'missing', condition: 'x' })))
          .code,
      ).toBe('not_found');
      await workspace.agents.archive(agent.id);
      const error = await caught(() =>
        workspace.guidelines.create({ agentId: agent.id, condition: 'x' }),
      );
      expect(error.code).toBe('not_found');
      expect(error.message).toContain('agent');
    });

    it('names the invalid field', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const error = await caught(() =>
        workspace.guidelines.create({
          agentId: agent.id,
          condition: 'x',
          criticality: 'urgent' as never,
          priority: 1.5,
        }),
      );
      expect(error.code).toBe('validation_failed');
      expect(error.message).toContain('criticality');
      expect(error.message).toContain('priority');
    });

    it('increments the version on every update', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const guideline = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      const once = await workspace.guidelines.update(guideline.id, { condition: 'b' });
      const twice = await workspace.guidelines.update(guideline.id, { enabled: false });
      expect([guideline.version, once.version, twice.version]).toEqual([1, 2, 3]);
      expect(twice).toMatchObject({ condition: 'b', enabled: false });
    });

    it('filters by agent, tag and enabled, and lists all at once', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const other = await seedAgent(workspace);
      await workspace.guidelines.create({ agentId: agent.id, condition: 'a', tags: ['billing'] });
      await workspace.guidelines.create({ agentId: agent.id, condition: 'b', enabled: false });
      await workspace.guidelines.create({ agentId: other.id, condition: 'c', tags: ['billing'] });
      const tagged = await workspace.guidelines.list({ agentId: agent.id, tag: 'billing' });
      expect(tagged.items.map((guideline) => guideline.condition)).toEqual(['a']);
      const enabled = await workspace.guidelines.list({ agentId: agent.id, enabled: true });
      expect(enabled.items.map((guideline) => guideline.condition)).toEqual(['a']);
      expect(
        (await workspace.guidelines.listAll(agent.id)).map((guideline) => guideline.condition),
      ).toEqual(['a', 'b']);
      expect((await workspace.guidelines.listAll(agent.id, { enabledOnly: true })).length).toBe(1);
      expect((await caught(() => workspace.guidelines.list({} as never))).code).toBe(
        'validation_failed',
      );
      const enabledFilter = await caught(() =>
        workspace.guidelines.list({ agentId: agent.id, enabled: 'yes' as never }),
      );
      expect(enabledFilter.message).toContain('enabled');
    });

    it('keeps guideline keys unique among live guidelines of an agent', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const first = await workspace.guidelines.create({
        agentId: agent.id,
        key: 'refunds',
        condition: 'a',
      });
      expect(
        (
          await caught(() =>
            workspace.guidelines.create({ agentId: agent.id, key: 'refunds', condition: 'b' }),
          )
        ).code,
      ).toBe('conflict');
      const other = await seedAgent(workspace);
      await workspace.guidelines.create({ agentId: other.id, key: 'refunds', condition: 'c' });
      await workspace.guidelines.archive(first.id);
      await workspace.guidelines.create({ agentId: agent.id, key: 'refunds', condition: 'd' });
    });

    it('replaces the tools attached to a guideline', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const guideline = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      const first = await workspace.tools.create({ name: 'first', description: 'One' });
      const second = await workspace.tools.create({ name: 'second', description: 'Two' });
      await workspace.guidelines.setTools(guideline.id, [first.id, second.id, first.id]);
      expect(await workspace.guidelines.listToolIds(guideline.id)).toEqual(
        [first.id, second.id].sort(),
      );
      await workspace.guidelines.setTools(guideline.id, [second.id]);
      expect(await workspace.guidelines.listToolIds(guideline.id)).toEqual([second.id]);
      expect(
        (await caught(() => workspace.guidelines.setTools(guideline.id, ['missing']))).code,
      ).toBe('not_found');
      expect(await workspace.guidelines.listToolIds(guideline.id)).toEqual([second.id]);
      const other = await workspace.guidelines.create({ agentId: agent.id, condition: 'b' });
      await workspace.guidelines.setTools(other.id, [first.id]);
      const links = await workspace.guidelines.listToolLinks(agent.id);
      expect(links).toHaveLength(2);
      expect(links).toContainEqual({ guidelineId: guideline.id, toolId: second.id });
      expect(links).toContainEqual({ guidelineId: other.id, toolId: first.id });
    });
  });

  describe('relationships', () => {
    it('relates two guidelines of one agent, once', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const source = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      const target = await workspace.guidelines.create({ agentId: agent.id, condition: 'b' });
      const relationship = await workspace.relationships.create({
        agentId: agent.id,
        kind: 'priority',
        sourceGuidelineId: source.id,
        targetGuidelineId: target.id,
      });
      expect(relationship).toMatchObject({
        kind: 'priority',
        sourceGuidelineId: source.id,
        targetGuidelineId: target.id,
      });
      const duplicate = await caught(() =>
        workspace.relationships.create({
          agentId: agent.id,
          kind: 'priority',
          sourceGuidelineId: source.id,
          targetGuidelineId: target.id,
        }),
      );
      expect(duplicate.code).toBe('conflict');
      await workspace.relationships.create({
        agentId: agent.id,
        kind: 'entailment',
        sourceGuidelineId: source.id,
        targetGuidelineId: target.id,
      });
      const byGuideline = await workspace.relationships.list({
        agentId: agent.id,
        guidelineId: target.id,
      });
      expect(byGuideline.items).toHaveLength(2);
      const byKind = await workspace.relationships.list({ agentId: agent.id, kind: 'entailment' });
      expect(byKind.items).toHaveLength(1);
    });

    it('refuses self-relationships and guidelines of another agent', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const other = await seedAgent(workspace);
      const mine = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      const theirs = await workspace.guidelines.create({ agentId: other.id, condition: 'b' });
      const self = await caught(() =>
        workspace.relationships.create({
          agentId: agent.id,
          kind: 'dependency',
          sourceGuidelineId: mine.id,
          targetGuidelineId: mine.id,
        }),
      );
      expect(self.code).toBe('validation_failed');
      expect(self.message).toContain('targetGuidelineId');
      const across = await caught(() =>
        workspace.relationships.create({
          agentId: agent.id,
          kind: 'dependency',
          sourceGuidelineId: mine.id,
          targetGuidelineId: theirs.id,
        }),
      );
      expect(across.code).toBe('not_found');
    });

    it('archives relationships with either of their guidelines', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const source = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      const target = await workspace.guidelines.create({ agentId: agent.id, condition: 'b' });
      const relationship = await workspace.relationships.create({
        agentId: agent.id,
        kind: 'disambiguation',
        sourceGuidelineId: source.id,
        targetGuidelineId: target.id,
      });
      await workspace.guidelines.archive(target.id);
      expect(await workspace.relationships.find(relationship.id)).toBeNull();
    });
  });

  describe('journeys', () => {
    const document = (toolId: string, guidelineIds: string[] = []) => ({
      title: 'Book a table',
      conditions: ['the customer wants to book a table'],
      initialState: 'ask_date',
      states: [
        { key: 'ask_date', kind: 'chat' as const, action: 'Ask for the date' },
        { key: 'check', kind: 'tool' as const, toolId },
        { key: 'decide', kind: 'fork' as const },
        { key: 'confirm', kind: 'chat' as const, action: 'Confirm the booking' },
        { key: 'done', kind: 'end' as const },
      ],
      transitions: [
        { from: 'ask_date', to: 'check', condition: 'the customer gave a date' },
        { from: 'check', to: 'decide' },
        { from: 'decide', to: 'confirm', condition: 'a table is free' },
        { from: 'decide', to: 'ask_date', condition: 'no table is free' },
        { from: 'confirm', to: 'done' },
      ],
      guidelineIds,
    });

    it('stores a journey as one document and reads it back whole', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const tool = await workspace.tools.create({
        name: 'check_availability',
        description: 'Checks tables',
      });
      const scoped = await workspace.guidelines.create({
        agentId: agent.id,
        condition: 'the customer asks for a window seat',
      });
      const journey = await workspace.journeys.create({
        agentId: agent.id,
        ...document(tool.id, [scoped.id]),
      });
      expect(journey).toMatchObject({
        title: 'Book a table',
        initialState: 'ask_date',
        enabled: true,
        guidelineIds: [scoped.id],
      });
      expect(journey.states.map((state) => state.key)).toEqual([
        'ask_date',
        'check',
        'decide',
        'confirm',
        'done',
      ]);
      expect(journey.states[1]).toMatchObject({ kind: 'tool', toolId: tool.id });
      expect(
        journey.transitions.map((transition) => `${transition.from}->${transition.to}`),
      ).toEqual([
        'ask_date->check',
        'check->decide',
        'decide->confirm',
        'decide->ask_date',
        'confirm->done',
      ]);
      const byKey = new Map(journey.states.map((state) => [state.key, state.id]));
      expect(journey.transitions[0]).toMatchObject({
        fromStateId: byKey.get('ask_date'),
        toStateId: byKey.get('check'),
      });
      expect(await workspace.journeys.get(journey.id)).toEqual(journey);
      expect((await workspace.journeys.list({ agentId: agent.id })).items).toEqual([journey]);
    });

    it("round-trips a transition's `when`, reading an absent or null one as null", async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const tool = await workspace.tools.create({
        name: 'check_availability',
        description: 'Checks tables',
      });
      const slot = { path: 'check_availability.slot', equals: { time: '19:30', seats: 4 } };
      const full = { path: 'check_availability.slot.time', exists: false };
      const base = document(tool.id);
      const journey = await workspace.journeys.create({
        agentId: agent.id,
        ...base,
        transitions: base.transitions.map((transition) => {
          if (transition.condition === 'a table is free') return { ...transition, when: slot };
          if (transition.condition === 'no table is free') return { ...transition, when: full };
          if (transition.from === 'check') return { ...transition, when: null };
          return transition;
        }),
      });
      expect(journey.transitions.map((transition) => transition.when)).toEqual([
        null,
        null,
        slot,
        full,
        null,
      ]);
      expect(await workspace.journeys.get(journey.id)).toEqual(journey);

      const replaced = await workspace.journeys.replace(journey.id, {
        ...base,
        transitions: [
          { from: 'ask_date', to: 'check', condition: 'the customer gave a date' },
          { from: 'check', to: 'decide', when: { path: 'check_availability.found', equals: null } },
          { from: 'decide', to: 'confirm' },
          { from: 'confirm', to: 'done' },
        ],
      });
      expect(replaced.transitions.map((transition) => transition.when)).toEqual([
        null,
        { path: 'check_availability.found', equals: null },
        null,
        null,
      ]);
      expect(await workspace.journeys.get(journey.id)).toEqual(replaced);
    });

    it('rejects a malformed `when` with a message naming the field', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const tool = await workspace.tools.create({ name: 'check', description: 'Checks' });
      const base = document(tool.id);
      const withWhen = (when: unknown) =>
        caught(() =>
          workspace.journeys.create({
            agentId: agent.id,
            ...base,
            transitions: [
              { from: 'decide', to: 'confirm', when: when as JourneyTransitionInput['when'] },
              ...base.transitions,
            ],
          }),
        );
      const bothKeys = await withWhen({ path: 'check.found', equals: true, exists: true });
      expect(bothKeys.code).toBe('validation_failed');
      expect(bothKeys.message).toContain('transitions.0.when');
      expect(bothKeys.message).toContain('exactly one of "equals"');
      const badPath = await withWhen({ path: 'check..found', exists: true });
      expect(badPath.message).toContain('transitions.0.when.path');
      expect(badPath.message).toContain('a tool name, then a dot path');
      expect((await workspace.journeys.list({ agentId: agent.id })).items).toEqual([]);
    });

    it('rejects a broken graph with messages naming the fields', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const error = await caught(() =>
        workspace.journeys.create({
          agentId: agent.id,
          title: 'Broken',
          conditions: ['x'],
          initialState: 'nowhere',
          states: [
            { key: 'ask', kind: 'chat' },
            { key: 'ask', kind: 'end' },
            { key: 'run', kind: 'tool' },
          ],
          transitions: [{ from: 'ask', to: 'missing' }],
        }),
      );
      expect(error.code).toBe('validation_failed');
      for (const path of [
        'initialState',
        'states.0.action',
        'states.1.key',
        'states.2.toolId',
        'transitions.0.to',
      ]) {
        expect(error.message).toContain(path);
      }
      expect((await workspace.journeys.list({ agentId: agent.id })).items).toEqual([]);
    });

    it('writes nothing when a reference is missing', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const other = await seedAgent(workspace);
      const tool = await workspace.tools.create({ name: 'check', description: 'Checks' });
      const foreignGuideline = await workspace.guidelines.create({
        agentId: other.id,
        condition: 'x',
      });
      expect(
        (
          await caught(() =>
            workspace.journeys.create({ agentId: agent.id, ...document('missing-tool') }),
          )
        ).code,
      ).toBe('not_found');
      expect(
        (
          await caught(() =>
            workspace.journeys.create({
              agentId: agent.id,
              ...document(tool.id, [foreignGuideline.id]),
            }),
          )
        ).code,
      ).toBe('not_found');
      expect((await workspace.journeys.list({ agentId: agent.id })).items).toEqual([]);
    });

    it('replaces the document, keeping the ids of states whose key stays', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const tool = await workspace.tools.create({ name: 'check', description: 'Checks' });
      const journey = await workspace.journeys.create({ agentId: agent.id, ...document(tool.id) });
      const replaced = await workspace.journeys.replace(journey.id, {
        title: 'Book a table quickly',
        conditions: ['the customer wants a table'],
        initialState: 'ask_date',
        states: [
          { key: 'ask_date', kind: 'chat', action: 'Ask for the date and party size' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [{ from: 'ask_date', to: 'done', condition: 'the customer answered' }],
      });
      const before = new Map(journey.states.map((state) => [state.key, state.id]));
      expect(replaced.title).toBe('Book a table quickly');
      expect(replaced.states.map((state) => [state.key, state.id])).toEqual([
        ['ask_date', before.get('ask_date')],
        ['done', before.get('done')],
      ]);
      expect(replaced.states[0]?.action).toBe('Ask for the date and party size');
      expect(replaced.transitions).toHaveLength(1);
      expect(replaced.createdAt).toEqual(journey.createdAt);
      expect(await workspace.journeys.get(journey.id)).toEqual(replaced);
    });

    it('updates header fields without touching states, and keeps keys unique', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const tool = await workspace.tools.create({ name: 'check', description: 'Checks' });
      const journey = await workspace.journeys.create({
        agentId: agent.id,
        key: 'booking',
        ...document(tool.id),
      });
      const updated = await workspace.journeys.update(journey.id, {
        enabled: false,
        tags: ['tables'],
      });
      expect(updated).toMatchObject({ enabled: false, tags: ['tables'] });
      expect(updated.states).toEqual(journey.states);
      expect(
        (
          await caught(() =>
            workspace.journeys.create({ agentId: agent.id, key: 'booking', ...document(tool.id) }),
          )
        ).code,
      ).toBe('conflict');
    });
  });

  describe('tools', () => {
    it('declares tools with unique live names and finds them by name', async () => {
      const workspace = context.freshWorkspace();
      const parameters = {
        type: 'object',
        properties: { orderId: { type: 'string' } },
        required: ['orderId'],
      };
      const tool = await workspace.tools.create({
        name: 'lookup_order',
        description: 'Finds an order',
        parameters,
      });
      expect(tool.parameters).toEqual(parameters);
      expect(await workspace.tools.findByName('lookup_order')).toEqual(tool);
      expect(
        (await caught(() => workspace.tools.create({ name: 'lookup_order', description: 'Again' })))
          .code,
      ).toBe('conflict');
      const badName = await caught(() =>
        workspace.tools.create({ name: 'look up', description: 'Spaces' }),
      );
      expect(badName.code).toBe('validation_failed');
      expect(badName.message).toContain('name');
      const badSchema = await caught(() =>
        workspace.tools.create({ name: 'bad', description: 'Bad', parameters: { type: 'string' } }),
      );
      expect(badSchema.message).toContain('parameters');
      await workspace.tools.archive(tool.id);
      expect(await workspace.tools.findByName('lookup_order')).toBeNull();
    });
  });

  describe('variables', () => {
    it('declares variables and resolves the most specific value', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const customer = await workspace.customers.create({ externalId: 'c-1', tags: ['vip'] });
      const session = await workspace.sessions.create({
        agentId: agent.id,
        customerId: customer.id,
      });
      const tool = await workspace.tools.create({
        name: 'fetch_plan',
        description: 'Reads the plan',
      });
      const variable = await workspace.variables.create({
        agentId: agent.id,
        name: 'plan',
        toolId: tool.id,
        freshness: { kind: 'max_age', seconds: 3600 },
        defaultValue: 'free',
      });
      expect(variable).toMatchObject({
        name: 'plan',
        toolId: tool.id,
        defaultValue: 'free',
        freshness: { kind: 'max_age', seconds: 3600 },
      });
      const resolution = { sessionId: session.id, customerId: customer.id, customerTags: ['vip'] };
      expect(await workspace.variables.resolveValue(variable.id, resolution)).toBeNull();

      await workspace.variables.setValue(variable.id, { scope: 'agent' }, 'basic');
      expect((await workspace.variables.resolveValue(variable.id, resolution))?.value).toBe(
        'basic',
      );
      await workspace.variables.setValue(
        variable.id,
        { scope: 'customer_tag', tag: 'vip' },
        'gold',
      );
      expect((await workspace.variables.resolveValue(variable.id, resolution))?.value).toBe('gold');
      await workspace.variables.setValue(
        variable.id,
        { scope: 'customer', customerId: customer.id },
        { tier: 'platinum' },
      );
      expect((await workspace.variables.resolveValue(variable.id, resolution))?.value).toEqual({
        tier: 'platinum',
      });
      const refreshedAt = new Date('2026-03-01T00:00:00.000Z');
      const sessionValue = await workspace.variables.setValue(
        variable.id,
        { scope: 'session', sessionId: session.id },
        'trial',
        { refreshedAt },
      );
      expect(sessionValue.refreshedAt).toEqual(refreshedAt);
      expect(await workspace.variables.resolveValue(variable.id, resolution)).toMatchObject({
        scope: 'session',
        value: 'trial',
      });
      expect(
        (await workspace.variables.resolveValue(variable.id, { customerTags: ['vip'] }))?.value,
      ).toBe('gold');

      await workspace.variables.setValue(
        variable.id,
        { scope: 'session', sessionId: session.id },
        'paid',
      );
      expect((await workspace.variables.resolveValue(variable.id, resolution))?.value).toBe('paid');
      expect(await workspace.variables.listValues(variable.id)).toHaveLength(4);
      await workspace.variables.clearValue(variable.id, {
        scope: 'session',
        sessionId: session.id,
      });
      expect((await workspace.variables.resolveValue(variable.id, resolution))?.value).toEqual({
        tier: 'platinum',
      });
    });

    it('resolves every variable of an agent at once, as one by one', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const customer = await workspace.customers.create({ tags: ['vip'] });
      const session = await workspace.sessions.create({
        agentId: agent.id,
        customerId: customer.id,
      });
      const plan = await workspace.variables.create({ agentId: agent.id, name: 'plan' });
      const region = await workspace.variables.create({ agentId: agent.id, name: 'region' });
      const unset = await workspace.variables.create({ agentId: agent.id, name: 'unset' });
      await workspace.variables.setValue(plan.id, { scope: 'agent' }, 'basic');
      await workspace.variables.setValue(plan.id, { scope: 'customer_tag', tag: 'vip' }, 'gold');
      await workspace.variables.setValue(
        region.id,
        { scope: 'session', sessionId: session.id },
        'eu',
      );
      const resolution = { sessionId: session.id, customerId: customer.id, customerTags: ['vip'] };
      const all = await workspace.variables.resolveValues(agent.id, resolution);
      expect([...all.keys()].sort()).toEqual([plan.id, region.id, unset.id].sort());
      for (const variable of [plan, region, unset]) {
        expect(all.get(variable.id)).toEqual(
          await workspace.variables.resolveValue(variable.id, resolution),
        );
      }
      expect(all.get(plan.id)?.value).toBe('gold');
      expect(all.get(unset.id)).toBeNull();
    });

    it('refuses values for unknown targets and duplicate names', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const variable = await workspace.variables.create({ agentId: agent.id, name: 'plan' });
      expect(
        (
          await caught(() =>
            workspace.variables.setValue(
              variable.id,
              { scope: 'session', sessionId: 'missing' },
              1,
            ),
          )
        ).code,
      ).toBe('not_found');
      const badTarget = await caught(() =>
        workspace.variables.setValue(variable.id, { scope: 'planet' } as never, 1),
      );
      expect(badTarget.code).toBe('validation_failed');
      expect(
        (await caught(() => workspace.variables.create({ agentId: agent.id, name: 'plan' }))).code,
      ).toBe('conflict');
      expect(
        (
          await caught(() =>
            workspace.variables.create({ agentId: agent.id, name: 'rate', toolId: 'missing' }),
          )
        ).code,
      ).toBe('not_found');
    });
  });

  describe('glossary terms', () => {
    it('stores terms with synonyms, unique by name ignoring case', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const term = await workspace.terms.create({
        agentId: agent.id,
        name: 'Overdraft',
        description: 'Spending more than the balance',
        synonyms: ['negative balance'],
      });
      expect(term.synonyms).toEqual(['negative balance']);
      expect(
        (
          await caught(() =>
            workspace.terms.create({ agentId: agent.id, name: 'overdraft', description: 'Again' }),
          )
        ).code,
      ).toBe('conflict');
      const updated = await workspace.terms.update(term.id, { synonyms: [] });
      expect(updated.synonyms).toEqual([]);
      expect((await workspace.terms.list({ agentId: agent.id })).items).toHaveLength(1);
    });
  });

  describe('canned responses', () => {
    it('derives fields from the template on every write', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const response = await workspace.cannedResponses.create({
        agentId: agent.id,
        template: 'Hi {{ name }}, your balance is {{balance}}. Bye {{name}}!',
        tags: ['greeting'],
      });
      expect(response.fields).toEqual(['name', 'balance']);
      const updated = await workspace.cannedResponses.update(response.id, {
        template: 'Your plan is {{plan.name}}',
      });
      expect(updated.fields).toEqual(['plan.name']);
      expect(updated.tags).toEqual(['greeting']);
      expect(
        (await workspace.cannedResponses.list({ agentId: agent.id, tag: 'greeting' })).items,
      ).toHaveLength(1);
      expect(
        (await workspace.cannedResponses.list({ agentId: agent.id, tag: 'other' })).items,
      ).toHaveLength(0);
    });
  });

  describe('customers', () => {
    it('creates customers, unique by live external id, found by it', async () => {
      const workspace = context.freshWorkspace();
      const customer = await workspace.customers.create({
        externalId: 'site-42',
        name: 'Ada',
        email: 'ada@example.com',
      });
      expect(customer).toMatchObject({
        externalId: 'site-42',
        name: 'Ada',
        email: 'ada@example.com',
        userId: null,
        tags: [],
      });
      expect(await workspace.customers.findByExternalId('site-42')).toEqual(customer);
      expect((await caught(() => workspace.customers.create({ externalId: 'site-42' }))).code).toBe(
        'conflict',
      );
      await workspace.customers.create({});
      await workspace.customers.create({});
      expect((await workspace.customers.list({ externalId: 'site-42' })).items).toHaveLength(1);
      const email = await caught(() => workspace.customers.create({ email: 'not-an-email' }));
      expect(email.code).toBe('validation_failed');
      expect(email.message).toContain('email');
      await workspace.customers.archive(customer.id);
      expect(await workspace.customers.findByExternalId('site-42')).toBeNull();
      await workspace.customers.create({ externalId: 'site-42' });
    });
  });

  describe('agent keys', () => {
    it('issues a publishable key once and keeps only its hash', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const { agentKey, secret } = await workspace.agentKeys.issue({
        agentId: agent.id,
        name: 'Website',
        allowedOrigins: ['https://example.com'],
      });
      expect(secret).toMatch(/^pk_[A-Za-z0-9_-]{32}$/);
      expect(secret.startsWith(agentKey.keyPrefix)).toBe(true);
      expect(agentKey).toMatchObject({
        name: 'Website',
        allowedOrigins: ['https://example.com'],
        revokedAt: null,
        lastUsedAt: null,
      });
      expect(JSON.stringify(agentKey)).not.toContain(secret);
      expect(Object.keys(agentKey)).not.toContain('keyHash');
      const found = await context.store().findAgentKeyByHash(await hashAgentKey(secret));
      expect(found?.id).toBe(agentKey.id);
      expect(await context.store().findAgentKeyByHash(await hashAgentKey(`${secret}x`))).toBeNull();
      const second = await workspace.agentKeys.issue({ agentId: agent.id, name: 'App' });
      expect(second.secret).not.toBe(secret);
      const origin = await caught(() =>
        workspace.agentKeys.issue({
          agentId: agent.id,
          name: 'Bad',
          allowedOrigins: ['example.com/path'],
        }),
      );
      expect(origin.message).toContain('allowedOrigins');
    });

    it('revokes and touches keys', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const { agentKey } = await workspace.agentKeys.issue({ agentId: agent.id, name: 'Website' });
      await workspace.agentKeys.touch(agentKey.id);
      expect((await workspace.agentKeys.get(agentKey.id)).lastUsedAt).toBeInstanceOf(Date);
      const revoked = await workspace.agentKeys.revoke(agentKey.id);
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      expect((await workspace.agentKeys.revoke(agentKey.id)).revokedAt).toEqual(revoked.revokedAt);
      expect(
        (await workspace.agentKeys.list({ agentId: agent.id })).items.map((key) => key.id),
      ).toEqual([agentKey.id]);
    });
  });

  describe('API keys', () => {
    it('issues a secret key once, scoped to its agent and permissions, and keeps only its hash', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const expiresAt = new Date(Date.now() + 86_400_000);
      const { apiKey, secret } = await workspace.agentApiKeys.issue(
        { agentId: agent.id, name: 'Backend', permissions: ['events:read'], expiresAt },
        { createdBy: 'user-7' },
      );
      expect(secret).toMatch(/^sk_[A-Za-z0-9_-]{32}$/);
      expect(secret.startsWith(apiKey.keyPrefix)).toBe(true);
      expect(apiKey).toMatchObject({
        agentId: agent.id,
        name: 'Backend',
        permissions: ['events:read'],
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
        createdBy: 'user-7',
      });
      expect(JSON.stringify(apiKey)).not.toContain(secret);
      expect(Object.keys(apiKey)).not.toContain('keyHash');
      const found = await context.store().findAgentApiKeyByHash(await hashAgentKey(secret));
      expect(found?.id).toBe(apiKey.id);
      // Secret and publishable keys live apart: neither lookup finds the other kind.
      expect(await context.store().findAgentKeyByHash(await hashAgentKey(secret))).toBeNull();
      const { secret: publishable } = await workspace.agentKeys.issue({
        agentId: agent.id,
        name: 'Site',
      });
      expect(
        await context.store().findAgentApiKeyByHash(await hashAgentKey(publishable)),
      ).toBeNull();
      const everything = await workspace.agentApiKeys.issue({ agentId: agent.id, name: 'All' });
      expect(everything.apiKey.permissions).toEqual([
        'sessions:write',
        'messages:write',
        'events:read',
      ]);
      expect(everything.apiKey.expiresAt).toBeNull();
      const repeated = await caught(() =>
        workspace.agentApiKeys.issue({
          agentId: agent.id,
          name: 'Twice',
          permissions: ['events:read', 'events:read'],
        }),
      );
      expect(repeated.message).toContain('permissions');
      const unknown = await caught(() =>
        workspace.agentApiKeys.issue({
          agentId: agent.id,
          name: 'Root',
          permissions: ['admin' as never],
        }),
      );
      expect(unknown.code).toBe('validation_failed');
    });

    it('revokes, renames and touches keys, writing last use at most once a minute', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const { apiKey } = await workspace.agentApiKeys.issue({ agentId: agent.id, name: 'Backend' });
      await workspace.agentApiKeys.touch(apiKey.id);
      const touched = (await workspace.agentApiKeys.get(apiKey.id)).lastUsedAt;
      expect(touched).toBeInstanceOf(Date);
      await workspace.agentApiKeys.touch(apiKey.id);
      expect((await workspace.agentApiKeys.get(apiKey.id)).lastUsedAt).toEqual(touched);
      const renamed = await workspace.agentApiKeys.update(apiKey.id, { name: 'Billing backend' });
      expect(renamed.name).toBe('Billing backend');
      expect(renamed.permissions).toEqual(apiKey.permissions);
      const revoked = await workspace.agentApiKeys.revoke(apiKey.id);
      expect(revoked.revokedAt).toBeInstanceOf(Date);
      expect((await workspace.agentApiKeys.revoke(apiKey.id)).revokedAt).toEqual(revoked.revokedAt);
      expect(
        (await workspace.agentApiKeys.list({ agentId: agent.id })).items.map((key) => key.id),
      ).toEqual([apiKey.id]);
      expect((await caught(() => workspace.agentApiKeys.revoke('missing'))).code).toBe('not_found');
    });
  });

  describe('workflow links and runs', () => {
    it('links a workflow as a tool and on session events, with defaults', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const link = await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: 'wf-refund',
        name: 'Refund',
        toolName: 'issue_refund',
        inputSchema: {
          type: 'object',
          properties: { orderId: { type: 'string' } },
          required: ['orderId'],
        },
        triggers: ['session_closed'],
      });
      expect(link).toMatchObject({
        agentId: agent.id,
        workflowId: 'wf-refund',
        description: '',
        toolName: 'issue_refund',
        triggers: ['session_closed'],
        timeoutMs: 30_000,
        enabled: true,
      });
      const reaction = await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: 'wf-welcome',
        name: 'Welcome',
        triggers: ['session_started'],
      });
      expect(reaction.toolName).toBeNull();
      expect(reaction.inputSchema).toEqual({ type: 'object', properties: {} });
      expect(
        (await workspace.agentWorkflows.list({ agentId: agent.id })).items.map((item) => item.id),
      ).toEqual([link.id, reaction.id]);
      const updated = await workspace.agentWorkflows.update(link.id, { enabled: false });
      expect(updated.enabled).toBe(false);
    });

    it('refuses a link with no reason to run, a repeated tool name and an unknown agent', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const idle = await caught(() =>
        workspace.agentWorkflows.create({ agentId: agent.id, workflowId: 'wf', name: 'Idle' }),
      );
      expect(idle.code).toBe('validation_failed');
      expect(idle.message).toContain('toolName');
      const notObject = await caught(() =>
        workspace.agentWorkflows.create({
          agentId: agent.id,
          workflowId: 'wf',
          name: 'Odd',
          toolName: 'odd',
          inputSchema: { type: 'string' },
        }),
      );
      expect(notObject.message).toContain('inputSchema');
      const first = await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: 'wf-1',
        name: 'One',
        toolName: 'lookup',
      });
      const twice = await caught(() =>
        workspace.agentWorkflows.create({
          agentId: agent.id,
          workflowId: 'wf-2',
          name: 'Two',
          toolName: 'lookup',
        }),
      );
      expect(twice.code).toBe('conflict');
      const emptied = await caught(() =>
        workspace.agentWorkflows.update(first.id, { toolName: null }),
      );
      expect(emptied.code).toBe('validation_failed');
      expect((await workspace.agentWorkflows.get(first.id)).toolName).toBe('lookup');
      // Archived, the tool name is free again.
      await workspace.agentWorkflows.archive(first.id);
      await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: 'wf-2',
        name: 'Two',
        toolName: 'lookup',
      });
      const orphan = await caught(() =>
        workspace.agentWorkflows.create({
          agentId: 'missing',
          workflowId: 'wf',
          name: 'Orphan',
          triggers: ['session_started'],
        }),
      );
      expect(orphan.code).toBe('not_found');
    });

    it('bumps the agent catalog revision when a workflow link changes', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const before = await workspace.agents.catalogRevision(agent.id);
      const link = await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: 'wf',
        name: 'Lookup',
        toolName: 'lookup',
      });
      const linked = await workspace.agents.catalogRevision(agent.id);
      expect(linked).not.toBe(before);
      await workspace.agentWorkflows.update(link.id, { description: 'Finds an order' });
      expect(await workspace.agents.catalogRevision(agent.id)).not.toBe(linked);
    });

    it("records a run from start to finish and lists a session's runs in order", async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const link = await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: 'wf',
        name: 'Lookup',
        toolName: 'lookup',
      });
      const session = await workspace.sessions.create({ agentId: agent.id });
      const run = await workspace.sessionWorkflows.start({
        sessionId: session.id,
        agentWorkflowId: link.id,
        workflowId: 'wf',
        trigger: 'tool',
        input: { orderId: 'A-1' },
      });
      expect(run).toMatchObject({ status: 'running', output: null, error: null, durationMs: null });
      const finished = await workspace.sessionWorkflows.finish(run.id, {
        status: 'succeeded',
        output: { found: true },
        executionId: 'exec-1',
        durationMs: 42,
      });
      expect(finished).toMatchObject({
        status: 'succeeded',
        output: { found: true },
        executionId: 'exec-1',
        durationMs: 42,
        input: { orderId: 'A-1' },
      });
      const second = await workspace.sessionWorkflows.start({
        sessionId: session.id,
        agentWorkflowId: null,
        workflowId: 'wf-closed',
        trigger: 'session_closed',
        input: {},
      });
      await workspace.sessionWorkflows.finish(second.id, {
        status: 'failed',
        error: { code: 'workflow_failed', message: 'boom' },
        durationMs: 3,
      });
      const firstPage = await workspace.sessionWorkflows.list({ sessionId: session.id, limit: 1 });
      expect(firstPage.items.map((item) => item.id)).toEqual([run.id]);
      const secondPage = await workspace.sessionWorkflows.list({
        sessionId: session.id,
        limit: 1,
        cursor: firstPage.nextCursor ?? undefined,
      });
      expect(secondPage.items.map((item) => [item.id, item.status])).toEqual([
        [second.id, 'failed'],
      ]);
      expect(secondPage.nextCursor).toBeNull();
      expect(
        (
          await caught(() =>
            workspace.sessionWorkflows.start({
              sessionId: 'missing',
              agentWorkflowId: null,
              workflowId: 'wf',
              trigger: 'tool',
              input: {},
            }),
          )
        ).code,
      ).toBe('not_found');
      // Deleting the link keeps the run, without it.
      await workspace.agentWorkflows.delete(link.id);
      expect((await workspace.sessionWorkflows.get(run.id)).agentWorkflowId).toBeNull();
      // Another workspace sees none of it.
      const intruder = context.freshWorkspace();
      expect((await caught(() => intruder.sessionWorkflows.get(run.id))).code).toBe('not_found');
      expect(
        (
          await caught(() =>
            intruder.sessionWorkflows.finish(run.id, { status: 'failed', durationMs: 1 }),
          )
        ).code,
      ).toBe('not_found');
      expect((await intruder.sessionWorkflows.list({ sessionId: session.id })).items).toEqual([]);
    });
  });

  describe('sessions', () => {
    it('opens sessions and filters them by agent, customer and status', async () => {
      const workspace = context.freshWorkspace();
      const agent = await seedAgent(workspace);
      const other = await seedAgent(workspace);
      const customer = await workspace.customers.create({});
      const session = await workspace.sessions.create({
        agentId: agent.id,
        customerId: customer.id,
        title: 'Refund',
      });
      expect(session).toMatchObject({
        mode: 'auto',
        status: 'active',
        lastOffset: -1,
        customerId: customer.id,
      });
      await workspace.sessions.create({ agentId: other.id });
      const closed = await workspace.sessions.update(session.id, {
        status: 'closed',
        mode: 'manual',
      });
      expect(closed).toMatchObject({ status: 'closed', mode: 'manual', title: 'Refund' });
      expect(
        (await workspace.sessions.list({ agentId: agent.id })).items.map((item) => item.id),
      ).toEqual([session.id]);
      expect((await workspace.sessions.list({ customerId: customer.id })).items).toHaveLength(1);
      expect((await workspace.sessions.list({ status: 'active' })).items).toHaveLength(1);
      expect((await workspace.sessions.list()).items).toHaveLength(2);
      expect(
        (
          await caught(() =>
            workspace.sessions.create({ agentId: agent.id, customerId: 'missing' }),
          )
        ).code,
      ).toBe('not_found');
      const status = await caught(() =>
        workspace.sessions.update(session.id, { status: 'paused' as never }),
      );
      expect(status.message).toContain('status');
      const filter = await caught(() => workspace.sessions.list({ status: 'paused' as never }));
      expect(filter.code).toBe('validation_failed');
      expect(filter.message).toContain('status');
    });
  });
}
