import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Guideline } from '../domain/guideline';
import { ParleyError } from '../errors/parley-error';
import { createPgliteStore, type PgliteStore } from '../pglite/create-pglite-store';
import type { WorkspaceStore } from '../ports/store';
import { tool } from '../tools/tool';
import {
  type AgentDefinition,
  type AgentDefinitionInput,
  defineAgent,
  type GuidelineDefinitionInput,
  type JourneyDefinitionInput,
  type JourneyTransitionDefinitionInput,
} from './define-agent';
import { type AgentSyncChange, syncAgent } from './sync-agent';

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Finds an order by its number',
  parameters: z.object({ orderNumber: z.string() }),
  handler: async ({ orderNumber }) => ({ orderNumber, status: 'shipped' }),
});
const refund = tool({
  name: 'refund',
  description: 'Refunds an order',
  parameters: z.object({ orderNumber: z.string(), amount: z.number().positive() }),
  handler: async () => ({ ok: true }),
});
const checkBalance = tool({
  name: 'check_balance',
  description: 'Reads the customer balance',
  parameters: z.object({}),
  handler: async () => ({ balance: 0 }),
});

const angry = { condition: 'the customer is angry', action: 'apologise sincerely' };

/** The first version of the agent: every kind of part. */
const version1: AgentDefinitionInput = {
  name: 'Support',
  description: 'Answers customers',
  compositionMode: 'canned_fluid',
  metadata: { team: 'care', levels: { first: true } },
  tools: [lookupOrder, refund, checkBalance],
  guidelines: [
    { key: 'greet', condition: 'the customer says hello', action: 'greet them back' },
    {
      key: 'order',
      condition: 'the customer asks about an order',
      action: 'look the order up',
      tools: ['lookup_order', 'check_balance'],
      tags: ['orders'],
      metadata: { owner: 'ops', since: 2024 },
    },
    {
      key: 'refund_request',
      condition: 'the customer wants their money back',
      action: 'start the refund journey',
      criticality: 'high',
      priority: 10,
      examples: ['I want a refund'],
      tools: ['refund', 'lookup_order'],
    },
    angry,
  ],
  relationships: [
    { kind: 'priority', source: 'order', target: 'greet' },
    { kind: 'entailment', source: 'refund_request', target: 'order' },
  ],
  journeys: [
    {
      key: 'refund',
      title: 'Refund',
      description: 'Refund an order',
      conditions: ['the customer wants a refund'],
      initialState: 'ask',
      states: [
        { key: 'ask', kind: 'chat', action: 'ask for the order number' },
        { key: 'pay', kind: 'tool', tool: 'refund' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask', to: 'pay', condition: 'the customer gave the number' },
        { from: 'pay', to: 'done' },
      ],
      guidelines: ['refund_request'],
    },
  ],
  variables: [
    {
      name: 'last_order',
      description: 'The latest order',
      tool: 'lookup_order',
      freshness: { kind: 'max_age', seconds: 300 },
    },
    { name: 'plan', defaultValue: { tier: 'free', seats: 1 } },
  ],
  terms: [{ name: 'RMA', description: 'Return merchandise authorization', synonyms: ['return'] }],
  cannedResponses: [
    { template: 'Your order {{orderNumber}} has shipped.', tags: ['shipping'] },
    { template: 'Hello! How can I help?' },
  ],
};

/**
 * The second version: one guideline edited (greet), one removed (the angry one), one added
 * (thanks), a relationship swapped, a journey state added, a canned template changed and a
 * tool removed (check_balance, which the order guideline used).
 */
function version2(): AgentDefinitionInput {
  return {
    ...version1,
    tools: [lookupOrder, refund],
    guidelines: [
      { key: 'greet', condition: 'the customer says hello', action: 'greet them back warmly' },
      { ...(version1.guidelines?.[1] as GuidelineDefinitionInput), tools: ['lookup_order'] },
      version1.guidelines?.[2] as GuidelineDefinitionInput,
      { key: 'thanks', condition: 'the customer says thanks', action: 'say you are welcome' },
    ],
    relationships: [
      { kind: 'priority', source: 'greet', target: 'order' },
      { kind: 'entailment', source: 'refund_request', target: 'order' },
    ],
    journeys: [
      {
        ...(version1.journeys?.[0] as JourneyDefinitionInput),
        states: [
          { key: 'ask', kind: 'chat', action: 'ask for the order number' },
          { key: 'confirm', kind: 'chat', action: 'confirm the amount' },
          { key: 'pay', kind: 'tool', tool: 'refund' },
          { key: 'done', kind: 'end' },
        ],
        transitions: [
          { from: 'ask', to: 'confirm', condition: 'the customer gave the number' },
          { from: 'confirm', to: 'pay', condition: 'the customer agrees' },
          { from: 'pay', to: 'done' },
        ],
      },
    ],
    cannedResponses: [
      { template: 'Your order {{orderNumber}} has shipped.', tags: ['shipping'] },
      { template: 'Hi! How can I help?' },
    ],
  };
}

const angryKey = defineAgent(version1).guidelines[3]?.key as string;

let store: PgliteStore;
let workspaceCount = 0;
const freshWorkspace = () => store.forWorkspace(`definition-sync-${++workspaceCount}`);

beforeAll(async () => {
  store = await createPgliteStore();
});
afterAll(async () => {
  await store.close();
});

async function agentNamed(workspace: WorkspaceStore, name: string) {
  const agent = (await workspace.agents.list({ limit: 200 })).items.find(
    (candidate) => candidate.name === name,
  );
  if (!agent) throw new Error(`no agent named ${name}`);
  return agent;
}

async function guidelinesByKey(workspace: WorkspaceStore, agentId: string) {
  const guidelines = await workspace.guidelines.listAll(agentId);
  return new Map(guidelines.map((guideline) => [guideline.key ?? guideline.id, guideline]));
}

/** Tool names by id, for reading stored references back as names. */
async function toolNames(workspace: WorkspaceStore) {
  const tools = (await workspace.tools.list({ limit: 200 })).items;
  return new Map(tools.map((stored) => [stored.id, stored.name]));
}

/** Everything stored in a workspace, for before/after comparisons. */
async function snapshot(workspace: WorkspaceStore) {
  const agents = (await workspace.agents.list({ limit: 200 })).items;
  return {
    tools: (await workspace.tools.list({ limit: 200 })).items,
    agents: await Promise.all(
      agents.map(async (agent) => {
        const filter = { agentId: agent.id, limit: 200 };
        const guidelines = await workspace.guidelines.listAll(agent.id);
        return {
          agent,
          tools: await workspace.agents.listTools(agent.id),
          guidelines: await Promise.all(
            guidelines.map(async (guideline) => ({
              ...guideline,
              toolIds: await workspace.guidelines.listToolIds(guideline.id),
            })),
          ),
          relationships: (await workspace.relationships.list(filter)).items,
          journeys: (await workspace.journeys.list(filter)).items,
          variables: (await workspace.variables.list(filter)).items,
          terms: (await workspace.terms.list(filter)).items,
          cannedResponses: (await workspace.cannedResponses.list(filter)).items,
        };
      }),
    ),
  };
}

/** Relationships as `kind:sourceKey->targetKey`, sorted. */
async function relationshipNames(workspace: WorkspaceStore, agentId: string) {
  const guidelines = await workspace.guidelines.listAll(agentId);
  const keyOf = new Map(guidelines.map((guideline) => [guideline.id, guideline.key ?? 'hand']));
  const relationships = (await workspace.relationships.list({ agentId, limit: 200 })).items;
  return relationships
    .map(
      (relationship) =>
        `${relationship.kind}:${keyOf.get(relationship.sourceGuidelineId)}->${keyOf.get(relationship.targetGuidelineId)}`,
    )
    .sort();
}

const sortChanges = (changes: AgentSyncChange[]) =>
  [...changes].sort((left, right) =>
    `${left.entity}|${left.name}|${left.change}`.localeCompare(
      `${right.entity}|${right.name}|${right.change}`,
    ),
  );

describe('syncAgent', () => {
  it('creates everything on the first sync', async () => {
    const workspace = freshWorkspace();
    const report = await syncAgent(store, workspace.workspaceId, defineAgent(version1));

    expect(report).toMatchObject({ created: 19, updated: 0, archived: 0, unchanged: 0 });
    expect(report.changes.every((change) => change.change === 'created')).toBe(true);
    expect(sortChanges(report.changes).map((change) => `${change.entity}:${change.name}`)).toEqual(
      [
        'agent:Support',
        'agentTool:check_balance',
        'agentTool:lookup_order',
        'agentTool:refund',
        'cannedResponse:Hello! How can I help?',
        'cannedResponse:Your order {{orderNumber}} has shipped.',
        `guideline:${angryKey}`,
        'guideline:greet',
        'guideline:order',
        'guideline:refund_request',
        'journey:refund',
        'relationship:entailment:refund_request->order',
        'relationship:priority:order->greet',
        'term:RMA',
        'tool:check_balance',
        'tool:lookup_order',
        'tool:refund',
        'variable:last_order',
        'variable:plan',
      ].sort(),
    );

    const agent = await agentNamed(workspace, 'Support');
    expect(report.agent).toEqual(agent);
    expect(agent).toMatchObject({
      description: 'Answers customers',
      compositionMode: 'canned_fluid',
      metadata: { team: 'care', levels: { first: true } },
    });

    const names = await toolNames(workspace);
    const idOf = (name: string) => [...names].find(([, toolName]) => toolName === name)?.[0];
    expect((await workspace.agents.listTools(agent.id)).map((stored) => stored.name)).toEqual([
      'check_balance',
      'lookup_order',
      'refund',
    ]);
    expect(await workspace.tools.findByName('refund')).toMatchObject({
      description: 'Refunds an order',
      parameters: refund.jsonSchema,
    });

    const guidelines = await guidelinesByKey(workspace, agent.id);
    expect([...guidelines.keys()]).toEqual(['greet', 'order', 'refund_request', angryKey]);
    expect(guidelines.get('refund_request')).toMatchObject({
      condition: 'the customer wants their money back',
      criticality: 'high',
      priority: 10,
      examples: ['I want a refund'],
      version: 1,
    });
    expect(guidelines.get('order')).toMatchObject({
      tags: ['orders'],
      metadata: { owner: 'ops', since: 2024 },
    });
    const toolsOf = async (key: string) =>
      (await workspace.guidelines.listToolIds(guidelines.get(key)?.id as string))
        .map((id) => names.get(id))
        .sort();
    expect(await toolsOf('order')).toEqual(['check_balance', 'lookup_order']);
    expect(await toolsOf('refund_request')).toEqual(['lookup_order', 'refund']);
    expect(await toolsOf('greet')).toEqual([]);

    expect(await relationshipNames(workspace, agent.id)).toEqual([
      'entailment:refund_request->order',
      'priority:order->greet',
    ]);

    const [journey, ...otherJourneys] = (await workspace.journeys.list({ agentId: agent.id }))
      .items;
    expect(otherJourneys).toEqual([]);
    expect(journey).toMatchObject({
      key: 'refund',
      title: 'Refund',
      description: 'Refund an order',
      conditions: ['the customer wants a refund'],
      initialState: 'ask',
      guidelineIds: [guidelines.get('refund_request')?.id],
    });
    expect(
      journey?.states.map(({ key, kind, action, toolId }) => [key, kind, action, toolId]),
    ).toEqual([
      ['ask', 'chat', 'ask for the order number', null],
      ['pay', 'tool', null, idOf('refund')],
      ['done', 'end', null, null],
    ]);
    expect(journey?.transitions.map(({ from, to, condition }) => [from, to, condition])).toEqual([
      ['ask', 'pay', 'the customer gave the number'],
      ['pay', 'done', null],
    ]);

    const variables = (await workspace.variables.list({ agentId: agent.id })).items;
    expect(variables).toEqual([
      expect.objectContaining({
        name: 'last_order',
        description: 'The latest order',
        toolId: idOf('lookup_order'),
        freshness: { kind: 'max_age', seconds: 300 },
        defaultValue: null,
      }),
      expect.objectContaining({
        name: 'plan',
        toolId: null,
        freshness: null,
        defaultValue: { tier: 'free', seats: 1 },
      }),
    ]);
    expect((await workspace.terms.list({ agentId: agent.id })).items).toEqual([
      expect.objectContaining({
        name: 'RMA',
        description: 'Return merchandise authorization',
        synonyms: ['return'],
      }),
    ]);
    expect((await workspace.cannedResponses.list({ agentId: agent.id })).items).toEqual([
      expect.objectContaining({
        template: 'Your order {{orderNumber}} has shipped.',
        tags: ['shipping'],
        fields: ['orderNumber'],
      }),
      expect.objectContaining({ template: 'Hello! How can I help?', tags: [] }),
    ]);
  });

  it('writes nothing on a second sync of the same definition', async () => {
    const workspace = freshWorkspace();
    await syncAgent(store, workspace.workspaceId, defineAgent(version1));
    const before = await snapshot(workspace);

    const report = await syncAgent(store, workspace.workspaceId, defineAgent(version1));

    expect(report).toMatchObject({
      created: 0,
      updated: 0,
      archived: 0,
      unchanged: 19,
      changes: [],
    });
    // Versions (which key cached vectors) and updatedAt stamps did not move.
    expect(await snapshot(workspace)).toEqual(before);
    const guidelines = before.agents[0]?.guidelines as Guideline[];
    expect(guidelines.map((guideline) => guideline.version)).toEqual([1, 1, 1, 1]);
  });

  it('applies exactly the changes of an edited definition', async () => {
    const workspace = freshWorkspace();
    await syncAgent(store, workspace.workspaceId, defineAgent(version1));
    const agent = await agentNamed(workspace, 'Support');
    const before = await guidelinesByKey(workspace, agent.id);
    const [journeyBefore] = (await workspace.journeys.list({ agentId: agent.id })).items;

    const report = await syncAgent(store, workspace.workspaceId, defineAgent(version2()));

    expect(sortChanges(report.changes)).toEqual(
      sortChanges([
        { entity: 'agentTool', name: 'check_balance', change: 'archived' },
        { entity: 'guideline', name: 'greet', change: 'updated' },
        { entity: 'guideline', name: 'order', change: 'updated' },
        { entity: 'guideline', name: 'thanks', change: 'created' },
        { entity: 'guideline', name: angryKey, change: 'archived' },
        { entity: 'relationship', name: 'priority:order->greet', change: 'archived' },
        { entity: 'relationship', name: 'priority:greet->order', change: 'created' },
        { entity: 'journey', name: 'refund', change: 'updated' },
        { entity: 'cannedResponse', name: 'Hello! How can I help?', change: 'archived' },
        { entity: 'cannedResponse', name: 'Hi! How can I help?', change: 'created' },
      ]),
    );
    expect(report).toMatchObject({ created: 3, updated: 3, archived: 4, unchanged: 11 });

    const names = await toolNames(workspace);
    const after = await guidelinesByKey(workspace, agent.id);
    expect([...after.keys()]).toEqual(['greet', 'order', 'refund_request', 'thanks']);
    expect(after.get('greet')).toMatchObject({
      id: before.get('greet')?.id,
      action: 'greet them back warmly',
      version: 2,
    });
    // Only the tools of `order` changed: its version, and its cached vectors, stay.
    expect(after.get('order')).toMatchObject({ id: before.get('order')?.id, version: 1 });
    expect(
      (await workspace.guidelines.listToolIds(after.get('order')?.id as string)).map((id) =>
        names.get(id),
      ),
    ).toEqual(['lookup_order']);
    expect(after.get('refund_request')).toEqual(before.get('refund_request'));
    expect(await workspace.guidelines.find(before.get(angryKey)?.id as string)).toBeNull();

    // The tool is detached from this agent only; its declaration stays in the workspace.
    expect((await workspace.agents.listTools(agent.id)).map((stored) => stored.name)).toEqual([
      'lookup_order',
      'refund',
    ]);
    expect(await workspace.tools.findByName('check_balance')).not.toBeNull();

    expect(await relationshipNames(workspace, agent.id)).toEqual([
      'entailment:refund_request->order',
      'priority:greet->order',
    ]);

    const [journey] = (await workspace.journeys.list({ agentId: agent.id })).items;
    expect(journey?.id).toBe(journeyBefore?.id);
    expect(journey?.states.map((state) => state.key)).toEqual(['ask', 'confirm', 'pay', 'done']);
    // States whose key was kept keep their id (sessions in the journey point at them).
    expect(journey?.states[0]?.id).toBe(journeyBefore?.states[0]?.id);
    expect(journey?.transitions.map(({ from, to }) => `${from}->${to}`)).toEqual([
      'ask->confirm',
      'confirm->pay',
      'pay->done',
    ]);
    expect(journey?.guidelineIds).toEqual([before.get('refund_request')?.id]);

    expect(
      (await workspace.cannedResponses.list({ agentId: agent.id })).items.map(
        (cannedResponse) => cannedResponse.template,
      ),
    ).toEqual(['Your order {{orderNumber}} has shipped.', 'Hi! How can I help?']);

    const again = await syncAgent(store, workspace.workspaceId, defineAgent(version2()));
    expect(again).toMatchObject({ created: 0, updated: 0, archived: 0, changes: [] });
  });

  it('updates tool declarations, variables, terms, canned responses and the agent in place', async () => {
    const workspace = freshWorkspace();
    await syncAgent(store, workspace.workspaceId, defineAgent(version1));
    const agent = await agentNamed(workspace, 'Support');
    const [lastOrder] = (await workspace.variables.list({ agentId: agent.id })).items;

    const report = await syncAgent(
      store,
      workspace.workspaceId,
      defineAgent({
        ...version1,
        // Omitted fields go back to their defaults.
        compositionMode: undefined,
        tools: [
          tool({ ...lookupOrder, description: 'Finds an order by number or email' }),
          refund,
          checkBalance,
        ],
        variables: [{ name: 'last_order', tool: 'lookup_order', description: 'The latest order' }],
        terms: [{ name: 'rma', description: 'A return authorization', synonyms: ['return'] }],
        cannedResponses: [
          { template: 'Your order {{orderNumber}} has shipped.', tags: ['shipping', 'orders'] },
          { template: 'Hello! How can I help?', metadata: { tone: 'warm' } },
        ],
      }),
    );

    expect(sortChanges(report.changes)).toEqual(
      sortChanges([
        { entity: 'agent', name: 'Support', change: 'updated' },
        { entity: 'tool', name: 'lookup_order', change: 'updated' },
        { entity: 'variable', name: 'last_order', change: 'updated' },
        { entity: 'variable', name: 'plan', change: 'archived' },
        { entity: 'term', name: 'rma', change: 'updated' },
        {
          entity: 'cannedResponse',
          name: 'Your order {{orderNumber}} has shipped.',
          change: 'updated',
        },
        { entity: 'cannedResponse', name: 'Hello! How can I help?', change: 'updated' },
      ]),
    );
    expect(report.agent.compositionMode).toBe('fluid');
    expect(await workspace.tools.findByName('lookup_order')).toMatchObject({
      description: 'Finds an order by number or email',
    });
    expect((await workspace.variables.list({ agentId: agent.id })).items).toEqual([
      expect.objectContaining({ id: lastOrder?.id, name: 'last_order', freshness: null }),
    ]);
    expect((await workspace.terms.list({ agentId: agent.id })).items).toEqual([
      expect.objectContaining({ name: 'rma', description: 'A return authorization' }),
    ]);
    expect(
      (await workspace.cannedResponses.list({ agentId: agent.id })).items.map(
        ({ tags, metadata }) => ({ tags, metadata }),
      ),
    ).toEqual([
      { tags: ['shipping', 'orders'], metadata: {} },
      { tags: [], metadata: { tone: 'warm' } },
    ]);
  });

  it('leaves guidelines, journeys and relationships made by hand (without a key) alone', async () => {
    const workspace = freshWorkspace();
    await syncAgent(store, workspace.workspaceId, defineAgent(version1));
    const agent = await agentNamed(workspace, 'Support');
    const greet = (await guidelinesByKey(workspace, agent.id)).get('greet') as Guideline;
    const hand = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer mentions a competitor',
      action: 'stay neutral',
    });
    const handRelationship = await workspace.relationships.create({
      agentId: agent.id,
      kind: 'dependency',
      sourceGuidelineId: hand.id,
      targetGuidelineId: greet.id,
    });
    const handJourney = await workspace.journeys.create({
      agentId: agent.id,
      title: 'Made by hand',
      conditions: ['always'],
      initialState: 'end',
      states: [{ key: 'end', kind: 'end' }],
      transitions: [],
    });

    const unchanged = await syncAgent(store, workspace.workspaceId, defineAgent(version1));
    expect(unchanged.changes).toEqual([]);
    const changed = await syncAgent(store, workspace.workspaceId, defineAgent(version2()));
    expect(changed.changes).toHaveLength(10);

    expect(await workspace.guidelines.get(hand.id)).toEqual(hand);
    expect(await workspace.relationships.get(handRelationship.id)).toEqual(handRelationship);
    expect(await workspace.journeys.get(handJourney.id)).toEqual(handJourney);
  });

  it('accepts a definition not made by defineAgent, checking it first', async () => {
    const workspace = freshWorkspace();
    const plain = { ...defineAgent(version1) } as AgentDefinition;
    expect((await syncAgent(store, workspace.workspaceId, plain)).created).toBe(19);
    const invalid = { ...plain, relationships: [{ kind: 'priority', source: 'x', target: 'y' }] };
    const error = await syncAgent(store, workspace.workspaceId, invalid as AgentDefinition).catch(
      (caught: unknown) => caught,
    );
    expect(ParleyError.isInstance(error) && error.code).toBe('validation_failed');
  });

  describe('a sync that fails midway', () => {
    // PostgreSQL text cannot hold a NUL character: zod and the definition checks accept it,
    // the database refuses it. Canned responses are written last, so everything else of the
    // sync is already written (inside the transaction) when the write fails.
    const withBadTemplate = (definition: AgentDefinitionInput): AgentDefinitionInput => ({
      ...definition,
      cannedResponses: [
        ...(definition.cannedResponses ?? []),
        { template: 'Broken \u0000 template' },
      ],
    });

    it('writes nothing in a fresh workspace', async () => {
      const workspace = freshWorkspace();
      const error = await syncAgent(
        store,
        workspace.workspaceId,
        defineAgent(withBadTemplate(version1)),
      ).catch((caught: unknown) => caught);

      expect(ParleyError.isInstance(error) && error.code).toBe('validation_failed');
      expect(await snapshot(workspace)).toEqual({ tools: [], agents: [] });
    });

    it('leaves a synced agent exactly as it was', async () => {
      const workspace = freshWorkspace();
      await syncAgent(store, workspace.workspaceId, defineAgent(version1));
      const before = await snapshot(workspace);

      const error = await syncAgent(
        store,
        workspace.workspaceId,
        defineAgent(withBadTemplate(version2())),
      ).catch((caught: unknown) => caught);

      expect(ParleyError.isInstance(error) && error.code).toBe('validation_failed');
      expect(await snapshot(workspace)).toEqual(before);
      // And the store still works: the good version applies cleanly afterwards.
      const report = await syncAgent(store, workspace.workspaceId, defineAgent(version2()));
      expect(report.changes).toHaveLength(10);
    });
  });

  it("writes a transition's `when` and updates the journey when only its `when` changes", async () => {
    const workspace = freshWorkspace();
    const journey = version1.journeys?.[0] as JourneyDefinitionInput;
    const withWhen = (when: JourneyTransitionDefinitionInput['when']): AgentDefinitionInput => ({
      ...version1,
      journeys: [
        {
          ...journey,
          transitions: [
            { from: 'ask', to: 'pay', condition: 'the customer gave the number' },
            { from: 'pay', to: 'done', ...(when === undefined ? {} : { when }) },
          ],
        },
      ],
    });
    // Keys in an order jsonb does not keep: reading them back reordered is no change.
    const paid = { path: 'refund.receipt', equals: { status: 'paid', amount: 20 } };
    await syncAgent(store, workspace.workspaceId, defineAgent(withWhen(paid)));
    const agent = await agentNamed(workspace, 'Support');
    const [stored] = (await workspace.journeys.list({ agentId: agent.id })).items;
    expect(stored?.transitions.map((transition) => transition.when)).toEqual([null, paid]);
    const journeyChanges = async (definition: AgentDefinitionInput) =>
      (await syncAgent(store, workspace.workspaceId, defineAgent(definition))).changes.filter(
        (change) => change.entity === 'journey',
      );
    expect(await journeyChanges(withWhen(paid))).toEqual([]);

    const refused = { path: 'refund.receipt', exists: false };
    expect(await journeyChanges(withWhen(refused))).toEqual([
      { entity: 'journey', name: 'refund', change: 'updated' },
    ]);
    const [updated] = (await workspace.journeys.list({ agentId: agent.id })).items;
    expect(updated?.transitions[1]?.when).toEqual(refused);

    expect(await journeyChanges(withWhen(undefined))).toEqual([
      { entity: 'journey', name: 'refund', change: 'updated' },
    ]);
    const [cleared] = (await workspace.journeys.list({ agentId: agent.id })).items;
    expect(cleared?.transitions[1]?.when).toBeNull();
    expect(await journeyChanges(withWhen(null))).toEqual([]);
  });

  it('writes the labels and customer tags of guidelines and journeys, and updates them in place', async () => {
    const workspace = freshWorkspace();
    const journey = version1.journeys?.[0] as JourneyDefinitionInput;
    const scoped = (customerTags: string[], labels: string[]): AgentDefinitionInput => ({
      ...version1,
      guidelines: (version1.guidelines ?? []).map((guideline) =>
        guideline.key === 'order' ? { ...guideline, labels, customerTags } : guideline,
      ),
      journeys: [{ ...journey, labels, customerTags }],
    });
    await syncAgent(store, workspace.workspaceId, defineAgent(scoped(['gold'], ['orders'])));
    const agent = await agentNamed(workspace, 'Support');
    const order = (await guidelinesByKey(workspace, agent.id)).get('order');
    expect(order).toMatchObject({ labels: ['orders'], customerTags: ['gold'], version: 1 });
    const [stored] = (await workspace.journeys.list({ agentId: agent.id })).items;
    expect(stored).toMatchObject({ labels: ['orders'], customerTags: ['gold'] });

    // The same definition again: nothing written, no version moved.
    const again = await syncAgent(
      store,
      workspace.workspaceId,
      defineAgent(scoped(['gold'], ['orders'])),
    );
    expect(again.changes).toEqual([]);

    const changed = await syncAgent(
      store,
      workspace.workspaceId,
      defineAgent(scoped([], ['orders', 'vip'])),
    );
    expect(sortChanges(changed.changes)).toEqual([
      { entity: 'guideline', name: 'order', change: 'updated' },
      { entity: 'journey', name: 'refund', change: 'updated' },
    ]);
    const updated = (await guidelinesByKey(workspace, agent.id)).get('order');
    expect(updated).toMatchObject({
      id: order?.id,
      labels: ['orders', 'vip'],
      customerTags: [],
      version: 2,
    });
    const [replaced] = (await workspace.journeys.list({ agentId: agent.id })).items;
    expect(replaced).toMatchObject({ labels: ['orders', 'vip'], customerTags: [] });
  });

  it('keeps workspaces independent', async () => {
    const first = freshWorkspace();
    const second = freshWorkspace();
    await syncAgent(store, first.workspaceId, defineAgent(version1));
    const firstBefore = await snapshot(first);

    const report = await syncAgent(store, second.workspaceId, defineAgent(version1));
    expect(report.created).toBe(19);
    const secondAgent = await agentNamed(second, 'Support');
    expect(secondAgent.id).not.toBe(firstBefore.agents[0]?.agent.id);
    expect((await second.tools.findByName('refund'))?.id).not.toBe(
      (await first.tools.findByName('refund'))?.id,
    );

    await syncAgent(store, second.workspaceId, defineAgent(version2()));
    expect(await snapshot(first)).toEqual(firstBefore);
    expect((await syncAgent(store, first.workspaceId, defineAgent(version1))).changes).toEqual([]);
  });

  it('keeps a tool another agent of the workspace uses when one agent drops it', async () => {
    const workspace = freshWorkspace();
    await syncAgent(
      store,
      workspace.workspaceId,
      defineAgent({ name: 'Billing', tools: [checkBalance] }),
    );
    await syncAgent(store, workspace.workspaceId, defineAgent(version1));
    const billingTool = await workspace.tools.findByName('check_balance');

    const report = await syncAgent(store, workspace.workspaceId, defineAgent(version2()));
    expect(report.changes).toContainEqual({
      entity: 'agentTool',
      name: 'check_balance',
      change: 'archived',
    });
    const billing = await agentNamed(workspace, 'Billing');
    expect(await workspace.agents.listTools(billing.id)).toEqual([billingTool]);
  });
});
