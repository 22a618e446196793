import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/definition/define-agent';
import type { ParleyEvent } from '../../src/domain/event';
import { createEngine, type Engine } from '../../src/engine/create-engine';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { createTestClock } from '../../src/testing/test-clock';
import { tool } from '../../src/tools/tool';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

// The no-LLM mode on an agent of its own (a bike hire desk): tool arguments taken from the
// customer's words, replies that show the result a tool just returned, a journey's earlier
// results in its later replies, transitions decided by predicates on tool results, side
// questions that leave the journey where it was, and a journey entered past the steps the
// first message already answered.

const store = useScenarioStore();

const reference = z
  .string()
  .regex(/LC-\d{3,5}/)
  .describe('the rental reference, like LC-101');

const rentals: Record<string, { bike: string; until: string }> = {
  'LC-101': { bike: 'the blue city bike', until: '2026-06-16' },
};

const lookupRental = tool({
  name: 'lookup_rental',
  description: 'Finds a rental by its reference',
  parameters: z.object({ reference }),
  handler: ({ reference: wanted }) => {
    const rental = rentals[wanted];
    return rental
      ? { found: true, reference: wanted, rental }
      : { found: false, reference: wanted };
  },
});

const extendRental = tool({
  name: 'extend_rental',
  description: 'Extends a rental by some days',
  parameters: z.object({
    reference,
    days: z.number().int().min(1).max(14).describe('how many more days'),
  }),
  handler: ({ days }) => ({ extended: true, days, until: `${days} days after 2026-06-16` }),
});

const templates = {
  greeting: 'Hello! I can check a rental, extend it, and tell you what a rental includes.',
  helmets: 'Every rental includes a helmet and a lock, free of charge.',
  tandems: 'Yes, we rent tandems for €40 a day, weekends included.',
  askReference: 'What is your rental reference? It looks like LC-123.',
  found:
    '{{lookup_rental.reference}} is booked: {{lookup_rental.rental.bike}} until {{lookup_rental.rental.until}}.',
  notFound: 'I could not find a rental with the reference {{lookup_rental.reference}}.',
  askDays: 'How many more days would you like to keep {{lookup_rental.rental.bike}}?',
  confirm:
    'Done: {{lookup_rental.rental.bike}} is yours for {{extend_rental.days}} more days, until {{extend_rental.until}}.',
};

const cycleHire = defineAgent({
  name: 'Lakeside Cycle Hire',
  description: 'The desk of a bike hire shop by the lake',
  compositionMode: 'canned_strict',
  tools: [lookupRental, extendRental],
  guidelines: [
    {
      key: 'greeting',
      condition: 'the customer says hello',
      action: 'greet them',
      examples: ['hi', 'hello there'],
    },
    {
      key: 'helmets',
      condition: 'the customer asks whether helmets or locks are included',
      action: 'say every rental includes a helmet and a lock',
      examples: ['do you have helmets?', 'is a lock included?'],
    },
    {
      key: 'tandems',
      condition: 'the customer asks about tandem bikes',
      action: 'say we rent tandems and their price',
      examples: ['do you have tandems?', 'can two people ride one bike?'],
    },
    {
      key: 'rental_status',
      condition: 'the customer asks about their rental or booking',
      action: 'look the rental up and tell what it is',
      tools: ['lookup_rental'],
      examples: ['where is my rental?', 'can you check my booking LC-123?'],
    },
  ],
  journeys: [
    {
      key: 'extend',
      title: 'Extend a rental',
      conditions: ['the customer wants to extend the rental or keep the bike longer'],
      initialState: 'ask_reference',
      states: [
        { key: 'ask_reference', kind: 'chat', action: 'Ask for the rental reference' },
        { key: 'lookup', kind: 'tool', tool: 'lookup_rental' },
        { key: 'found', kind: 'fork' },
        { key: 'ask_days', kind: 'chat', action: 'Ask how many more days they want the bike' },
        { key: 'extend', kind: 'tool', tool: 'extend_rental' },
        { key: 'confirm', kind: 'chat', action: 'Confirm the extension' },
        { key: 'not_found', kind: 'chat', action: 'Say the rental was not found' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_reference', to: 'lookup', condition: 'the customer gives the reference' },
        { from: 'lookup', to: 'found' },
        {
          from: 'found',
          to: 'ask_days',
          condition: 'the rental was found',
          when: { path: 'lookup_rental.found', equals: true },
        },
        {
          from: 'found',
          to: 'not_found',
          condition: 'no rental has that reference',
          when: { path: 'lookup_rental.found', equals: false },
        },
        { from: 'ask_days', to: 'extend' },
        { from: 'extend', to: 'confirm' },
        { from: 'confirm', to: 'done' },
        { from: 'not_found', to: 'done' },
      ],
    },
  ],
  cannedResponses: Object.values(templates).map((template) => ({ template })),
});

const clock = createTestClock({ start: new Date('2026-06-15T09:00:00Z') });

async function openSession(engine: Engine) {
  const workspaceId = freshWorkspaceId();
  const report = await engine.sync(workspaceId, cycleHire);
  const workspace = engine.forWorkspace(workspaceId);
  const session = await workspace.sessions.create({ agentId: report.agent.id });
  const say = async (text: string) => {
    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn,
    );
    const events: ParleyEvent[] = await workspace.events.list(session.id);
    const calls = events
      .filter((event) => event.kind === 'tool' && event.traceId === outcome.traceId)
      .flatMap(
        (event) => (event.data as { calls: Array<{ toolName: string; arguments: unknown }> }).calls,
      )
      .map((call) => ({ name: call.toolName, arguments: call.arguments }));
    return {
      reply: (outcome.message.data as { text: string }).text,
      state: outcome.explanation.journey?.state ?? null,
      calls,
      explanation: outcome.explanation,
    };
  };
  return { say };
}

describe('without a model', () => {
  const engine = () => createEngine({ store: store(), tools: [lookupRental, extendRental], clock });

  it("takes a tool's arguments from the customer's words, and shows the result it just returned", async () => {
    const { say } = await openSession(engine());
    const unknown = await say('is LC-999 still booked?');
    expect(unknown.calls).toEqual([{ name: 'lookup_rental', arguments: { reference: 'LC-999' } }]);
    expect(unknown.reply).toBe('I could not find a rental with the reference LC-999.');
    const known = await say('and what about LC-101, is that one booked?');
    expect(known.calls).toEqual([{ name: 'lookup_rental', arguments: { reference: 'LC-101' } }]);
    expect(known.reply).toBe('LC-101 is booked: the blue city bike until 2026-06-16.');
  });

  it('reads a short follow-up that matches nothing alone together with the message before it', async () => {
    const { say } = await openSession(engine());
    expect((await say('do you have tandem bikes?')).reply).toBe(templates.tandems);
    const followUp = await say('what about at weekends?');
    expect(followUp.explanation.guidelines.map((guideline) => guideline.condition)).toEqual([
      'the customer asks about tandem bikes',
    ]);
    expect(followUp.reply).toBe(templates.tandems);
  });

  it('asks for a required argument the message does not give, running nothing', async () => {
    const { say } = await openSession(engine());
    const asked = await say('can you check on my rental booking please');
    expect(asked.calls).toEqual([]);
    expect(asked.reply).toBe(templates.askReference);
  });

  it("walks a journey: its predicates pick the branch, a side question keeps the step, the last reply shows an earlier turn's result", async () => {
    const { say } = await openSession(engine());
    const started = await say("I'd like to keep the bike a bit longer");
    expect(started.state).toBe('ask_reference');
    expect(started.reply).toBe(templates.askReference);

    const found = await say('it is LC-101');
    expect(found.calls).toEqual([{ name: 'lookup_rental', arguments: { reference: 'LC-101' } }]);
    expect(found.state).toBe('ask_days');
    expect(found.reply).toBe('How many more days would you like to keep the blue city bike?');

    const side = await say('oh wait, do you have helmets with the rental?');
    expect(side.calls).toEqual([]);
    expect(side.state).toBe('ask_days');
    expect(side.reply).toBe(templates.helmets);

    const extended = await say('3 more days please');
    expect(extended.calls).toEqual([
      { name: 'extend_rental', arguments: { reference: 'LC-101', days: 3 } },
    ]);
    expect(extended.state).toBe('confirm');
    expect(extended.reply).toBe(
      'Done: the blue city bike is yours for 3 more days, until 3 days after 2026-06-16.',
    );
  });

  it('takes the branch whose predicate holds when the tool found nothing', async () => {
    const { say } = await openSession(engine());
    await say('I want to extend my rental');
    const missing = await say('LC-555');
    expect(missing.calls).toEqual([{ name: 'lookup_rental', arguments: { reference: 'LC-555' } }]);
    expect(missing.state).toBe('not_found');
    expect(missing.reply).toBe('I could not find a rental with the reference LC-555.');
  });

  it('enters a journey past the steps the first message already answered', async () => {
    const { say } = await openSession(engine());
    const all = await say('please extend rental LC-101 by 2 days');
    expect(all.calls).toEqual([
      { name: 'lookup_rental', arguments: { reference: 'LC-101' } },
      { name: 'extend_rental', arguments: { reference: 'LC-101', days: 2 } },
    ]);
    expect(all.state).toBe('confirm');
    expect(all.reply).toBe(
      'Done: the blue city bike is yours for 2 more days, until 2 days after 2026-06-16.',
    );
  });

  it('does not take a reference given for a lookup as the answer to a later step', async () => {
    const { say } = await openSession(engine());
    await say('I want to extend my rental');
    const found = await say('LC-101');
    // The extension needs the reference (given) and the days (not given): it waits for them.
    expect(found.calls.map((call) => call.name)).toEqual(['lookup_rental']);
    expect(found.state).toBe('ask_days');
  });
});

describe('with a model', () => {
  it("runs a tool once when it is both a matched guideline's and the journey step's", async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({
      store: store(),
      model,
      tools: [lookupRental, extendRental],
      clock,
    });
    const { say } = await openSession(engine);
    // The journey starts on the first message; on the second the judgement both applies the
    // rental guideline (which names lookup_rental) and moves the journey to its lookup step.
    scriptJudgement(model, (view) =>
      view.activeJourney
        ? {
            applies: (candidate) => candidate.condition.includes('their rental or booking'),
            journey: { id: view.activeJourney.shortId, nextState: 'lookup' },
          }
        : { journey: { id: view.journeyCandidates[0]?.shortId ?? null, nextState: null } },
    );
    await say('I want to extend my rental');
    model.onObject('tool_calls', () => ({
      calls: [
        {
          tool: 'lookup_rental',
          call: true,
          arguments: JSON.stringify({ reference: 'LC-101' }),
          missingArguments: [],
        },
      ],
    }));
    model.onText('reply', () => 'Found it.');
    const turn = await say('LC-101, and is it booked until Tuesday?');
    expect(turn.calls).toEqual([{ name: 'lookup_rental', arguments: { reference: 'LC-101' } }]);
    expect(turn.state).toBe('ask_days');
  });

  it('cuts a reply longer than a message may be, rather than failing the turn', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, clock });
    const workspaceId = freshWorkspaceId();
    const report = await engine.sync(
      workspaceId,
      defineAgent({ name: 'Talkative', compositionMode: 'fluid' }),
    );
    const sessions = engine.forWorkspace(workspaceId).sessions;
    const session = await sessions.create({ agentId: report.agent.id });
    const say = async (text: string) => {
      const outcome = expectReady(
        await (await sessions.postCustomerMessage(session.id, { text })).turn,
      );
      return { reply: (outcome.message.data as { text: string }).text };
    };
    scriptJudgement(model, () => ({ journey: { id: null, nextState: null } }));
    model.onText('reply', () => 'All about bikes. '.repeat(800));
    const turn = await say('tell me everything about your bikes');
    expect(turn.reply.length).toBeLessThanOrEqual(10_000);
    expect(turn.reply.endsWith('…')).toBe(true);
    expect(turn.reply.startsWith('All about bikes. All about bikes.')).toBe(true);
  });
});
