import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine';
import type { TurnOutcome } from '../../src/engine/run-turn';
import { ParleyError } from '../../src/errors/parley-error';
import { createPostgresStore } from '../../src/postgres/create-postgres-store';
import { createPostgresEventBus } from '../../src/postgres/postgres-event-bus';
import {
  createPostgresTestSchema,
  testDatabaseUrl,
} from '../../src/testing/create-postgres-test-schema';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

const store = useScenarioStore();

const statusesOf = async (
  engine: ReturnType<typeof createEngine>,
  workspaceId: string,
  sessionId: string,
) =>
  (await engine.forWorkspace(workspaceId).events.list(sessionId)).map((event) =>
    event.kind === 'status' ? event.data.status : `${event.kind}:${event.source}`,
  );

/** A scripted model, an engine on the shared store, and one session of a new agent in a fresh workspace. */
async function openSupportSession(options: { mode?: 'auto' | 'manual' } = {}) {
  const model = createScriptedChatModel();
  const engine = createEngine({ store: store(), model });
  const workspaceId = freshWorkspaceId();
  const workspace = engine.forWorkspace(workspaceId);
  const agent = await workspace.agents.create({ name: 'Support' });
  const session = await workspace.sessions.create({ agentId: agent.id, ...options });
  return { model, engine, workspaceId, workspace, agent, session };
}

describe('failures', () => {
  it('keeps the customer message when the model fails, ends with a retryable error, and a retry answers', async () => {
    const { model, engine, workspaceId, workspace, session } = await openSupportSession();
    scriptJudgement(model, () => ({}));
    model.enqueueFailure(
      new ParleyError('model_failed', 'Model is rate limited', {
        reason: 'rate_limited',
        retryable: true,
      }),
      { for: 'reply' },
    );
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text: 'hello?' });
    const failed = (await posted.turn) as TurnOutcome;
    expect(failed.status).toBe('error');
    const events = await workspace.events.list(session.id);
    expect(events[0]).toMatchObject({
      kind: 'message',
      source: 'customer',
      data: { text: 'hello?' },
    });
    expect(events.at(-1)?.data).toMatchObject({
      status: 'error',
      error: { code: 'model_failed', reason: 'rate_limited', retryable: true },
    });

    model.onText('reply', () => 'Hello! How can I help?');
    const retried = await (await workspace.sessions.retry(session.id)).turn;
    expect(retried.status).toBe('ready');
    expect(await statusesOf(engine, workspaceId, session.id)).toEqual([
      'message:customer',
      'acknowledged',
      'processing',
      'error',
      'acknowledged',
      'processing',
      'typing',
      'message:ai_agent',
      'ready',
    ]);
    await engine.close();
  });

  it('ends a turn nobody runs any more with a retryable error, and leaves a running one alone', async () => {
    const { model, engine, workspace, session } = await openSupportSession();
    // What a process that died mid-turn leaves behind: the turn's first statuses, no end.
    await workspace.events.append(session.id, [
      { kind: 'message', source: 'customer', data: { text: 'where is my order?' } },
      {
        kind: 'status',
        source: 'ai_agent',
        traceId: 'dead-turn',
        data: { status: 'acknowledged' },
      },
      {
        kind: 'status',
        source: 'ai_agent',
        traceId: 'dead-turn',
        data: { status: 'processing', stage: 'guideline_matching' },
      },
    ]);
    const settled = await workspace.sessions.settleAbandonedTurn(session.id);
    expect(settled).toMatchObject({
      kind: 'status',
      traceId: 'dead-turn',
      data: {
        status: 'error',
        error: { code: 'internal', reason: 'turn_abandoned', retryable: true },
      },
    });
    // Ended once: a second look finds nothing open.
    expect(await workspace.sessions.settleAbandonedTurn(session.id)).toBeNull();

    // A turn that runs (it holds the lock) is never settled, however silent.
    scriptJudgement(model, () => ({}));
    let letReplyGo: () => void = () => undefined;
    const replyMayGo = new Promise<void>((resolve) => {
      letReplyGo = resolve;
    });
    let replyAsked: () => void = () => undefined;
    const replyWasAsked = new Promise<void>((resolve) => {
      replyAsked = resolve;
    });
    model.onText('reply', async () => {
      replyAsked();
      await replyMayGo;
      return 'It ships today.';
    });
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text: 'hello?' });
    await replyWasAsked;
    expect(await workspace.sessions.settleAbandonedTurn(session.id)).toBeNull();
    letReplyGo();
    expect((await posted.turn)?.status).toBe('ready');
    expect(await workspace.sessions.settleAbandonedTurn(session.id)).toBeNull();
    await engine.close();
  });

  it('records the error of a turn whose reply could not be stored, instead of leaving it typing', async () => {
    const { model, engine, workspaceId, workspace, session } = await openSupportSession();
    scriptJudgement(model, () => ({}));
    // A NUL character, which no jsonb column holds: appending it fails, and that failure must
    // be recorded.
    model.onText('reply', () => 'a reply with a \u0000 in it');
    const turn = (await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'tell me everything' })
    ).turn) as TurnOutcome;
    expect(turn.status).toBe('error');
    const events = await workspace.events.list(session.id);
    expect(events.at(-1)).toMatchObject({
      kind: 'status',
      data: { status: 'error' },
    });
    expect(await statusesOf(engine, workspaceId, session.id)).toEqual([
      'message:customer',
      'acknowledged',
      'processing',
      'typing',
      'error',
    ]);
    await engine.close();
  });

  it('asks again once for malformed structured output, then fails the stage', async () => {
    const { model, engine, workspace, session } = await openSupportSession();
    model.enqueueObject({ nonsense: true }, { for: 'guideline_judgement' });
    model.enqueueObject(
      { guidelines: [], journey: { id: null, nextState: null }, cannedResponse: null },
      { for: 'guideline_judgement' },
    );
    model.onText('reply', () => 'Hi!');
    const first = await (await workspace.sessions.postCustomerMessage(session.id, { text: 'hi' }))
      .turn;
    expect(first?.status).toBe('ready');
    expect(model.calls.filter((call) => call.purpose === 'guideline_judgement')).toHaveLength(2);

    model.enqueueObject({ nonsense: 1 }, { for: 'guideline_judgement' });
    model.enqueueObject({ nonsense: 2 }, { for: 'guideline_judgement' });
    const second = (await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'hi again' })
    ).turn) as TurnOutcome;
    expect(second.status).toBe('error');
    expect(second.status === 'error' && second.error).toMatchObject({
      code: 'model_failed',
      reason: 'malformed_output',
      retryable: true,
    });
    await engine.close();
  });

  it('runs no turn for a session in manual mode, and keeps a human operator message', async () => {
    const { model, engine, workspace, session } = await openSupportSession({ mode: 'manual' });
    const posted = await workspace.sessions.postCustomerMessage(session.id, {
      text: 'a human please',
    });
    expect(posted.turn).toBeNull();
    await workspace.sessions.postHumanMessage(session.id, {
      text: 'Hi, Sam here.',
      participantName: 'Sam',
    });
    const events = await workspace.events.list(session.id);
    expect(events.map((event) => `${event.kind}:${event.source}`)).toEqual([
      'message:customer',
      'message:human_agent',
    ]);
    expect(model.calls).toEqual([]);
    await engine.close();
  });

  it('returns the first message for a repeated clientMessageId and runs no second turn', async () => {
    const { model, engine, workspace, session } = await openSupportSession();
    scriptJudgement(model, () => ({}));
    model.onText('reply', () => 'Hi!');
    const first = await workspace.sessions.postCustomerMessage(session.id, {
      text: 'hi',
      clientMessageId: 'm-1',
    });
    await first.turn;
    const again = await workspace.sessions.postCustomerMessage(session.id, {
      text: 'hi',
      clientMessageId: 'm-1',
    });
    expect(again).toMatchObject({ duplicate: true, turn: null });
    expect(again.event).toEqual(first.event);
    expect(model.calls.filter((call) => call.purpose === 'reply')).toHaveLength(1);
    await engine.close();
  });

  it('rejects an invalid message with a clear error and writes nothing', async () => {
    const engine = createEngine({ store: store(), model: createScriptedChatModel() });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Support' });
    const session = await workspace.sessions.create({ agentId: agent.id });
    await expect(
      workspace.sessions.postCustomerMessage(session.id, { text: '   ' }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('text'),
    });
    expect(await workspace.events.list(session.id)).toEqual([]);
    await engine.close();
  });
});

describe('cancellation', () => {
  it('cancels the turn in flight when a newer customer message arrives, and answers the newer one', async () => {
    const { model, engine, workspaceId, workspace, session } = await openSupportSession();
    scriptJudgement(model, () => ({}));
    // The first reply streams slowly enough for the second message to arrive mid-reply.
    model.enqueueText('one two three four five six seven eight', { for: 'reply', delayMs: 200 });
    model.enqueueText('Answering your second message.', { for: 'reply' });
    const first = await workspace.sessions.postCustomerMessage(session.id, { text: 'first' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await workspace.sessions.postCustomerMessage(session.id, {
      text: 'second, actually',
    });
    const [firstOutcome, secondOutcome] = await Promise.all([first.turn, second.turn]);
    expect(firstOutcome?.status).toBe('cancelled');
    expect(secondOutcome?.status).toBe('ready');
    const statuses = await statusesOf(engine, workspaceId, session.id);
    expect(statuses.filter((status) => status === 'cancelled')).toHaveLength(1);
    expect(statuses.filter((status) => status === 'message:ai_agent')).toHaveLength(1);
    expect(statuses.at(-1)).toBe('ready');
    await engine.close();
  });

  it('stops the turn in flight on request', async () => {
    const { model, engine, workspace, session } = await openSupportSession();
    scriptJudgement(model, () => ({}));
    model.enqueueText('a long answer that will be stopped', { for: 'reply', delayMs: 300 });
    const posted = await workspace.sessions.postCustomerMessage(session.id, {
      text: 'tell me everything',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await workspace.sessions.cancel(session.id);
    expect((await posted.turn)?.status).toBe('cancelled');
    await engine.close();
  });
});

describe.skipIf(!testDatabaseUrl)('two engines on one PostgreSQL (needs DATABASE_URL)', () => {
  let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
  beforeAll(async () => {
    testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
  });
  afterAll(async () => {
    await testSchema?.drop();
  });

  it('never runs two turns of one session at once, and every message gets answered in order', async () => {
    const channel = `${testSchema.schemaName}_bus`;
    const stores = [
      await createPostgresStore({ pool: testSchema.createPool(6) }),
      await createPostgresStore({ pool: testSchema.createPool(6), migrate: false }),
    ];
    const buses = stores.map(() =>
      createPostgresEventBus({ pool: testSchema.createPool(2), channel }),
    );
    let running = 0;
    let overlapped = false;
    const models = stores.map(() => {
      const model = createScriptedChatModel();
      scriptJudgement(model, () => ({}));
      model.onText('reply', async (request) => {
        running += 1;
        if (running > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 30));
        running -= 1;
        const last = request.messages.at(-1);
        return `Answer to: ${last && 'content' in last ? last.content : ''}`;
      });
      return model;
    });
    const engines = stores.map((postgresStore, index) =>
      createEngine({ store: postgresStore, model: models[index], eventBus: buses[index] }),
    );
    const workspaceId = freshWorkspaceId();
    const agent = await engines[0]!.forWorkspace(workspaceId).agents.create({ name: 'Support' });
    const session = await engines[0]!
      .forWorkspace(workspaceId)
      .sessions.create({ agentId: agent.id });

    // Six messages, alternating engines, each posted after the previous turn settled: no
    // message supersedes another, so every one must be answered, one turn at a time.
    for (let index = 0; index < 6; index += 1) {
      const engine = engines[index % 2]!;
      const posted = await engine
        .forWorkspace(workspaceId)
        .sessions.postCustomerMessage(session.id, { text: `message ${index}` });
      expect((await posted.turn)?.status).toBe('ready');
    }
    // Now a burst: both engines at once. Turns serialize on the advisory lock; superseded
    // ones are cancelled or skipped, and the last message is answered.
    const burst = await Promise.all(
      engines.map((engine, index) =>
        engine
          .forWorkspace(workspaceId)
          .sessions.postCustomerMessage(session.id, { text: `burst ${index}` }),
      ),
    );
    const outcomes = await Promise.all(burst.map((posted) => posted.turn));
    expect(overlapped).toBe(false);
    expect(outcomes.filter((outcome) => outcome?.status === 'ready').length).toBeGreaterThanOrEqual(
      1,
    );

    const events = await engines[1]!
      .forWorkspace(workspaceId)
      .events.list(session.id, { limit: 1000 });
    // Every turn's events stay together: a trace never interleaves with another.
    const traces = events
      .filter((event) => event.source === 'ai_agent')
      .map((event) => event.traceId);
    const order = traces.filter((trace, index) => trace !== traces[index - 1]);
    expect(new Set(order).size).toBe(order.length);
    const lastReply = events
      .filter((event) => event.kind === 'message' && event.source === 'ai_agent')
      .at(-1);
    const lastCustomer = events
      .filter((event) => event.kind === 'message' && event.source === 'customer')
      .at(-1);
    expect(lastReply?.offset).toBeGreaterThan(lastCustomer?.offset ?? Number.POSITIVE_INFINITY);
    expect(
      events.filter((event) => event.kind === 'message' && event.source === 'ai_agent').length,
    ).toBeGreaterThanOrEqual(7);

    for (const engine of engines) await engine.close();
    for (const bus of buses) await bus.close();
    for (const postgresStore of stores) await postgresStore.close();
  }, 60_000);

  // Regression: each turn's lock once held a pooled connection for the whole turn, so as many
  // turns as the pool had connections held them all and waited forever for one more.
  it('runs more turns at once than the pool has connections', async () => {
    const pool = testSchema.createPool(2);
    const postgresStore = await createPostgresStore({ pool });
    const model = createScriptedChatModel();
    scriptJudgement(model, () => ({}));
    const sessionsAtOnce = 6;
    let asked = 0;
    let allAsked: () => void = () => undefined;
    const everyTurnAsked = new Promise<void>((resolve) => {
      allAsked = resolve;
    });
    model.onText('reply', async () => {
      asked += 1;
      if (asked === sessionsAtOnce) allAsked();
      // Every turn is at the model together: each holds its session's lock meanwhile.
      await everyTurnAsked;
      return 'Done.';
    });
    const engine = createEngine({ store: postgresStore, model });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Support' });
    const sessions = await Promise.all(
      Array.from({ length: sessionsAtOnce }, () =>
        workspace.sessions.create({ agentId: agent.id }),
      ),
    );
    const posted = await Promise.all(
      sessions.map((session) =>
        workspace.sessions.postCustomerMessage(session.id, { text: 'hello' }),
      ),
    );
    const outcomes = await Promise.race([
      Promise.all(posted.map((message) => message.turn)),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`stuck: ${asked} of ${sessionsAtOnce} turns reached the model`)),
          20_000,
        ),
      ),
    ]);
    expect(outcomes.map((outcome) => outcome?.status)).toEqual(
      Array.from({ length: sessionsAtOnce }, () => 'ready'),
    );
    await engine.close();
    await postgresStore.close();
  }, 30_000);
});
