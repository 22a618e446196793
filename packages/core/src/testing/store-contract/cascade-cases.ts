import { describe, expect, it } from 'vitest';
import { hashAgentKey } from '../../domain/agent-key-secret';
import type { WorkspaceStore } from '../../ports/store';
import { caught, type StoreContractContext, seedAgent } from './contract-context';

/** An agent with one of everything it can own, and a conversation with events and values. */
async function seedAgentWithEverything(workspace: WorkspaceStore) {
  const agent = await seedAgent(workspace);
  const tool = await workspace.tools.create({
    name: `tool_${globalThis.crypto.randomUUID().slice(0, 8)}`,
    description: 'Tool',
  });
  await workspace.agents.attachTool(agent.id, tool.id);
  const guideline = await workspace.guidelines.create({
    agentId: agent.id,
    condition: 'a',
    key: 'a',
  });
  const other = await workspace.guidelines.create({ agentId: agent.id, condition: 'b' });
  await workspace.guidelines.setTools(guideline.id, [tool.id]);
  const relationship = await workspace.relationships.create({
    agentId: agent.id,
    kind: 'entailment',
    sourceGuidelineId: guideline.id,
    targetGuidelineId: other.id,
  });
  const journey = await workspace.journeys.create({
    agentId: agent.id,
    title: 'Journey',
    conditions: ['x'],
    initialState: 'start',
    states: [
      { key: 'start', kind: 'tool', toolId: tool.id },
      { key: 'end', kind: 'end' },
    ],
    transitions: [{ from: 'start', to: 'end' }],
    guidelineIds: [guideline.id],
  });
  const variable = await workspace.variables.create({ agentId: agent.id, name: 'plan' });
  const term = await workspace.terms.create({
    agentId: agent.id,
    name: 'APR',
    description: 'Rate',
  });
  const cannedResponse = await workspace.cannedResponses.create({
    agentId: agent.id,
    template: 'Hi',
  });
  const { agentKey, secret } = await workspace.agentKeys.issue({ agentId: agent.id, name: 'Site' });
  const { apiKey, secret: apiSecret } = await workspace.agentApiKeys.issue({
    agentId: agent.id,
    name: 'Backend',
  });
  const workflowLink = await workspace.agentWorkflows.create({
    agentId: agent.id,
    workflowId: 'wf',
    name: 'Lookup',
    toolName: 'lookup',
  });
  const customer = await workspace.customers.create({ externalId: `c-${agent.id}` });
  const session = await workspace.sessions.create({ agentId: agent.id, customerId: customer.id });
  const events = await workspace.events.append(session.id, [
    { kind: 'message', source: 'customer', data: { text: 'hello' } },
    { kind: 'status', source: 'ai_agent', data: { status: 'ready' } },
  ]);
  const workflowRun = await workspace.sessionWorkflows.start({
    sessionId: session.id,
    agentWorkflowId: workflowLink.id,
    workflowId: 'wf',
    trigger: 'tool',
    input: {},
  });
  await workspace.variables.setValue(
    variable.id,
    { scope: 'session', sessionId: session.id },
    'pro',
  );
  await workspace.variables.setValue(
    variable.id,
    { scope: 'customer', customerId: customer.id },
    'basic',
  );
  return {
    agent,
    tool,
    guideline,
    other,
    relationship,
    journey,
    variable,
    term,
    cannedResponse,
    agentKey,
    secret,
    apiKey,
    apiSecret,
    workflowLink,
    workflowRun,
    customer,
    session,
    events,
  };
}

/** What goes with a deleted or archived record, and what stays. */
export function registerCascadeCases(context: StoreContractContext): void {
  describe('cascades', () => {
    it('deleting an agent deletes its guidelines, journeys, keys, sessions and their events', async () => {
      const workspace = context.freshWorkspace();
      const seeded = await seedAgentWithEverything(workspace);
      await workspace.agents.delete(seeded.agent.id);
      const gone: Array<[string, () => Promise<unknown>]> = [
        ['guideline', () => workspace.guidelines.get(seeded.guideline.id)],
        ['relationship', () => workspace.relationships.get(seeded.relationship.id)],
        ['journey', () => workspace.journeys.get(seeded.journey.id)],
        ['variable', () => workspace.variables.get(seeded.variable.id)],
        ['term', () => workspace.terms.get(seeded.term.id)],
        ['canned response', () => workspace.cannedResponses.get(seeded.cannedResponse.id)],
        ['agent key', () => workspace.agentKeys.get(seeded.agentKey.id)],
        ['API key', () => workspace.agentApiKeys.get(seeded.apiKey.id)],
        ['workflow link', () => workspace.agentWorkflows.get(seeded.workflowLink.id)],
        ['session', () => workspace.sessions.get(seeded.session.id)],
        ['workflow run', () => workspace.sessionWorkflows.get(seeded.workflowRun.id)],
        // Events have no soft delete: not found means the rows are gone.
        ['event', () => workspace.events.get(seeded.events[0]?.id ?? '')],
      ];
      for (const [label, read] of gone) {
        expect({ label, code: (await caught(read)).code }).toEqual({ label, code: 'not_found' });
      }
      expect(
        await context.store().findAgentKeyByHash(await hashAgentKey(seeded.secret)),
      ).toBeNull();
      expect(
        await context.store().findAgentApiKeyByHash(await hashAgentKey(seeded.apiSecret)),
      ).toBeNull();
      // What the workspace owns beyond the agent stays.
      expect((await workspace.tools.get(seeded.tool.id)).id).toBe(seeded.tool.id);
      expect((await workspace.customers.get(seeded.customer.id)).id).toBe(seeded.customer.id);
    });

    it('deleting a session deletes its events and session-scoped values only', async () => {
      const workspace = context.freshWorkspace();
      const seeded = await seedAgentWithEverything(workspace);
      await workspace.sessions.delete(seeded.session.id);
      for (const event of seeded.events) {
        expect((await caught(() => workspace.events.get(event.id))).code).toBe('not_found');
      }
      const values = await workspace.variables.listValues(seeded.variable.id);
      expect(values.map((value) => value.scope)).toEqual(['customer']);
      expect((await workspace.agents.get(seeded.agent.id)).id).toBe(seeded.agent.id);
    });

    it('deleting a customer deletes their sessions and values', async () => {
      const workspace = context.freshWorkspace();
      const seeded = await seedAgentWithEverything(workspace);
      await workspace.customers.delete(seeded.customer.id);
      expect((await caught(() => workspace.sessions.get(seeded.session.id))).code).toBe(
        'not_found',
      );
      expect(await workspace.variables.listValues(seeded.variable.id)).toEqual([]);
    });

    it('deleting a journey takes its states and transitions; a used tool cannot be deleted', async () => {
      const workspace = context.freshWorkspace();
      const seeded = await seedAgentWithEverything(workspace);
      const blocked = await caught(() => workspace.tools.delete(seeded.tool.id));
      expect(blocked.code).toBe('conflict');
      await workspace.journeys.delete(seeded.journey.id);
      await workspace.tools.delete(seeded.tool.id);
      expect(await workspace.guidelines.listToolIds(seeded.guideline.id)).toEqual([]);
    });

    it('archiving an agent archives what it owns and disables its keys', async () => {
      const workspace = context.freshWorkspace();
      const seeded = await seedAgentWithEverything(workspace);
      await workspace.agents.archive(seeded.agent.id);
      expect(await workspace.guidelines.find(seeded.guideline.id)).toBeNull();
      expect(await workspace.journeys.find(seeded.journey.id)).toBeNull();
      expect(await workspace.sessions.find(seeded.session.id)).toBeNull();
      expect(await workspace.agentKeys.find(seeded.agentKey.id)).toBeNull();
      expect(
        await context.store().findAgentKeyByHash(await hashAgentKey(seeded.secret)),
      ).toBeNull();
      expect(await workspace.agentApiKeys.find(seeded.apiKey.id)).toBeNull();
      expect(
        await context.store().findAgentApiKeyByHash(await hashAgentKey(seeded.apiSecret)),
      ).toBeNull();
      expect(await workspace.agentWorkflows.find(seeded.workflowLink.id)).toBeNull();
      expect((await caught(() => workspace.events.list(seeded.session.id))).code).toBe('not_found');
      // Unique names are free again.
      const again = await workspace.agents.create({ name: seeded.agent.name });
      await workspace.guidelines.create({ agentId: again.id, key: 'a', condition: 'a' });
    });

    it('archiving a guideline unlinks it from journeys and tools', async () => {
      const workspace = context.freshWorkspace();
      const seeded = await seedAgentWithEverything(workspace);
      await workspace.guidelines.archive(seeded.guideline.id);
      expect((await workspace.journeys.get(seeded.journey.id)).guidelineIds).toEqual([]);
      expect(await workspace.relationships.find(seeded.relationship.id)).toBeNull();
    });

    it('purging a workspace removes everything in it and nothing elsewhere', async () => {
      const doomed = context.freshWorkspace();
      const kept = context.freshWorkspace();
      const seededDoomed = await seedAgentWithEverything(doomed);
      const seededKept = await seedAgentWithEverything(kept);
      await context.store().purgeWorkspace(doomed.workspaceId);
      expect((await doomed.agents.list()).items).toEqual([]);
      expect((await doomed.customers.list()).items).toEqual([]);
      expect((await doomed.tools.list()).items).toEqual([]);
      expect((await caught(() => doomed.events.get(seededDoomed.events[0]?.id ?? ''))).code).toBe(
        'not_found',
      );
      expect((await kept.events.list(seededKept.session.id)).length).toBe(2);
      expect((await kept.journeys.get(seededKept.journey.id)).states).toHaveLength(2);
    });
  });
}
