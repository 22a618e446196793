import { describe, expect, it, vi } from 'vitest';
import type { JsonValue } from '../../src/domain/common';
import { createEngine, type WorkspaceEngine } from '../../src/engine/create-engine';
import { createOpenAIChatModel } from '../../src/openai/create-openai-chat-model';
import type { Retriever } from '../../src/ports/retriever';
import type {
  WorkflowExecution,
  WorkflowExecutionRequest,
  WorkflowExecutor,
} from '../../src/ports/workflow-executor';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { startFakeOpenAIServer } from '../../src/testing/start-fake-openai-server';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';
import { proposeToolCall } from '../scripted-tool-calls';

// The host's workflows linked to an agent (`agent_workflow`): as tools a turn calls, and as
// reactions to session events; every run recorded (`session_workflow`) and shown in the
// session's events.

const store = useScenarioStore();

/** An executor in the host's process: each workflow is a function of its input. */
function hostWorkflows(
  workflows: Record<
    string,
    (input: Record<string, JsonValue>, request: WorkflowExecutionRequest) => Promise<JsonValue>
  >,
) {
  const requests: WorkflowExecutionRequest[] = [];
  const executor: WorkflowExecutor = {
    async execute(request): Promise<WorkflowExecution> {
      requests.push(request);
      const workflow = workflows[request.workflowId];
      if (!workflow) throw new Error(`no workflow ${request.workflowId}`);
      return {
        output: await workflow(request.input, request),
        executionId: `exec-${requests.length}`,
      };
    },
  };
  return { executor, requests };
}

/** Posts a customer's message and answers its turn, which must end `ready`. */
async function say(workspace: WorkspaceEngine, sessionId: string, text: string) {
  return expectReady(
    await (await workspace.sessions.postCustomerMessage(sessionId, { text })).turn,
  );
}

/** Waits until the session's runs have all ended, and answers them. */
async function settledRuns(workspace: WorkspaceEngine, sessionId: string, count: number) {
  return vi.waitFor(
    async () => {
      const runs = (await workspace.sessionWorkflows.list({ sessionId })).items;
      expect(runs).toHaveLength(count);
      expect(runs.every((run) => run.status !== 'running')).toBe(true);
      return runs;
    },
    { timeout: 5_000, interval: 20 },
  );
}

async function refundDesk(workspace: WorkspaceEngine, workflowId = 'wf-refund') {
  const agent = await workspace.agents.create({ name: 'Refunds' });
  const inputSchema = {
    type: 'object',
    properties: { orderNumber: { type: 'string' } },
    required: ['orderNumber'],
  };
  const link = await workspace.agentWorkflows.create({
    agentId: agent.id,
    workflowId,
    name: 'Refund an order',
    description: 'Refunds an order by its number',
    toolName: 'refund_order',
    inputSchema,
  });
  const declared = await workspace.tools.create({
    name: 'refund_order',
    description: 'Refunds an order by its number',
    parameters: inputSchema,
  });
  const guideline = await workspace.guidelines.create({
    agentId: agent.id,
    condition: 'the customer wants their money back',
    action: 'refund the order',
  });
  await workspace.guidelines.setTools(guideline.id, [declared.id]);
  return { agent, link };
}

describe('workflows as tools', () => {
  it('runs the linked workflow when the turn calls its tool, and records the run', async () => {
    const host = hostWorkflows({
      'wf-refund': async (input) => ({ refunded: true, orderNumber: input.orderNumber ?? null }),
    });
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, workflowExecutor: host.executor });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, link } = await refundDesk(workspace);
    const session = await workspace.sessions.create({ agentId: agent.id });
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'refund_order', { orderNumber: 'A-17' });
    model.onText('reply', () => 'Your refund is on its way.');

    const ready = await say(workspace, session.id, 'I want my money back for order A-17');
    expect(ready.explanation.tools).toEqual([{ toolName: 'refund_order', ok: true }]);
    expect(host.requests).toEqual([
      expect.objectContaining({
        workflowId: 'wf-refund',
        input: { orderNumber: 'A-17' },
        agentId: agent.id,
        sessionId: session.id,
        trigger: 'tool',
      }),
    ]);
    const toolEvent = (await workspace.events.list(session.id)).find(
      (event) => event.kind === 'tool',
    );
    expect(toolEvent?.data).toEqual({
      calls: [
        {
          toolName: 'refund_order',
          arguments: { orderNumber: 'A-17' },
          result: { refunded: true, orderNumber: 'A-17' },
        },
      ],
    });
    const [run] = (await workspace.sessionWorkflows.list({ sessionId: session.id })).items;
    expect(run).toMatchObject({
      agentWorkflowId: link.id,
      workflowId: 'wf-refund',
      trigger: 'tool',
      status: 'succeeded',
      input: { orderNumber: 'A-17' },
      output: { refunded: true, orderNumber: 'A-17' },
      executionId: 'exec-1',
      error: null,
    });
    expect(run?.durationMs).toEqual(expect.any(Number));
    await engine.close();
  });

  it('records a failing workflow as a failed run and a failed call; the turn still answers', async () => {
    const host = hostWorkflows({
      'wf-refund': async () => {
        throw new Error('payments service unavailable');
      },
    });
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, workflowExecutor: host.executor });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await refundDesk(workspace);
    const session = await workspace.sessions.create({ agentId: agent.id });
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'refund_order', { orderNumber: 'A-17' });
    model.onText('reply', () => 'I could not refund it just now.');

    const ready = await say(workspace, session.id, 'I want my money back for order A-17');
    expect(ready.explanation.tools).toEqual([
      expect.objectContaining({ toolName: 'refund_order', ok: false }),
    ]);
    const call = (await workspace.events.list(session.id)).find((event) => event.kind === 'tool')
      ?.data as { calls: Array<{ error?: { message: string } }> };
    expect(call.calls[0]?.error?.message).toContain('payments service unavailable');
    const [run] = (await workspace.sessionWorkflows.list({ sessionId: session.id })).items;
    expect(run).toMatchObject({
      status: 'failed',
      output: null,
      error: { code: 'workflow_failed', message: 'payments service unavailable' },
    });
    await engine.close();
  });

  it('offers no tool for a disabled link, and none without an executor', async () => {
    const host = hostWorkflows({ 'wf-refund': async () => ({ refunded: true }) });
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, workflowExecutor: host.executor });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, link } = await refundDesk(workspace);
    await workspace.agentWorkflows.update(link.id, { enabled: false });
    const session = await workspace.sessions.create({ agentId: agent.id });
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'refund_order', { orderNumber: 'A-17' });
    model.onText('reply', () => 'Let me see.');
    const ready = await say(workspace, session.id, 'I want my money back for order A-17');
    expect(ready.explanation.tools).toEqual([]);
    expect(host.requests).toEqual([]);

    const withoutExecutor = createEngine({ store: store(), model });
    const sameWorkspace = withoutExecutor.forWorkspace(workspace.workspaceId);
    await sameWorkspace.agentWorkflows.update(link.id, { enabled: true });
    const other = await sameWorkspace.sessions.create({ agentId: agent.id });
    const again = await say(sameWorkspace, other.id, 'I want my money back for order A-17');
    expect(again.explanation.tools).toEqual([]);
    expect(await sameWorkspace.sessions.react(other.id, 'session_started')).toEqual([]);
    expect(host.requests).toEqual([]);
    await engine.close();
    await withoutExecutor.close();
  });
});

describe('workflows as reactions to session events', () => {
  it('runs the workflows of each event once: session started, handed to a person, closed', async () => {
    const host = hostWorkflows({
      'wf-welcome': async (input) => ({ greeted: input.sessionId ?? null }),
      'wf-page-team': async () => ({ paged: 'support-rota' }),
      'wf-survey': async () => ({ surveySent: true }),
    });
    const engine = createEngine({ store: store(), workflowExecutor: host.executor });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Desk' });
    const link = (
      workflowId: string,
      trigger: 'session_started' | 'handoff_requested' | 'session_closed',
    ) =>
      workspace.agentWorkflows.create({
        agentId: agent.id,
        workflowId,
        name: workflowId,
        triggers: [trigger],
      });
    await link('wf-welcome', 'session_started');
    await link('wf-page-team', 'handoff_requested');
    await link('wf-survey', 'session_closed');
    const disabled = await link('wf-survey', 'session_started');
    await workspace.agentWorkflows.update(disabled.id, { enabled: false });

    const session = await workspace.sessions.create({ agentId: agent.id, title: 'Billing' });
    const [started] = await settledRuns(workspace, session.id, 1);
    expect(started).toMatchObject({
      workflowId: 'wf-welcome',
      trigger: 'session_started',
      status: 'succeeded',
      output: { greeted: session.id },
    });
    expect(host.requests[0]?.input).toMatchObject({
      trigger: 'session_started',
      sessionId: session.id,
      agentId: agent.id,
      title: 'Billing',
      mode: 'auto',
    });

    await workspace.sessions.update(session.id, { mode: 'manual' });
    await settledRuns(workspace, session.id, 2);
    // Already manual: no second handoff.
    await workspace.sessions.update(session.id, { title: 'Billing, urgent' });
    await workspace.sessions.update(session.id, { status: 'closed' });
    const runs = await settledRuns(workspace, session.id, 3);
    expect(runs.map((run) => [run.workflowId, run.trigger, run.status])).toEqual([
      ['wf-welcome', 'session_started', 'succeeded'],
      ['wf-page-team', 'handoff_requested', 'succeeded'],
      ['wf-survey', 'session_closed', 'succeeded'],
    ]);

    // Each run is in the session's log as a tool event of the system, once it has ended.
    const toolEvents = await vi.waitFor(async () => {
      const found = (await workspace.events.list(session.id)).filter(
        (event) => event.kind === 'tool',
      );
      expect(found.map((event) => event.source)).toEqual(['system', 'system', 'system']);
      return found;
    });
    expect(
      toolEvents.map((event) => (event.data as { calls: Array<{ toolName: string }> }).calls[0]),
    ).toEqual([
      expect.objectContaining({ toolName: 'workflow:wf-welcome', result: { greeted: session.id } }),
      expect.objectContaining({
        toolName: 'workflow:wf-page-team',
        result: { paged: 'support-rota' },
      }),
      expect.objectContaining({ toolName: 'workflow:wf-survey', result: { surveySent: true } }),
    ]);
    await engine.close();
  });

  it('ends a slow workflow at its deadline and a running one when the engine closes', async () => {
    const never = (_input: Record<string, JsonValue>, request: WorkflowExecutionRequest) =>
      new Promise<JsonValue>((_resolve, reject) => {
        request.signal.addEventListener('abort', () => reject(new Error('aborted')), {
          once: true,
        });
      });
    const host = hostWorkflows({ 'wf-slow': never, 'wf-long': never });
    const engine = createEngine({ store: store(), workflowExecutor: host.executor });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Desk' });
    await workspace.agentWorkflows.create({
      agentId: agent.id,
      workflowId: 'wf-slow',
      name: 'Slow',
      triggers: ['session_started'],
      timeoutMs: 100,
    });
    const session = await workspace.sessions.create({ agentId: agent.id });
    const [timedOut] = await settledRuns(workspace, session.id, 1);
    expect(timedOut).toMatchObject({ status: 'failed', error: { code: 'workflow_timeout' } });

    await workspace.agentWorkflows.create({
      agentId: agent.id,
      workflowId: 'wf-long',
      name: 'Long',
      triggers: ['session_closed'],
      timeoutMs: 600_000,
    });
    await workspace.sessions.update(session.id, { status: 'closed' });
    await vi.waitFor(() => expect(host.requests).toHaveLength(2));
    await engine.close();
    const runs = (await workspace.sessionWorkflows.list({ sessionId: session.id })).items;
    expect(runs[1]).toMatchObject({
      workflowId: 'wf-long',
      status: 'failed',
      error: { code: 'workflow_cancelled' },
    });
  });

  it('runs the reactions of a session written through the store when asked, once', async () => {
    const host = hostWorkflows({ 'wf-welcome': async () => ({ greeted: true }) });
    const engine = createEngine({ store: store(), workflowExecutor: host.executor });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Desk' });
    await workspace.agentWorkflows.create({
      agentId: agent.id,
      workflowId: 'wf-welcome',
      name: 'Welcome',
      triggers: ['session_started'],
    });
    // Created in a transaction of the caller's own, as the widget's route does.
    const session = await engine.store.transaction((transaction) =>
      transaction.forWorkspace(workspace.workspaceId).sessions.create({ agentId: agent.id }),
    );
    expect(host.requests).toEqual([]);
    const runs = await workspace.sessions.react(session.id, 'session_started');
    expect(runs.map((run) => [run.workflowId, run.status])).toEqual([['wf-welcome', 'succeeded']]);
    expect(host.requests).toHaveLength(1);
    await engine.close();
  });
});

describe('workflows in an agent definition', () => {
  it('syncs workflow links and their tool declarations; a guideline calls the workflow by its tool name', async () => {
    const host = hostWorkflows({
      'wf-refund': async (input) => ({ refunded: input.orderNumber ?? null }),
      'wf-survey': async () => ({ surveySent: true }),
    });
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, workflowExecutor: host.executor });
    const workspaceId = freshWorkspaceId();
    const workspace = engine.forWorkspace(workspaceId);
    const definition = {
      name: 'Refunds',
      workflows: [
        {
          workflowId: 'wf-refund',
          name: 'Refund an order',
          description: 'Refunds an order by its number',
          tool: 'refund_order',
          inputSchema: {
            type: 'object',
            properties: { orderNumber: { type: 'string' } },
            required: ['orderNumber'],
          },
        },
        { workflowId: 'wf-survey', name: 'Survey', triggers: ['session_closed' as const] },
      ],
      guidelines: [
        {
          key: 'refund',
          condition: 'the customer wants their money back',
          action: 'refund the order',
          tools: ['refund_order'],
        },
      ],
    };
    const first = await engine.sync(workspaceId, definition);
    expect(first.changes).toEqual(
      expect.arrayContaining([
        { entity: 'tool', name: 'refund_order', change: 'created' },
        { entity: 'workflow', name: 'wf-refund', change: 'created' },
        { entity: 'workflow', name: 'wf-survey', change: 'created' },
      ]),
    );
    const again = await engine.sync(workspaceId, definition);
    expect(again.changes).toEqual([]);
    expect((await workspace.tools.findByName('refund_order'))?.parameters).toMatchObject({
      required: ['orderNumber'],
    });

    const session = await workspace.sessions.create({ agentId: first.agent.id });
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'refund_order', { orderNumber: 'A-17' });
    model.onText('reply', () => 'Refunded.');
    const ready = await say(workspace, session.id, 'I want my money back for order A-17');
    expect(ready.explanation.tools).toEqual([{ toolName: 'refund_order', ok: true }]);
    expect(host.requests.map((request) => [request.workflowId, request.trigger])).toEqual([
      ['wf-refund', 'tool'],
    ]);

    // Dropped from the definition: the link is archived, and closing runs nothing.
    const trimmed = await engine.sync(workspaceId, {
      ...definition,
      workflows: [definition.workflows[0] as (typeof definition.workflows)[number]],
    });
    expect(trimmed.changes).toEqual([
      { entity: 'workflow', name: 'wf-survey', change: 'archived' },
    ]);
    await workspace.sessions.update(session.id, { status: 'closed' });
    expect(await workspace.sessions.react(session.id, 'session_closed')).toEqual([]);
    expect(host.requests).toHaveLength(1);
    await engine.close();
  });
});

describe('a workflow and a knowledge base in one conversation, through the OpenAI client', () => {
  it('the model calls the workflow, then cites a retrieved passage, over real HTTP', async () => {
    const server = await startFakeOpenAIServer();
    const host = hostWorkflows({
      'wf-refund': async (input) => ({ orderNumber: input.orderNumber ?? null, queue: 'billing' }),
    });
    const helpCenter: Retriever = {
      id: 'help-center',
      async retrieve() {
        return [
          {
            id: 'chunk-1',
            text: 'Refunds arrive on the original card within five business days.',
            score: 1,
            source: { title: 'refund-policy.md' },
          },
        ];
      },
    };
    const model = createOpenAIChatModel({
      model: 'gpt-fake',
      apiKey: 'test-key',
      baseURL: server.baseURL,
      maxRetries: 0,
    });
    const engine = createEngine({
      store: store(),
      model,
      retrievers: [helpCenter],
      workflowExecutor: host.executor,
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await refundDesk(workspace);
    await workspace.agents.update(agent.id, { retrieverIds: ['help-center'] });
    const session = await workspace.sessions.create({ agentId: agent.id });
    server.enqueue({
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: { id: null, nextState: null },
        cannedResponse: null,
      },
    });
    server.enqueue({
      json: {
        calls: [
          {
            tool: 'refund_order',
            call: true,
            arguments: '{"orderNumber":"A-1042"}',
            missingArguments: [],
          },
        ],
      },
    });
    server.enqueue({ text: 'Billing has your request; refunds arrive within five days [1].' });

    const ready = await say(workspace, session.id, 'I want my money back for order A-1042');
    expect(ready.explanation.tools).toEqual([{ toolName: 'refund_order', ok: true }]);
    expect(ready.message.data).toMatchObject({
      text: 'Billing has your request; refunds arrive within five days [1].',
      sources: [{ title: 'refund-policy.md', passageId: 'chunk-1', retrieverId: 'help-center' }],
    });
    // The reply's prompt carried both the workflow's result and the passage.
    const replyPrompt = JSON.stringify(server.requests.at(-1)?.body);
    expect(replyPrompt).toContain('billing');
    expect(replyPrompt).toContain('Refunds arrive on the original card within five business days.');
    const [run] = (await workspace.sessionWorkflows.list({ sessionId: session.id })).items;
    expect(run).toMatchObject({
      trigger: 'tool',
      status: 'succeeded',
      input: { orderNumber: 'A-1042' },
      output: { orderNumber: 'A-1042', queue: 'billing' },
    });
    await engine.close();
    await server.close();
  });
});
