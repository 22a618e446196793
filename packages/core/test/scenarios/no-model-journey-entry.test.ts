import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/definition/define-agent';
import { createEngine } from '../../src/engine/create-engine';
import { createTestClock } from '../../src/testing/test-clock';
import { tool } from '../../src/tools/tool';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';

// Without a model, where a journey goes on a first message that already says what its steps
// ask, when the first step is a fork among chat steps ("which plan?" leads to "which
// account?" or to "nothing changes"): the way whose tool the message gives most for is
// followed, to the tool when everything is given, else to the step asking for what is not;
// the next message completes the arguments with the earlier ones.

const store = useScenarioStore();

const plan = z.enum(['basic_50', 'fibre_900']).meta({
  description: 'The plan to move to',
  extract: { synonyms: { basic_50: ['basic', 'basic 50'], fibre_900: ['fibre 900', 'fibre'] } },
});
const account = z
  .string()
  .regex(/^AB\d{6}$/)
  .describe('The account number at the top of the bill, like AB123456');

const changePlan = tool({
  name: 'change_plan',
  description: 'Moves an account to another plan',
  parameters: z.object({ plan, account }),
  handler: ({ plan: to, account: number }) => ({ changed: true, to, account: number }),
});

const templates = {
  askPlan: 'Which plan would you like: Basic 50 at £20 or Fibre 900 at £40?',
  askAccount: 'Which account should I change? The number is at the top of your bill.',
  changed: 'Done: account {{change_plan.account}} moves to {{change_plan.to}} tonight.',
  kept: 'No problem, your plan stays as it is.',
};

const provider = defineAgent({
  name: 'Harbour Broadband',
  description: 'The support desk of an internet provider',
  compositionMode: 'canned_strict',
  tools: [changePlan],
  journeys: [
    {
      key: 'change_plan',
      title: 'Change plan',
      conditions: ['the customer wants to change their plan, upgrade or downgrade'],
      initialState: 'ask_plan',
      states: [
        { key: 'ask_plan', kind: 'chat', action: 'Ask which plan they would like, with prices' },
        { key: 'ask_account', kind: 'chat', action: 'Ask for the account number' },
        { key: 'change', kind: 'tool', tool: 'change_plan' },
        { key: 'changed', kind: 'chat', action: 'Confirm the new plan' },
        { key: 'kept', kind: 'chat', action: 'Say the plan stays as it is' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_plan', to: 'ask_account', condition: 'the customer names a plan' },
        { from: 'ask_plan', to: 'kept', condition: 'the customer keeps their plan after all' },
        { from: 'ask_account', to: 'change', condition: 'the customer gives the account number' },
        { from: 'change', to: 'changed' },
        { from: 'changed', to: 'done' },
        { from: 'kept', to: 'done' },
      ],
    },
  ],
  cannedResponses: Object.values(templates).map((template) => ({ template })),
});

async function openSession() {
  const clock = createTestClock({ start: new Date('2026-06-15T09:00:00Z') });
  const engine = createEngine({
    store: store(),
    tools: [changePlan],
    clock,
    fallbackReply: 'Sorry, I can only change plans here.',
  });
  const workspaceId = freshWorkspaceId();
  const report = await engine.sync(workspaceId, provider);
  const workspace = engine.forWorkspace(workspaceId);
  const session = await workspace.sessions.create({ agentId: report.agent.id });
  return async (text: string) => {
    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn,
    );
    return {
      reply: (outcome.message.data as { text: string }).text,
      state: outcome.explanation.journey?.state ?? null,
      tools: outcome.explanation.tools.map((call) => call.toolName),
    };
  };
}

describe('without a model, a journey entered past a fork of chat steps', () => {
  it('runs the tool at once when the first message gives everything, the plan spelled out', async () => {
    const say = await openSession();
    const changed = await say('please upgrade account AB100002 to fibre nine hundred');
    expect(changed.tools).toEqual(['change_plan']);
    expect(changed.reply).toBe('Done: account AB100002 moves to fibre_900 tonight.');
  });

  it('asks the step for what is missing, then completes it with the earlier message', async () => {
    const say = await openSession();
    const asked = await say('I want to change my plan to the basic one');
    expect(asked.tools).toEqual([]);
    expect(asked.state).toBe('ask_account');
    expect(asked.reply).toBe(templates.askAccount);
    const changed = await say('AB100007');
    expect(changed.tools).toEqual(['change_plan']);
    expect(changed.reply).toBe('Done: account AB100007 moves to basic_50 tonight.');
  });

  it('asks the first step when the message gives nothing its tools need, then takes the way towards the tool that an answer gives for', async () => {
    const say = await openSession();
    const asked = await say('I want to change my plan');
    expect(asked.state).toBe('ask_plan');
    expect(asked.reply).toBe(templates.askPlan);
    // "the basic one" shares no word with "the customer names a plan", but gives the plan
    // the change needs, on the way through "which account?".
    const next = await say('the basic one');
    expect(next.state).toBe('ask_account');
    expect(next.reply).toBe(templates.askAccount);
  });
});
