import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/definition/define-agent';
import type { ParleyEvent } from '../../src/domain/event';
import { createEngine, type Engine, type WorkspaceEngine } from '../../src/engine/create-engine';
import type { EngineLogger } from '../../src/engine/engine-logger';
import { defaultFlaggedReply } from '../../src/engine/moderate-message';
import { createRuleBasedModerator } from '../../src/moderation/create-rule-based-moderator';
import { createOpenAIChatModel } from '../../src/openai/create-openai-chat-model';
import { createOpenAIModerator } from '../../src/openai/create-openai-moderator';
import type { Moderator } from '../../src/ports/moderator';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import {
  type FakeOpenAIServer,
  startFakeOpenAIServer,
} from '../../src/testing/start-fake-openai-server';
import { createTestClock } from '../../src/testing/test-clock';
import { tool } from '../../src/tools/tool';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

// Preambles (a holding line before a slow reply) and input moderation (a check beside
// matching), on a parcel desk's agent, with no model, the scripted model, and the real
// `openai` client against the fake OpenAI server.

const store = useScenarioStore();

/** Runs inside the tracking tool before it answers: a test's way of holding the tool. */
let beforeTracking: (sessionId: string) => Promise<void> = async () => undefined;
let trackingRuns = 0;

const trackParcel = tool({
  name: 'track_parcel',
  description: 'Finds where a parcel is',
  parameters: z.object({
    reference: z
      .string()
      .regex(/HP-\d{3}/)
      .describe('the parcel reference, like HP-123'),
  }),
  handler: async ({ reference }, context) => {
    trackingRuns += 1;
    await beforeTracking(context.sessionId);
    return { reference, status: 'in transit' };
  },
});

const preambleTemplates = ['Let me check that for you.', 'One moment while I look.'];

const parcelDesk = defineAgent({
  name: 'Harbor Parcels',
  description: 'The help desk of a parcel service',
  compositionMode: 'canned_strict',
  tools: [trackParcel],
  guidelines: [
    {
      key: 'tracking',
      condition: 'the customer asks where their parcel is',
      action: 'look the parcel up and say where it is',
      tools: ['track_parcel'],
      examples: ['where is my parcel HP-123?', 'can you track parcel HP-456?'],
    },
    {
      key: 'hours',
      condition: 'the customer asks when the desk is open',
      action: 'give the opening hours',
      examples: ['when are you open?', 'what are your opening hours?'],
    },
  ],
  cannedResponses: [
    { template: 'Your parcel {{track_parcel.reference}} is {{track_parcel.status}}.' },
    { template: 'We are open from 9 to 5, Monday to Friday.' },
    ...preambleTemplates.map((template) => ({ template, tags: ['preamble'] })),
  ],
});

let server: FakeOpenAIServer | undefined;
afterEach(async () => {
  beforeTracking = async () => undefined;
  await server?.close();
  server = undefined;
});

async function openDesk(engine: Engine) {
  const workspaceId = freshWorkspaceId();
  const { agent } = await engine.sync(workspaceId, parcelDesk);
  const workspace = engine.forWorkspace(workspaceId);
  const session = await workspace.sessions.create({ agentId: agent.id });
  const say = async (text: string) =>
    expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);
  return { workspace, agent, session, say };
}

/** The text of a message event. */
const textOf = (event: ParleyEvent) => (event.kind === 'message' ? event.data.text : null);

const isPreambleEvent = (event: ParleyEvent) =>
  event.kind === 'message' && event.data.preamble === true;

/**
 * Resolves with the session's preamble once it is stored, as the bus announces new events.
 * Rejects after 10 s: a preamble that never comes fails the test instead of hanging it.
 */
async function waitForPreamble(
  engine: Engine,
  workspace: WorkspaceEngine,
  sessionId: string,
  after = -1,
): Promise<ParleyEvent> {
  return new Promise((resolve, reject) => {
    let done = false;
    let unsubscribe: () => Promise<void> = async () => undefined;
    const timer = setTimeout(() => finish(new Error('no preamble was sent')), 10_000);
    const finish = (outcome: ParleyEvent | Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void unsubscribe();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const check = async () => {
      const found = (await workspace.events.list(sessionId, { after })).find(isPreambleEvent);
      if (found) finish(found);
    };
    void engine.eventBus
      .subscribe(sessionId, (message) => {
        if (message.type === 'events-appended') void check().catch(finish);
      })
      .then(async (stop) => {
        unsubscribe = stop;
        if (done) await stop();
        else await check();
      })
      .catch(finish);
  });
}

/** The turn's events by what they are, for ordering assertions. */
function labelled(events: readonly ParleyEvent[], traceId: string): string[] {
  return events
    .filter((event) => event.traceId === traceId)
    .map((event) => {
      if (event.kind === 'status')
        return `status:${event.data.status}${event.data.stage ? `:${event.data.stage}` : ''}`;
      if (event.kind === 'message') return event.data.preamble ? 'preamble' : 'message';
      if (event.kind === 'custom') return `custom:${event.data.type}`;
      return event.kind;
    });
}

const expectGapless = (events: readonly ParleyEvent[]) =>
  expect(events.map((event) => event.offset)).toEqual(events.map((_, index) => index));

describe('preambles', () => {
  it('sends a preamble canned response, without a model, before a tool that takes its time', async () => {
    const clock = createTestClock();
    const engine = createEngine({ store: store(), tools: [trackParcel], clock });
    const { workspace, session, say } = await openDesk(engine);
    // The tool answers only once the preamble is stored: the preamble cannot wait for it.
    beforeTracking = async (sessionId) => {
      await waitForPreamble(engine, workspace, sessionId);
    };

    const first = await say('Where is my parcel HP-123?');
    expect(textOf(first.message)).toBe('Your parcel HP-123 is in transit.');
    const events = await workspace.events.list(session.id);
    const preamble = events.find(isPreambleEvent);
    expect(preamble).toMatchObject({
      kind: 'message',
      source: 'ai_agent',
      traceId: first.traceId,
      data: { text: 'Let me check that for you.', preamble: true },
    });
    expect(labelled(events, first.traceId)).toEqual([
      'status:acknowledged',
      'status:processing:guideline_matching',
      'status:processing:tool_calls',
      'preamble',
      'tool',
      'status:typing',
      'message',
      'status:ready',
    ]);
    const cannedResponses = (await workspace.cannedResponses.list({ agentId: session.agentId }))
      .items;
    const firstPreamble = cannedResponses.find(
      (response) => response.template === 'Let me check that for you.',
    );
    expect(first.explanation.preamble).toEqual({
      reason: 'tools',
      cannedResponseId: firstPreamble?.id,
    });

    // The next slow turn says the next preamble, not the same line again.
    const second = await say('And can you track parcel HP-456?');
    expect(textOf(second.message)).toBe('Your parcel HP-456 is in transit.');
    const later = (await workspace.events.list(session.id)).filter(
      (event) => event.traceId === second.traceId && isPreambleEvent(event),
    );
    expect(later.map((event) => event.kind === 'message' && event.data.text)).toEqual([
      'One moment while I look.',
    ]);
    expectGapless(await workspace.events.list(session.id));
    await engine.close();
  });

  it('sends none when the reply is ready before the threshold, and never replies with a preamble', async () => {
    const clock = createTestClock();
    const engine = createEngine({ store: store(), tools: [trackParcel], clock });
    const { workspace, session, say } = await openDesk(engine);

    const hours = await say('When are you open?');
    expect(textOf(hours.message)).toBe('We are open from 9 to 5, Monday to Friday.');
    expect(hours.explanation.preamble).toBeNull();
    // The threshold's timer went with the turn.
    expect(clock.pendingTimers).toBe(0);

    // Words that are a preamble's own, first in a conversation: strict mode still does not
    // answer with it.
    const other = await workspace.sessions.create({ agentId: session.agentId });
    const echo = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(other.id, {
          text: 'Let me check that for you.',
        })
      ).turn,
    );
    expect(preambleTemplates).not.toContain(textOf(echo.message));
    const preambleIds = (await workspace.cannedResponses.list({ agentId: session.agentId })).items
      .filter((response) => response.tags.includes('preamble'))
      .map((response) => response.id);
    expect(preambleIds).toHaveLength(2);
    expect(preambleIds).not.toContain(echo.explanation.composition.cannedResponseId);

    const events = await workspace.events.list(session.id);
    expect(events.filter(isPreambleEvent)).toEqual([]);
    await engine.close();
  });

  it('sends a default line when a model is slow to start its reply, once the threshold passes', async () => {
    const clock = createTestClock();
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, clock });
    const workspaceId = freshWorkspaceId();
    const workspace = engine.forWorkspace(workspaceId);
    const agent = await workspace.agents.create({ name: 'Plain' });
    await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer asks about prices',
      action: 'give the price list',
    });
    const session = await workspace.sessions.create({ agentId: agent.id });
    scriptJudgement(model, () => ({ applies: () => true }));
    // The reply's first token is late: the default threshold (1.5 s) passes on the test
    // clock, and the reply waits until the preamble is stored.
    model.onText('reply', async () => {
      clock.advance(1499);
      clock.advance(1);
      await waitForPreamble(engine, workspace, session.id);
      return 'A cut is 30 euros.';
    });

    const outcome = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'How much is a cut?' })
      ).turn,
    );
    expect(textOf(outcome.message)).toBe('A cut is 30 euros.');
    expect(outcome.explanation.preamble).toEqual({ reason: 'slow', cannedResponseId: null });
    const events = await workspace.events.list(session.id);
    expect(events.find(isPreambleEvent)?.data).toEqual({
      text: 'One moment, please.',
      preamble: true,
    });
    expect(labelled(events, outcome.traceId)).toEqual([
      'status:acknowledged',
      'status:processing:guideline_matching',
      'preamble',
      'status:typing',
      'message',
      'status:ready',
    ]);
    // The preamble made no model call: judgement and reply only.
    expect(outcome.explanation.model.purposes).toEqual(['guideline_judgement', 'reply']);
    expectGapless(events);
    await engine.close();
  });

  it('sends none when the model answers in time, nor when preambles are disabled', async () => {
    const clock = createTestClock();
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, clock });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Quick' });
    const session = await workspace.sessions.create({ agentId: agent.id });
    scriptJudgement(model, () => ({}));
    model.onText('reply', () => 'Hello!');
    const quick = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text: 'Hi' })).turn,
    );
    expect(quick.explanation.preamble).toBeNull();
    expect(clock.pendingTimers).toBe(0);

    const quiet = createEngine({
      store: store(),
      tools: [trackParcel],
      clock,
      preamble: { enabled: false },
    });
    const desk = await openDesk(quiet);
    const runsBefore = trackingRuns;
    const tracked = await desk.say('Where is my parcel HP-321?');
    expect(trackingRuns).toBe(runsBefore + 1);
    expect(tracked.explanation.preamble).toBeNull();
    expect((await desk.workspace.events.list(desk.session.id)).filter(isPreambleEvent)).toEqual([]);
    expect((await workspace.events.list(session.id)).filter(isPreambleEvent)).toEqual([]);
    await quiet.close();
    await engine.close();
  });

  it('refuses a negative threshold with a clear error', () => {
    expect(() => createEngine({ store: store(), preamble: { afterMilliseconds: -1 } })).toThrow(
      /preamble\.afterMilliseconds/,
    );
  });
});

describe('moderation', () => {
  const logger = (): EngineLogger & { warnings: string[] } => {
    const warnings: string[] = [];
    return {
      warnings,
      debug: () => undefined,
      info: () => undefined,
      warn: (message) => warnings.push(message),
      error: () => undefined,
    };
  };

  it('answers a flagged message with the configured reply, records it, and runs no tool (no model)', async () => {
    const engine = createEngine({
      store: store(),
      tools: [trackParcel],
      moderation: {
        moderator: createRuleBasedModerator(),
        flaggedReply: 'Let us keep this friendly, please.',
      },
    });
    const { workspace, session, say } = await openDesk(engine);
    const runsBefore = trackingRuns;
    const text = "Where is my parcel HP-123? I'll kill you if it is late.";

    const outcome = await say(text);
    expect(textOf(outcome.message)).toBe('Let us keep this friendly, please.');
    expect(trackingRuns).toBe(runsBefore);
    expect(outcome.explanation.tools).toEqual([]);
    expect(outcome.explanation.guidelines).toEqual([]);
    expect(outcome.explanation.moderation).toEqual({
      status: 'flagged',
      moderator: 'rules',
      categories: ['violence'],
    });
    const events = await workspace.events.list(session.id);
    expect(labelled(events, outcome.traceId)).toEqual([
      'status:acknowledged',
      'status:processing:guideline_matching',
      'custom:moderation',
      'status:typing',
      'message',
      'status:ready',
    ]);
    expect(events.find((event) => event.kind === 'custom')).toMatchObject({
      source: 'system',
      data: {
        type: 'moderation',
        payload: { flagged: true, censored: true, categories: ['violence'], moderator: 'rules' },
      },
    });
    // The customer's message is kept as written.
    expect(events.find((event) => event.source === 'customer')?.data).toMatchObject({ text });
    expectGapless(events);

    // The next, civil message is answered as usual.
    const next = await say('Where is my parcel HP-123?');
    expect(textOf(next.message)).toBe('Your parcel HP-123 is in transit.');
    expect(next.explanation.moderation?.status).toBe('passed');
    await engine.close();
  });

  it('answers a flagged message with the default reply and no reply or tool model call (scripted model)', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({
      store: store(),
      model,
      tools: [trackParcel],
      moderation: { moderator: createRuleBasedModerator() },
      preamble: { enabled: false },
    });
    const { workspace, session, say } = await openDesk(engine);
    scriptJudgement(model, () => ({ applies: () => true }));
    const runsBefore = trackingRuns;

    const outcome = await say('Track HP-123 or I will hurt you.');
    expect(textOf(outcome.message)).toBe(defaultFlaggedReply);
    expect(trackingRuns).toBe(runsBefore);
    expect(model.calls.map((call) => call.purpose)).not.toContain('reply');
    expect(model.calls.map((call) => call.purpose)).not.toContain('tool_calls');
    const events = await workspace.events.list(session.id);
    expect(events.filter((event) => event.kind === 'tool')).toEqual([]);
    expect(
      events.filter((event) => event.kind === 'custom' && event.data.type === 'moderation'),
    ).toHaveLength(1);
    await engine.close();
  });

  it('moderates beside matching, not before it', async () => {
    const model = createScriptedChatModel();
    let judgementStarted: () => void = () => undefined;
    const judging = new Promise<void>((resolve) => {
      judgementStarted = resolve;
    });
    // This moderator answers only once the judgement has begun: run before matching, it
    // would wait in vain, give up (after 5 s of real time) and fail, and the turn would be
    // answered unmoderated. The engine's own deadline is on a test clock that never moves.
    const waitingModerator: Moderator = {
      id: 'waits-for-matching',
      async moderate({ text }) {
        let giveUp: ReturnType<typeof setTimeout> | undefined;
        try {
          await Promise.race([
            judging,
            new Promise((_, reject) => {
              giveUp = setTimeout(() => reject(new Error('matching never started')), 5000);
            }),
          ]);
        } finally {
          clearTimeout(giveUp);
        }
        return { flagged: false, categories: [], censoredText: text };
      },
    };
    const engine = createEngine({
      store: store(),
      model,
      clock: createTestClock(),
      moderation: { moderator: waitingModerator },
      preamble: { enabled: false },
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Parallel' });
    await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer greets',
      action: 'greet back',
    });
    const session = await workspace.sessions.create({ agentId: agent.id });
    model.onObject('guideline_judgement', () => {
      judgementStarted();
      return {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: { id: null, nextState: null },
        cannedResponse: null,
      };
    });
    model.onText('reply', () => 'Hello!');
    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text: 'Hello' })).turn,
    );
    expect(outcome.explanation.moderation).toEqual({
      status: 'passed',
      moderator: 'waits-for-matching',
      categories: [],
    });
    await engine.close();
  });

  it('lets the model read the censored text while the stored message stays as written', async () => {
    server = await startFakeOpenAIServer();
    const model = createOpenAIChatModel({
      model: 'gpt-test',
      baseURL: server.baseURL,
      apiKey: 'sk-test-key',
      maxRetries: 0,
    });
    const engine = createEngine({
      store: store(),
      model,
      moderation: { moderator: createRuleBasedModerator() },
      preamble: { enabled: false },
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Router help' });
    await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer reports a broken router',
      action: 'suggest restarting the router',
    });
    const session = await workspace.sessions.create({ agentId: agent.id });
    server.enqueue({
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: { id: null, nextState: null },
        cannedResponse: null,
      },
    });
    server.enqueue({ text: 'Sorry about that! Please restart the router.' });
    const text = 'This fucking router is broken again';

    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn,
    );
    expect(textOf(outcome.message)).toBe('Sorry about that! Please restart the router.');
    expect(outcome.explanation.moderation).toEqual({
      status: 'censored',
      moderator: 'rules',
      categories: ['profanity'],
    });
    const replyRequest = server.requests.filter(
      (request) =>
        request.path === '/v1/chat/completions' &&
        (request.body as { stream?: boolean }).stream === true,
    );
    expect(replyRequest).toHaveLength(1);
    const prompt = JSON.stringify(replyRequest.map((request) => request.body));
    expect(prompt).toContain('This *** router is broken again');
    expect(prompt).not.toContain('fucking');
    const events = await workspace.events.list(session.id);
    expect(events.find((event) => event.source === 'customer')?.data).toMatchObject({ text });
    expect(events.find((event) => event.kind === 'custom')?.data).toEqual({
      type: 'moderation',
      payload: { flagged: false, censored: true, categories: ['profanity'], moderator: 'rules' },
    });
    await engine.close();
  });

  it('flags through the OpenAI moderation endpoint and answers with the configured reply', async () => {
    server = await startFakeOpenAIServer();
    const connection = { baseURL: server.baseURL, apiKey: 'sk-test-key', maxRetries: 0 };
    const engine = createEngine({
      store: store(),
      model: createOpenAIChatModel({ model: 'gpt-test', ...connection }),
      tools: [trackParcel],
      moderation: {
        moderator: createOpenAIModerator(connection),
        flaggedReply: 'I cannot help with that.',
      },
      preamble: { enabled: false },
    });
    const { workspace, session, say } = await openDesk(engine);
    server.enqueueModeration({ flagged: true, categories: ['harassment'] });
    server.enqueue({
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: { id: null, nextState: null },
        cannedResponse: null,
      },
    });
    const runsBefore = trackingRuns;

    const outcome = await say('You are useless, where is HP-123');
    expect(textOf(outcome.message)).toBe('I cannot help with that.');
    expect(trackingRuns).toBe(runsBefore);
    expect(outcome.explanation.moderation).toMatchObject({
      status: 'flagged',
      categories: ['harassment'],
    });
    const moderationRequests = server.requests.filter(
      (request) => request.path === '/v1/moderations',
    );
    expect(moderationRequests.map((request) => request.body)).toEqual([
      { model: 'omni-moderation-latest', input: 'You are useless, where is HP-123' },
    ]);
    const events = await workspace.events.list(session.id);
    expect(
      events.find((event) => event.kind === 'custom' && event.data.type === 'moderation'),
    ).toBeDefined();
    await engine.close();
  });

  it('answers unmoderated when the moderator throws or outlasts its deadline, and says so in the log', async () => {
    const failing: Moderator = {
      id: 'broken',
      moderate: async () => {
        throw new Error('moderation service is down');
      },
    };
    const failingLog = logger();
    const engine = createEngine({
      store: store(),
      tools: [trackParcel],
      logger: failingLog,
      moderation: { moderator: failing },
    });
    const desk = await openDesk(engine);
    const answered = await desk.say('When are you open?');
    expect(textOf(answered.message)).toBe('We are open from 9 to 5, Monday to Friday.');
    expect(answered.explanation.moderation).toEqual({
      status: 'failed',
      moderator: 'broken',
      categories: [],
    });
    expect(failingLog.warnings).toContain('moderation failed; the message is answered unmoderated');
    await engine.close();

    // A moderator that never answers: its deadline passes on the test clock.
    const clock = createTestClock();
    const stalled = vi.fn<Moderator['moderate']>(() => {
      clock.advance(2000);
      return new Promise(() => undefined);
    });
    const stalledLog = logger();
    const slow = createEngine({
      store: store(),
      tools: [trackParcel],
      clock,
      logger: stalledLog,
      moderation: { moderator: { id: 'stalled', moderate: stalled }, timeoutMs: 2000 },
    });
    const slowDesk = await openDesk(slow);
    const late = await slowDesk.say('When are you open?');
    expect(stalled).toHaveBeenCalledTimes(1);
    expect(textOf(late.message)).toBe('We are open from 9 to 5, Monday to Friday.');
    expect(late.explanation.moderation?.status).toBe('failed');
    expect(stalledLog.warnings).toContain(
      'moderation timed out; the message is answered unmoderated',
    );
    await slow.close();
  });
});
