import { describe, expect, it } from 'vitest';
import { createEngine, type EngineOptions } from '../../src/engine/create-engine';
import type { EngineLogger } from '../../src/engine/engine-logger';
import { ParleyError } from '../../src/errors/parley-error';
import { createInMemoryEventBus } from '../../src/event-bus/in-memory-event-bus';
import type { EventBus } from '../../src/ports/event-bus';
import type { Store, WorkspaceStore } from '../../src/ports/store';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

const store = useScenarioStore();

/** What the engine logged, to check a failure is reported with its trace id. */
function createRecordingLogger() {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  const record =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      lines.push({ level, message, fields });
  const logger: EngineLogger = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  return { logger, lines };
}

/**
 * The shared PGlite store, with the session lock failing as a lock connection does while the
 * database is away, as long as `failures` says so.
 */
function storeWithFailingLock(inner: Store, failures: { lock: number }): Store {
  const failure = () =>
    new ParleyError('database_failed', 'The lock connection was lost', { retryable: true });
  return {
    ...inner,
    forWorkspace(workspaceId): WorkspaceStore {
      const workspace = inner.forWorkspace(workspaceId);
      return {
        ...workspace,
        sessions: {
          ...workspace.sessions,
          async lockTurn(sessionId) {
            if (failures.lock > 0) {
              failures.lock -= 1;
              throw failure();
            }
            return workspace.sessions.lockTurn(sessionId);
          },
        },
      };
    },
  };
}

/** An engine answering every message with one reply, on `engineStore`, in a fresh workspace. */
async function openSession(engineStore: Store, options: Partial<EngineOptions> = {}) {
  const model = createScriptedChatModel();
  scriptJudgement(model, () => ({}));
  model.onText('reply', () => 'Here to help.');
  const { logger, lines } = createRecordingLogger();
  const engine = createEngine({
    store: engineStore,
    model,
    logger,
    turnStart: { retryDelayMs: { initial: 10, maximum: 40 } },
    ...options,
  });
  const workspace = engine.forWorkspace(freshWorkspaceId());
  const agent = await workspace.agents.create({ name: 'Support' });
  const session = await workspace.sessions.create({ agentId: agent.id });
  return { engine, workspace, agent, session, logLines: lines };
}

const statusesOf = async (workspace: Pick<WorkspaceStore, 'events'>, sessionId: string) =>
  (await workspace.events.list(sessionId)).map((event) =>
    event.kind === 'status'
      ? `${event.data.status}${event.data.error?.reason ? `:${event.data.error.reason}` : ''}`
      : `${event.kind}:${event.source}`,
  );

describe('no customer message without an outcome', () => {
  it('tries a turn whose lock failed again, answers it, and logs and counts the failure', async () => {
    const failures = { lock: 2 };
    const { engine, workspace, session, logLines } = await openSession(
      storeWithFailingLock(store(), failures),
    );
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text: 'hello?' });
    const outcome = await posted.turn;

    expect(outcome?.status).toBe('ready');
    expect(failures.lock).toBe(0);
    expect(await statusesOf(workspace, session.id)).toEqual([
      'message:customer',
      'acknowledged',
      'processing',
      'typing',
      'message:ai_agent',
      'ready',
    ]);
    // One turn failed to start (twice): counted once, each try logged with its trace id.
    expect(engine.turnStartFailures).toBe(1);
    const retries = logLines.filter(
      (line) => line.message === 'turn could not start; trying again',
    );
    expect(retries).toHaveLength(2);
    for (const line of retries) {
      expect(line.fields).toMatchObject({
        sessionId: session.id,
        traceId: outcome?.traceId,
        code: 'database_failed',
      });
    }
    await engine.close();
  });

  it('ends a message whose turn cannot start with a retryable error, which a retry answers', async () => {
    const failures = { lock: Number.POSITIVE_INFINITY };
    const { engine, workspace, session, logLines } = await openSession(
      storeWithFailingLock(store(), failures),
      { turnStart: { retryForMs: 100, retryDelayMs: { initial: 10, maximum: 20 } } },
    );
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text: 'anyone?' });
    const outcome = await posted.turn;

    expect(outcome).toMatchObject({ status: 'error', error: { code: 'database_failed' } });
    const events = await workspace.events.list(session.id);
    expect(events.at(-1)).toMatchObject({
      kind: 'status',
      traceId: outcome?.traceId,
      data: {
        status: 'error',
        error: { code: 'database_failed', reason: 'turn_not_started', retryable: true },
      },
    });
    expect(logLines.some((line) => line.message === 'turn could not start')).toBe(true);
    expect(engine.turnStartFailures).toBe(1);

    // The database answers again: the customer's retry gets a reply.
    failures.lock = 0;
    const retried = await (await workspace.sessions.retry(session.id)).turn;
    expect(retried.status).toBe('ready');
    expect(await statusesOf(workspace, session.id)).toEqual([
      'message:customer',
      'error:turn_not_started',
      'acknowledged',
      'processing',
      'typing',
      'message:ai_agent',
      'ready',
    ]);
    await engine.close();
  });

  it('starts the turn although the bus fails to announce the stored message', async () => {
    const inner = createInMemoryEventBus();
    let failingPublishes = 2;
    const bus: EventBus = {
      ...inner,
      async publish(message) {
        if (failingPublishes > 0) {
          failingPublishes -= 1;
          throw new ParleyError('database_failed', 'The event bus could not NOTIFY', {
            retryable: true,
          });
        }
        return inner.publish(message);
      },
    };
    const { engine, workspace, session } = await openSession(store(), { eventBus: bus });
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text: 'hello?' });
    expect(failingPublishes).toBe(0);
    expect((await posted.turn)?.status).toBe('ready');
    await engine.close();
  });

  it('settles a stored message that no turn ever started, once, and never in manual mode', async () => {
    const { engine, workspace, session } = await openSession(store());
    // What an instance that died between storing a message and starting its turn leaves.
    const [message] = await workspace.events.append(session.id, [
      { kind: 'message', source: 'customer', data: { text: 'is anyone there?' } },
    ]);
    const settled = await workspace.sessions.settleAbandonedTurn(session.id);
    expect(settled).toMatchObject({
      kind: 'status',
      data: {
        status: 'error',
        error: { code: 'database_failed', reason: 'turn_not_started', retryable: true },
      },
    });
    expect(settled?.offset).toBeGreaterThan(message?.offset ?? Number.POSITIVE_INFINITY);
    expect(await workspace.sessions.settleAbandonedTurn(session.id)).toBeNull();

    // A manual session's customer waits for a person: nothing to settle.
    const manual = await workspace.sessions.create({ agentId: session.agentId, mode: 'manual' });
    await workspace.sessions.postCustomerMessage(manual.id, { text: 'a person, please' });
    expect(await workspace.sessions.settleAbandonedTurn(manual.id)).toBeNull();
    expect(await statusesOf(workspace, manual.id)).toEqual(['message:customer']);
    await engine.close();
  });

  it('skips a turn whose message was settled by a watcher while it waited to start', async () => {
    const failures = { lock: 3 };
    const { engine, workspace, session } = await openSession(
      storeWithFailingLock(store(), failures),
      { turnStart: { retryDelayMs: { initial: 60, maximum: 60 } } },
    );
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text: 'hello?' });
    // Between two tries (the lock is free), a stream's watchdog finds the message unanswered.
    const settled = await workspace.sessions.settleAbandonedTurn(session.id);
    expect(settled?.kind).toBe('status');
    const outcome = await posted.turn;

    expect(outcome).toMatchObject({ status: 'skipped' });
    // The customer sees one outcome (the error they can retry), not an error and then a reply.
    expect(await statusesOf(workspace, session.id)).toEqual([
      'message:customer',
      'error:turn_not_started',
    ]);
    await engine.close();
  });

  it('refuses a message before storing it once the engine is closing', async () => {
    const { engine, workspace, session } = await openSession(store());
    await engine.close();
    await expect(
      workspace.sessions.postCustomerMessage(session.id, { text: 'too late' }),
    ).rejects.toMatchObject({ code: 'not_ready' });
    expect(await workspace.events.list(session.id)).toEqual([]);
  });
});
