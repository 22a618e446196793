import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine } from '../../src/engine/create-engine';
import type { TurnOutcome } from '../../src/engine/run-turn';
import {
  createScriptedChatModel,
  type ScriptedChatModel,
} from '../../src/testing/create-scripted-chat-model';
import { createTestClock } from '../../src/testing/test-clock';
import { tool } from '../../src/tools/tool';
import { freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

const clock = createTestClock({ start: new Date('2026-06-01T10:00:00.000Z'), tickMilliseconds: 0 });
const store = useScenarioStore({ clock });

function expectReady(
  outcome: TurnOutcome | null | undefined,
): Extract<TurnOutcome, { status: 'ready' }> {
  if (outcome?.status !== 'ready')
    throw new Error(`expected a ready turn, got ${JSON.stringify(outcome)}`);
  return outcome;
}

const promptOf = (model: ScriptedChatModel, purpose: string) =>
  JSON.stringify(model.calls.filter((call) => call.purpose === purpose).at(-1)?.messages ?? []);

describe('variables', () => {
  it('refreshes a stale tool-backed variable with its tool, and reuses a fresh one', async () => {
    let fetches = 0;
    const fetchPlan = tool({
      name: 'fetch_plan',
      description: 'Reads the customer plan from billing',
      parameters: z.object({}),
      handler: (_args, { customerId }) => {
        fetches += 1;
        return { name: fetches === 1 ? 'gold' : 'platinum', customerId };
      },
    });
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, tools: [fetchPlan], clock });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Billing' });
    const toolRow = await workspace.tools.create({
      name: 'fetch_plan',
      description: 'Reads the customer plan from billing',
    });
    const plan = await workspace.variables.create({
      agentId: agent.id,
      name: 'plan',
      toolId: toolRow.id,
      freshness: { kind: 'max_age', seconds: 3600 },
    });
    const customer = await workspace.customers.create({ name: 'Ada' });
    const session = await workspace.sessions.create({ agentId: agent.id, customerId: customer.id });
    scriptJudgement(model, () => ({}));
    model.onText('reply', () => 'Noted.');
    const say = async (text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);

    await say('what plan am I on?');
    expect(fetches).toBe(1);
    expect(promptOf(model, 'reply')).toContain('plan: {\\"name\\":\\"gold\\"');
    const stored = await workspace.variables.resolveValue(plan.id, { customerId: customer.id });
    expect(stored).toMatchObject({
      scope: 'customer',
      value: { name: 'gold', customerId: customer.id },
    });

    clock.advance(30 * 60 * 1000);
    await say('and now?');
    expect(fetches).toBe(1);

    clock.advance(31 * 60 * 1000);
    await say('and now, an hour later?');
    expect(fetches).toBe(2);
    expect(promptOf(model, 'reply')).toContain('platinum');
    await engine.close();
  });

  it('resolves values from the most specific scope, falling back to the default', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, clock });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Shop' });
    const region = await workspace.variables.create({
      agentId: agent.id,
      name: 'region',
      defaultValue: 'worldwide',
    });
    const currency = await workspace.variables.create({
      agentId: agent.id,
      name: 'currency',
      defaultValue: 'USD',
    });
    await workspace.variables.setValue(currency.id, { scope: 'customer_tag', tag: 'eu' }, 'EUR');
    const customer = await workspace.customers.create({ tags: ['eu'] });
    const session = await workspace.sessions.create({ agentId: agent.id, customerId: customer.id });
    scriptJudgement(model, () => ({}));
    model.onText('reply', () => 'Prices are in euros.');
    await (await workspace.sessions.postCustomerMessage(session.id, { text: 'which currency?' }))
      .turn;
    const prompt = promptOf(model, 'reply');
    expect(prompt).toContain('currency: \\"EUR\\"');
    expect(prompt).toContain('region: \\"worldwide\\"');
    expect(region.defaultValue).toBe('worldwide');
    await engine.close();
  });
});

describe('glossary', () => {
  it('brings a relevant term into the prompts, and leaves unrelated ones out', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, clock });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Bank' });
    await workspace.terms.create({
      agentId: agent.id,
      name: 'Overdraft buffer',
      description: 'Up to 50 EUR of spending below zero without fees',
      synonyms: ['buffer'],
    });
    await workspace.terms.create({
      agentId: agent.id,
      name: 'IBAN',
      description: 'International bank account number',
    });
    scriptJudgement(model, () => ({}));
    model.onText('reply', () => 'Your buffer covers up to 50 EUR.');
    const session = await workspace.sessions.create({ agentId: agent.id });
    await (
      await workspace.sessions.postCustomerMessage(session.id, {
        text: 'How does the buffer work?',
      })
    ).turn;
    for (const purpose of ['guideline_judgement', 'reply']) {
      expect(promptOf(model, purpose)).toContain('Up to 50 EUR of spending below zero');
      expect(promptOf(model, purpose)).not.toContain('International bank account number');
    }
    await engine.close();
  });
});

describe('canned responses', () => {
  async function strictAgent(
    workspace: ReturnType<ReturnType<typeof createEngine>['forWorkspace']>,
  ) {
    const agent = await workspace.agents.create({ name: 'Shop', compositionMode: 'canned_strict' });
    const orderStatus = await workspace.tools.create({
      name: 'order_status',
      description: 'Reads the last order status',
    });
    const tracking = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer asks where their order is',
      action: 'tell the status of their last order',
      examples: ['where is my package', 'has my order shipped yet'],
    });
    await workspace.guidelines.setTools(tracking.id, [orderStatus.id]);
    await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer asks about opening hours',
      action: 'give the opening hours',
      examples: ['when are you open', 'what are your hours'],
    });
    const statusReply = await workspace.cannedResponses.create({
      agentId: agent.id,
      template: 'Hi {{customer.name}}, your last order is {{order_status.status}}.',
    });
    const hoursReply = await workspace.cannedResponses.create({
      agentId: agent.id,
      template: 'We are open from 9 to 17, Monday to Friday.',
    });
    return { agent, statusReply, hoursReply };
  }
  const orderStatusTool = tool({
    name: 'order_status',
    description: 'Reads the last order status',
    parameters: z.object({}),
    handler: () => ({ status: 'on its way' }),
  });

  it('sends a strict canned reply chosen by the judgement, fields filled from the customer and a tool', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, tools: [orderStatusTool], clock });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, statusReply } = await strictAgent(workspace);
    scriptJudgement(model, (view) => ({
      applies: (candidate) => candidate.condition.includes('order'),
      cannedResponse:
        view.cannedCandidates.find((candidate) => candidate.template.includes('last order'))
          ?.shortId ?? null,
    }));
    model.onObject('tool_calls', () => ({
      calls: [{ tool: 'order_status', call: true, arguments: '{}', missingArguments: [] }],
    }));
    const customer = await workspace.customers.create({ name: 'Ada' });
    const session = await workspace.sessions.create({ agentId: agent.id, customerId: customer.id });
    const outcome = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'where is my package?' })
      ).turn,
    );
    expect(outcome.message.data).toEqual({ text: 'Hi Ada, your last order is on its way.' });
    expect(outcome.explanation.composition).toEqual({
      mode: 'canned_strict',
      cannedResponseId: statusReply.id,
      usedFallback: false,
    });
    expect(model.calls.some((call) => call.purpose === 'reply')).toBe(false);
    await engine.close();
  });

  it('runs a whole conversation with no language model at all', async () => {
    const engine = createEngine({
      store: store(),
      tools: [orderStatusTool],
      clock,
      fallbackReply: 'Sorry, I can only help with orders and opening hours.',
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, statusReply, hoursReply } = await strictAgent(workspace);
    const customer = await workspace.customers.create({ name: 'Ada' });
    const session = await workspace.sessions.create({ agentId: agent.id, customerId: customer.id });
    const say = async (text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);

    const first = await say('has my order shipped yet?');
    expect(first.message.data).toEqual({ text: 'Hi Ada, your last order is on its way.' });
    expect(first.explanation.composition.cannedResponseId).toBe(statusReply.id);
    expect(first.explanation.model.calls).toBe(0);

    const second = await say('what are your opening hours?');
    expect(second.message.data).toEqual({ text: 'We are open from 9 to 17, Monday to Friday.' });
    expect(second.explanation.composition.cannedResponseId).toBe(hoursReply.id);

    const third = await say('tell me a joke about penguins');
    expect(third.message.data).toEqual({
      text: 'Sorry, I can only help with orders and opening hours.',
    });
    expect(third.explanation.composition.usedFallback).toBe(true);

    // Deterministic: the same conversation in a fresh session gives the same replies.
    const again = await workspace.sessions.create({ agentId: agent.id, customerId: customer.id });
    const repeat = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(again.id, {
          text: 'has my order shipped yet?',
        })
      ).turn,
    );
    expect(repeat.message.data).toEqual(first.message.data);
    await engine.close();
  });

  it('prefers a fitting canned reply in canned_fluid mode, and writes one when none fits', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, clock });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Shop', compositionMode: 'canned_fluid' });
    await workspace.cannedResponses.create({
      agentId: agent.id,
      template: 'We are open from 9 to 17.',
    });
    let pick = true;
    scriptJudgement(model, (view) => ({
      cannedResponse: pick ? (view.cannedCandidates[0]?.shortId ?? null) : null,
    }));
    model.onText('reply', () => 'Let me check that for you.');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const first = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'when are you open?' })
      ).turn,
    );
    expect(first.message.data).toEqual({ text: 'We are open from 9 to 17.' });
    pick = false;
    const second = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, {
          text: 'do you sell gift cards?',
        })
      ).turn,
    );
    expect(second.message.data).toEqual({ text: 'Let me check that for you.' });
    expect(second.explanation.composition.mode).toBe('fluid');
    await engine.close();
  });

  it('walks a journey with no language model, choosing the branch that fits the words', async () => {
    const engine = createEngine({ store: store(), clock, fallbackReply: 'Sorry?' });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({
      name: 'Bakery',
      compositionMode: 'canned_strict',
    });
    await workspace.journeys.create({
      agentId: agent.id,
      title: 'Order a cake',
      conditions: ['the customer wants to order a cake'],
      initialState: 'ask_method',
      states: [
        {
          key: 'ask_method',
          kind: 'chat',
          action: 'Ask whether the customer wants delivery or pick-up',
        },
        { key: 'delivery', kind: 'chat', action: 'Say that delivery takes two days' },
        {
          key: 'pickup',
          kind: 'chat',
          action: 'Say the cake can be picked up at the shop tomorrow',
        },
      ],
      transitions: [
        { from: 'ask_method', to: 'delivery', condition: 'the customer wants it delivered' },
        { from: 'ask_method', to: 'pickup', condition: 'the customer will pick it up at the shop' },
      ],
    });
    await workspace.cannedResponses.create({
      agentId: agent.id,
      template: 'Would you like delivery, or will you pick it up?',
    });
    await workspace.cannedResponses.create({
      agentId: agent.id,
      template: 'Delivery takes two days.',
    });
    await workspace.cannedResponses.create({
      agentId: agent.id,
      template: 'You can pick it up at the shop tomorrow.',
    });
    const session = await workspace.sessions.create({ agentId: agent.id });
    const say = async (text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);

    const first = await say('I want to order a cake');
    expect(first.explanation.journey).toMatchObject({ state: 'ask_method', started: true });
    expect(first.message.data).toEqual({
      text: 'Would you like delivery, or will you pick it up?',
    });
    const second = await say('I will pick it up at the shop');
    expect(second.explanation.journey?.state).toBe('pickup');
    expect(second.message.data).toEqual({ text: 'You can pick it up at the shop tomorrow.' });
    await engine.close();
  });
});
