import { describe, expect, it } from 'vitest';
import type { WorkspaceStore } from '../../ports/store';
import { caught, type StoreContractContext, seedAgent } from './contract-context';

/** One kind of record, seen through the generic operations every repository offers. */
interface IsolationCase {
  entity: string;
  /** Creates a record in `workspace` and returns its id and the list filter that finds it. */
  seed(workspace: WorkspaceStore): Promise<{ id: string; filter: Record<string, string> }>;
  repository(workspace: WorkspaceStore): {
    get(id: string): Promise<unknown>;
    find(id: string): Promise<unknown>;
    update?(id: string, patch: never): Promise<unknown>;
    archive(id: string): Promise<void>;
    delete(id: string): Promise<void>;
    list(options: never): Promise<{ items: Array<{ id: string }> }>;
  };
  patch?: Record<string, unknown>;
}

const isolationCases: IsolationCase[] = [
  {
    entity: 'agent',
    seed: async (workspace) => ({ id: (await seedAgent(workspace)).id, filter: {} }),
    repository: (workspace) => workspace.agents,
    patch: { description: 'taken over' },
  },
  {
    entity: 'guideline',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const guideline = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      return { id: guideline.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.guidelines,
    patch: { condition: 'taken over' },
  },
  {
    entity: 'relationship',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const source = await workspace.guidelines.create({ agentId: agent.id, condition: 'a' });
      const target = await workspace.guidelines.create({ agentId: agent.id, condition: 'b' });
      const relationship = await workspace.relationships.create({
        agentId: agent.id,
        kind: 'entailment',
        sourceGuidelineId: source.id,
        targetGuidelineId: target.id,
      });
      return { id: relationship.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.relationships,
  },
  {
    entity: 'journey',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const journey = await workspace.journeys.create({
        agentId: agent.id,
        title: 'Journey',
        conditions: ['x'],
        initialState: 'start',
        states: [
          { key: 'start', kind: 'chat', action: 'Greet' },
          { key: 'end', kind: 'end' },
        ],
        transitions: [{ from: 'start', to: 'end' }],
      });
      return { id: journey.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.journeys,
    patch: { title: 'taken over' },
  },
  {
    entity: 'tool',
    seed: async (workspace) => ({
      id: (await workspace.tools.create({ name: 'lookup', description: 'Looks up' })).id,
      filter: {},
    }),
    repository: (workspace) => workspace.tools,
    patch: { description: 'taken over' },
  },
  {
    entity: 'variable',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const variable = await workspace.variables.create({ agentId: agent.id, name: 'plan' });
      return { id: variable.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.variables,
    patch: { description: 'taken over' },
  },
  {
    entity: 'term',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const term = await workspace.terms.create({
        agentId: agent.id,
        name: 'APR',
        description: 'Annual rate',
      });
      return { id: term.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.terms,
    patch: { description: 'taken over' },
  },
  {
    entity: 'canned response',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const response = await workspace.cannedResponses.create({
        agentId: agent.id,
        template: 'Hello',
      });
      return { id: response.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.cannedResponses,
    patch: { template: 'taken over' },
  },
  {
    entity: 'customer',
    seed: async (workspace) => ({
      id: (await workspace.customers.create({ name: 'Ada' })).id,
      filter: {},
    }),
    repository: (workspace) => workspace.customers,
    patch: { name: 'taken over' },
  },
  {
    entity: 'agent key',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const { agentKey } = await workspace.agentKeys.issue({ agentId: agent.id, name: 'Website' });
      return { id: agentKey.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.agentKeys,
    patch: { name: 'taken over' },
  },
  {
    entity: 'API key',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const { apiKey } = await workspace.agentApiKeys.issue({ agentId: agent.id, name: 'Backend' });
      return { id: apiKey.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.agentApiKeys,
    patch: { name: 'taken over' },
  },
  {
    entity: 'workflow link',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      const link = await workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId: 'wf',
        name: 'Lookup',
        toolName: 'lookup',
      });
      return { id: link.id, filter: { agentId: agent.id } };
    },
    repository: (workspace) => workspace.agentWorkflows,
    patch: { name: 'taken over' },
  },
  {
    entity: 'session',
    seed: async (workspace) => {
      const agent = await seedAgent(workspace);
      return { id: (await workspace.sessions.create({ agentId: agent.id })).id, filter: {} };
    },
    repository: (workspace) => workspace.sessions,
    patch: { title: 'taken over' },
  },
];

/** An id from workspace A is not found through workspace B, for every kind of record. */
export function registerIsolationCases(context: StoreContractContext): void {
  describe('workspace isolation', () => {
    for (const isolationCase of isolationCases) {
      it(`hides a ${isolationCase.entity} of workspace A from workspace B`, async () => {
        const owner = context.freshWorkspace();
        const intruder = context.freshWorkspace();
        const { id, filter } = await isolationCase.seed(owner);
        const seen = isolationCase.repository(intruder);
        expect((await caught(() => seen.get(id))).code).toBe('not_found');
        expect(await seen.find(id)).toBeNull();
        if (seen.update && isolationCase.patch) {
          const update = seen.update;
          expect((await caught(() => update(id, isolationCase.patch as never))).code).toBe(
            'not_found',
          );
        }
        expect((await caught(() => seen.archive(id))).code).toBe('not_found');
        expect((await caught(() => seen.delete(id))).code).toBe('not_found');
        const listed = await seen.list(filter as never);
        expect(listed.items.map((item) => item.id)).not.toContain(id);
        // The owner still sees it, untouched by the attempts above.
        const mine = isolationCase.repository(owner);
        expect(await mine.find(id)).not.toBeNull();
        expect((await mine.list(filter as never)).items.map((item) => item.id)).toContain(id);
      });
    }

    it('refuses to attach records of workspace A to records of workspace B', async () => {
      const owner = context.freshWorkspace();
      const intruder = context.freshWorkspace();
      const agent = await seedAgent(owner);
      const tool = await owner.tools.create({ name: 'lookup', description: 'Looks up' });
      const customer = await owner.customers.create({});
      const guideline = await owner.guidelines.create({ agentId: agent.id, condition: 'a' });
      const session = await owner.sessions.create({ agentId: agent.id });
      const variable = await owner.variables.create({ agentId: agent.id, name: 'plan' });
      const ownAgent = await seedAgent(intruder);
      const ownGuideline = await intruder.guidelines.create({
        agentId: ownAgent.id,
        condition: 'a',
      });

      const attempts: Array<[string, () => Promise<unknown>]> = [
        [
          'guideline under a foreign agent',
          () => intruder.guidelines.create({ agentId: agent.id, condition: 'x' }),
        ],
        ['session under a foreign agent', () => intruder.sessions.create({ agentId: agent.id })],
        [
          'session for a foreign customer',
          () => intruder.sessions.create({ agentId: ownAgent.id, customerId: customer.id }),
        ],
        ['foreign tool on an own agent', () => intruder.agents.attachTool(ownAgent.id, tool.id)],
        [
          'knowledge base on a foreign agent',
          () => intruder.agents.attachKnowledgeBase(agent.id, 'kb-1'),
        ],
        ['knowledge bases of a foreign agent', () => intruder.agents.listKnowledgeBases(agent.id)],
        [
          'knowledge base off a foreign agent',
          () => intruder.agents.detachKnowledgeBase(agent.id, 'kb-1'),
        ],
        [
          'foreign tool on an own guideline',
          () => intruder.guidelines.setTools(ownGuideline.id, [tool.id]),
        ],
        [
          'relationship to a foreign guideline',
          () =>
            intruder.relationships.create({
              agentId: ownAgent.id,
              kind: 'priority',
              sourceGuidelineId: ownGuideline.id,
              targetGuidelineId: guideline.id,
            }),
        ],
        [
          'variable backed by a foreign tool',
          () => intruder.variables.create({ agentId: ownAgent.id, name: 'v', toolId: tool.id }),
        ],
        [
          'value of a foreign variable',
          () => intruder.variables.setValue(variable.id, { scope: 'agent' }, 1),
        ],
        [
          'events in a foreign session',
          () =>
            intruder.events.append(session.id, [
              { kind: 'message', source: 'customer', data: { text: 'hi' } },
            ]),
        ],
        ['events of a foreign session', () => intruder.events.list(session.id)],
      ];
      for (const [label, attempt] of attempts) {
        const error = await caught(attempt);
        expect({ label, code: error.code }).toEqual({ label, code: 'not_found' });
      }
      expect((await owner.events.list(session.id)).length).toBe(0);
    });

    it('finds a foreign event by id nowhere but in its own workspace', async () => {
      const owner = context.freshWorkspace();
      const intruder = context.freshWorkspace();
      const agent = await seedAgent(owner);
      const session = await owner.sessions.create({ agentId: agent.id });
      const [event] = await owner.events.append(session.id, [
        {
          kind: 'message',
          source: 'customer',
          data: { text: 'private words', clientMessageId: 'm-1' },
        },
      ]);
      expect((await caught(() => intruder.events.get(event?.id ?? ''))).code).toBe('not_found');
      expect(await intruder.events.findByClientMessageId(session.id, 'm-1')).toBeNull();
      expect(await intruder.events.search({ query: 'private' })).toEqual([]);
      expect(await intruder.events.deleteCreatedBefore(new Date('2100-01-01'))).toBe(0);
      expect(await owner.events.get(event?.id ?? '')).toEqual(event);
    });
  });
}
