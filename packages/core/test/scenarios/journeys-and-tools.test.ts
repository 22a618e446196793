import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, type WorkspaceEngine } from '../../src/engine/create-engine';
import type { TurnOutcome } from '../../src/engine/run-turn';
import {
  createScriptedChatModel,
  type ScriptedChatModel,
} from '../../src/testing/create-scripted-chat-model';
import { jsonSchemaTool } from '../../src/tools/json-schema-tool';
import { type ToolContext, tool } from '../../src/tools/tool';
import { freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';
import { proposeToolCall } from '../scripted-tool-calls';

const store = useScenarioStore();

function expectReady(
  outcome: TurnOutcome | null | undefined,
): Extract<TurnOutcome, { status: 'ready' }> {
  if (outcome?.status !== 'ready')
    throw new Error(`expected a ready turn, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function lastReplyInstructions(model: ScriptedChatModel): string {
  const reply = model.calls.filter((call) => call.purpose === 'reply').at(-1);
  const first = reply?.messages[0];
  return first && 'content' in first ? first.content : '';
}

describe('journeys', () => {
  const availability: Record<string, boolean> = { friday: false, saturday: true };
  const checkAvailability = tool({
    name: 'check_availability',
    description: 'Checks whether a table is free on a day',
    parameters: z.object({ day: z.string() }),
    handler: ({ day }) => ({ day, available: availability[day.toLowerCase()] ?? false }),
  });

  async function bookingAgent(workspace: WorkspaceEngine) {
    const agent = await workspace.agents.create({ name: 'Bistro' });
    const toolRow = await workspace.tools.create({
      name: checkAvailability.name,
      description: checkAvailability.description,
      parameters: checkAvailability.jsonSchema,
    });
    const journey = await workspace.journeys.create({
      agentId: agent.id,
      title: 'Book a table',
      conditions: ['the customer wants to book a table'],
      initialState: 'ask_day',
      states: [
        { key: 'ask_day', kind: 'chat', action: 'Ask which day the customer wants' },
        { key: 'check', kind: 'tool', toolId: toolRow.id },
        { key: 'decide', kind: 'fork' },
        { key: 'confirm', kind: 'chat', action: 'Confirm the booking' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_day', to: 'check', condition: 'the customer named a day' },
        { from: 'check', to: 'decide' },
        { from: 'decide', to: 'confirm', condition: 'a table is free' },
        { from: 'decide', to: 'ask_day', condition: 'no table is free that day' },
        { from: 'confirm', to: 'done', condition: 'the customer acknowledged' },
      ],
    });
    return { agent, journey };
  }

  it('walks a journey through a tool state and back to an earlier step, then to its end', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, tools: [checkAvailability] });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, journey } = await bookingAgent(workspace);
    const session = await workspace.sessions.create({ agentId: agent.id });
    model.onText('reply', () => 'Sure.');
    // The judgement starts the journey, then moves on whenever the customer named a day or
    // thanked; the fork is decided from the availability the tool returned.
    scriptJudgement(model, (view) => {
      if (!view.activeJourney)
        return { journey: { id: view.journeyCandidates[0]?.shortId ?? null, nextState: null } };
      const said = view.latestCustomerMessage.toLowerCase();
      const next = /friday|saturday/.test(said)
        ? 'check'
        : said.includes('thanks')
          ? 'done'
          : view.activeJourney.stateKey;
      return { journey: { id: view.activeJourney.shortId, nextState: next } };
    });
    model.onObject('tool_calls', (request) => {
      const transcript = JSON.stringify(request.messages);
      const day =
        transcript.lastIndexOf('Saturday') > transcript.lastIndexOf('Friday')
          ? 'Saturday'
          : 'Friday';
      return {
        calls: [
          {
            tool: 'check_availability',
            call: true,
            arguments: JSON.stringify({ day }),
            missingArguments: [],
          },
        ],
      };
    });
    model.onObject('journey_branch', (request) => ({
      nextState: JSON.stringify(request.messages).includes('\\"available\\":true')
        ? 'confirm'
        : 'ask_day',
    }));

    const say = async (text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);
    const first = await say('I would like to book a table');
    expect(first.explanation.journey).toEqual({
      journeyId: journey.id,
      title: 'Book a table',
      state: 'ask_day',
      started: true,
    });
    expect(lastReplyInstructions(model)).toContain('Ask which day the customer wants');

    const second = await say('Friday please');
    // check (tool, one way out) → decide (fork) → back to ask_day, since Friday is full.
    expect(second.explanation.journey?.state).toBe('ask_day');
    expect(second.explanation.tools).toEqual([{ toolName: 'check_availability', ok: true }]);
    expect(lastReplyInstructions(model)).toContain('"available":false');

    const third = await say('Saturday then');
    expect(third.explanation.journey?.state).toBe('confirm');
    expect(lastReplyInstructions(model)).toContain('Confirm the booking');

    const fourth = await say('thanks!');
    expect(fourth.explanation.journey?.state).toBe('done');
    expect((await workspace.sessions.get(session.id)).turnState.journey).toBeNull();

    const toolEvents = (await workspace.events.list(session.id)).filter(
      (event) => event.kind === 'tool',
    );
    expect(toolEvents.map((event) => event.kind === 'tool' && event.data.calls[0]?.result)).toEqual(
      [
        { day: 'Friday', available: false },
        { day: 'Saturday', available: true },
      ],
    );
    // The tool state left by a single transition moved on without asking the model; only
    // the fork with two ways out did.
    expect(model.calls.filter((call) => call.purpose === 'journey_branch')).toHaveLength(2);
    await engine.close();
  });

  it('runs a tool state that needs no arguments without any model call of its own', async () => {
    const model = createScriptedChatModel();
    let runs = 0;
    const lookupBalance = tool({
      name: 'lookup_balance',
      description: 'Reads the account balance',
      parameters: z.object({}),
      handler: () => {
        runs += 1;
        return { balance: 42 };
      },
    });
    const engine = createEngine({ store: store(), model, tools: [lookupBalance] });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Bank' });
    const toolRow = await workspace.tools.create({
      name: 'lookup_balance',
      description: 'Reads the account balance',
    });
    await workspace.journeys.create({
      agentId: agent.id,
      title: 'Balance',
      conditions: ['the customer asks for their balance'],
      initialState: 'lookup',
      states: [
        { key: 'lookup', kind: 'tool', toolId: toolRow.id },
        { key: 'tell', kind: 'chat', action: 'Tell the customer their balance' },
      ],
      transitions: [{ from: 'lookup', to: 'tell' }],
    });
    scriptJudgement(model, (view) => ({
      journey: { id: view.journeyCandidates[0]?.shortId ?? null, nextState: null },
    }));
    model.onText('reply', () => 'Your balance is 42.');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'what is my balance' })
      ).turn,
    );
    expect(runs).toBe(1);
    expect(outcome.explanation.journey?.state).toBe('tell');
    expect(model.calls.map((call) => call.purpose)).toEqual(['guideline_judgement', 'reply']);
    expect(lastReplyInstructions(model)).toContain('"balance":42');
    await engine.close();
  });
});

describe('tools', () => {
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Finds an order by its number',
    parameters: z.object({ orderNumber: z.string().min(1) }),
    handler: ({ orderNumber }) => ({ orderNumber, status: 'shipped' }),
  });

  async function orderAgent(workspace: WorkspaceEngine) {
    const agent = await workspace.agents.create({ name: 'Shop' });
    const toolRow = await workspace.tools.create({
      name: 'lookup_order',
      description: 'Finds an order by its number',
    });
    const guideline = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer asks where their order is',
      action: 'look the order up and tell its status',
    });
    await workspace.guidelines.setTools(guideline.id, [toolRow.id]);
    return { agent, guideline };
  }

  it('asks for a missing argument instead of calling the tool', async () => {
    const model = createScriptedChatModel();
    let called = false;
    const engine = createEngine({
      store: store(),
      model,
      tools: [
        {
          ...lookupOrder,
          handler: () => {
            called = true;
            return {};
          },
        },
      ],
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await orderAgent(workspace);
    scriptJudgement(model, () => ({ applies: () => true }));
    model.onObject('tool_calls', () => ({
      calls: [
        { tool: 'lookup_order', call: false, arguments: '{}', missingArguments: ['orderNumber'] },
      ],
    }));
    model.onText('reply', () => 'What is your order number?');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'where is my order?' })
      ).turn,
    );
    expect(called).toBe(false);
    expect(outcome.explanation.tools).toEqual([]);
    expect(lastReplyInstructions(model)).toContain('you need: orderNumber');
    expect((await workspace.events.list(session.id)).some((event) => event.kind === 'tool')).toBe(
      false,
    );
    await engine.close();
  });

  it('refuses arguments that do not match the schema and asks for them', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, tools: [lookupOrder] });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await orderAgent(workspace);
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'lookup_order', { orderNumber: 7 });
    model.onText('reply', () => 'Which order number?');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text: 'order 7?' })).turn,
    );
    expect(outcome.explanation.tools).toEqual([]);
    expect(lastReplyInstructions(model)).toContain('you need: orderNumber');
    await engine.close();
  });

  it('calls a tool with validated arguments and records it as a tool event', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, tools: [lookupOrder] });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await orderAgent(workspace);
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'lookup_order', { orderNumber: 'A-17' });
    model.onText('reply', () => 'Order A-17 has shipped.');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'where is order A-17?' })
      ).turn,
    );
    expect(outcome.explanation.tools).toEqual([{ toolName: 'lookup_order', ok: true }]);
    const events = await workspace.events.list(session.id);
    const toolEvent = events.find((event) => event.kind === 'tool');
    expect(toolEvent?.data).toEqual({
      calls: [
        {
          toolName: 'lookup_order',
          arguments: { orderNumber: 'A-17' },
          result: { orderNumber: 'A-17', status: 'shipped' },
        },
      ],
    });
    expect(
      events.some((event) => event.kind === 'status' && event.data.stage === 'tool_calls'),
    ).toBe(true);
    expect(lastReplyInstructions(model)).toContain('"status":"shipped"');
    await engine.close();
  });

  it('gives the tool the customer’s message, the agent, the session, the customer and the variables', async () => {
    const model = createScriptedChatModel();
    let seen: ToolContext | undefined;
    const engine = createEngine({
      store: store(),
      model,
      tools: [
        {
          ...lookupOrder,
          handler: (args, context) => {
            seen = context;
            return { ...args, status: 'shipped' };
          },
        },
      ],
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await orderAgent(workspace);
    await workspace.variables.create({ agentId: agent.id, name: 'plan', defaultValue: 'gold' });
    const customer = await workspace.customers.create({ externalId: 'ext-ada', name: 'Ada' });
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'lookup_order', { orderNumber: 'A-17' });
    model.onText('reply', () => 'Order A-17 has shipped.');
    const session = await workspace.sessions.create({
      agentId: agent.id,
      customerId: customer.id,
    });
    expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'where is order A-17?' })
      ).turn,
    );
    expect(seen).toMatchObject({
      workspaceId: workspace.workspaceId,
      agentId: agent.id,
      sessionId: session.id,
      customerId: customer.id,
      message: 'where is order A-17?',
      agent: { id: agent.id, name: 'Shop' },
      session: { id: session.id, customerId: customer.id },
      customer: { id: customer.id, name: 'Ada', externalId: 'ext-ada' },
      variables: { plan: 'gold' },
    });
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
    await engine.close();
  });

  it('runs a tool whose parameters are a JSON Schema, with arguments checked against it', async () => {
    const model = createScriptedChatModel();
    const calls: Array<Record<string, unknown>> = [];
    const jsonLookup = jsonSchemaTool({
      name: 'lookup_order',
      description: 'Finds an order by its number',
      parameters: {
        type: 'object',
        properties: { orderNumber: { type: 'string', pattern: '^A-\\d+$' } },
        required: ['orderNumber'],
      },
      handler: (args) => {
        calls.push(args);
        return { ...args, status: 'shipped' };
      },
    });
    const engine = createEngine({ store: store(), model, tools: [jsonLookup] });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await orderAgent(workspace);
    scriptJudgement(model, () => ({ applies: () => true }));
    const proposals = ['B-17', 'A-17'];
    model.onObject('tool_calls', () => ({
      calls: [
        {
          tool: 'lookup_order',
          call: true,
          arguments: JSON.stringify({ orderNumber: proposals.shift() }),
          missingArguments: [],
        },
      ],
    }));
    model.onText('reply', () => 'Done.');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const say = async (text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);
    // The schema's pattern refuses B-17: the tool does not run, the reply asks for it.
    expect((await say('where is order B-17?')).explanation.tools).toEqual([]);
    expect(lastReplyInstructions(model)).toContain('you need: orderNumber');
    expect((await say('sorry, A-17')).explanation.tools).toEqual([
      { toolName: 'lookup_order', ok: true },
    ]);
    expect(calls).toEqual([{ orderNumber: 'A-17' }]);
    await engine.close();
  });

  it('tells the customer gracefully when a tool fails, and marks the turn retryable', async () => {
    const model = createScriptedChatModel();
    const failing = tool({
      ...lookupOrder,
      handler: () => {
        throw new Error('order service down at 10.0.0.7');
      },
    });
    const engine = createEngine({ store: store(), model, tools: [failing] });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent } = await orderAgent(workspace);
    scriptJudgement(model, () => ({ applies: () => true }));
    proposeToolCall(model, 'lookup_order', { orderNumber: 'A-17' });
    model.onText('reply', () => 'Sorry, I cannot look that up right now. Shall I try again?');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'where is order A-17?' })
      ).turn,
    );
    expect(outcome.toolFailure).toMatchObject({ code: 'tool_failed', retryable: true });
    const instructions = lastReplyInstructions(model);
    expect(instructions).toContain('These actions failed: lookup_order');
    expect(instructions).not.toContain('10.0.0.7');
    // The status the customer's client sees names the failure, not the tool's internals.
    expect(JSON.stringify((await workspace.events.list(session.id)).at(-1))).not.toContain(
      '10.0.0.7',
    );
    const events = await workspace.events.list(session.id);
    const last = events.at(-1);
    expect(last?.kind === 'status' && last.data).toMatchObject({
      status: 'error',
      error: { code: 'tool_failed', retryable: true },
    });
    expect(events.at(-2)?.kind).toBe('message');
    await engine.close();
  });
});
