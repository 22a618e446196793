import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/definition/define-agent';
import { createEngine } from '../../src/engine/create-engine';
import { createTestClock } from '../../src/testing/test-clock';
import { tool } from '../../src/tools/tool';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';

// Without a model, a guideline whose tool lacks a required argument makes the reply ask for
// it; the customer's next message, often the argument alone ("RP-2041"), must run that tool
// although it shares no word with the guideline, and so must a follow-up giving another value
// once it ran. A message that gives no such argument goes to whatever it matches, and nothing
// waits any more.

const store = useScenarioStore();

const repairStatus = tool({
  name: 'repair_status',
  description: 'Says where a repair stands, by its ticket',
  parameters: z.object({
    ticket: z
      .string()
      .regex(/^RP-\d{4}$/)
      .describe('The repair ticket, like RP-1234'),
  }),
  handler: ({ ticket }) =>
    ticket === 'RP-2041'
      ? { found: true, repair: { ticket, state: 'ready to collect' } }
      : { found: false, unknown: { ticket } },
});

const templates = {
  hours: 'The workshop is open from 9:00 to 18:00, Monday to Saturday.',
  askTicket: 'Which repair is it? Please give me the ticket number, like RP-1234.',
  status: 'Repair {{repair_status.repair.ticket}} is {{repair_status.repair.state}}.',
  unknown: 'I could not find the ticket {{repair_status.unknown.ticket}}: please check it.',
};

const workshop = defineAgent({
  name: 'Spokes Repair Workshop',
  description: 'The front desk of a bicycle repair workshop',
  compositionMode: 'canned_strict',
  tools: [repairStatus],
  guidelines: [
    {
      key: 'repair_status',
      condition: 'the customer asks how their repair is going or whether the bike is ready',
      action: 'look up the repair by its ticket and say where it stands',
      tools: ['repair_status'],
      examples: ['is my bike ready yet?', 'how is my repair going?'],
    },
    {
      key: 'hours',
      condition: 'the customer asks when the workshop is open',
      action: 'give the opening hours',
      examples: ['when are you open?', 'what time do you close?'],
    },
  ],
  cannedResponses: Object.values(templates).map((template) => ({ template })),
});

const fallbackReply = 'Sorry, I can help with repairs and opening hours only.';

async function openSession() {
  const clock = createTestClock({ start: new Date('2026-06-15T09:00:00Z') });
  const engine = createEngine({ store: store(), tools: [repairStatus], clock, fallbackReply });
  const workspaceId = freshWorkspaceId();
  const report = await engine.sync(workspaceId, workshop);
  const workspace = engine.forWorkspace(workspaceId);
  const session = await workspace.sessions.create({ agentId: report.agent.id });
  const say = async (text: string) => {
    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn,
    );
    return {
      reply: (outcome.message.data as { text: string }).text,
      tools: outcome.explanation.tools.map((call) => call.toolName),
    };
  };
  const waiting = async () =>
    ((await workspace.sessions.get(session.id)).turnState.toolGuidelines ?? []).filter(
      (entry) => entry.awaiting,
    );
  return { say, waiting };
}

describe('without a model, an argument asked for', () => {
  it('runs the waiting tool when the next message gives the argument alone', async () => {
    const { say, waiting } = await openSession();
    const asked = await say('is my bike ready yet?');
    expect(asked.tools).toEqual([]);
    expect(asked.reply).toBe(templates.askTicket);
    expect(await waiting()).toHaveLength(1);

    const answered = await say('RP-2041');
    expect(answered.tools).toEqual(['repair_status']);
    expect(answered.reply).toBe('Repair RP-2041 is ready to collect.');
    expect(await waiting()).toEqual([]);
  });

  it('runs the tool again for a follow-up giving another value ("and what about RP-3000?")', async () => {
    const { say } = await openSession();
    await say('is my bike ready yet?');
    expect((await say('RP-2041')).tools).toEqual(['repair_status']);
    const again = await say('ok, and what about RP-3000?');
    expect(again.tools).toEqual(['repair_status']);
    expect(again.reply).toBe('I could not find the ticket RP-3000: please check it.');
  });

  it('leaves a message without the argument to what it matches, and then waits no more', async () => {
    const { say, waiting } = await openSession();
    await say('how is my repair going?');
    const hours = await say('what time do you close?');
    expect(hours.tools).toEqual([]);
    expect(hours.reply).toBe(templates.hours);
    expect(await waiting()).toEqual([]);
    // Nothing asked for the ticket this time: a bare ticket is not taken as the answer.
    expect((await say('RP-2041')).tools).toEqual([]);
  });
});
