import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine';
import type { TurnOutcome } from '../../src/engine/run-turn';
import { createOpenAIChatModel } from '../../src/openai/create-openai-chat-model';
import { createPgliteStore, type PgliteStore } from '../../src/pglite/create-pglite-store';
import {
  type FakeOpenAIServer,
  startFakeOpenAIServer,
} from '../../src/testing/start-fake-openai-server';

let store: PgliteStore;
let server: FakeOpenAIServer;
beforeAll(async () => {
  store = await createPgliteStore();
});
afterAll(async () => {
  await store.close();
});
afterEach(async () => {
  await server?.close();
});

const freshWorkspace = () => `workspace-${globalThis.crypto.randomUUID()}`;

/**
 * Starts the fake server and opens an engine whose model is the real `openai` client pointed at
 * it (no retries, so each failure is the test's own), with one agent in a fresh workspace.
 */
async function openThroughFakeServer(options: { timeoutMs?: number } = {}) {
  server = await startFakeOpenAIServer();
  const model = createOpenAIChatModel({
    model: 'gpt-test',
    baseURL: server.baseURL,
    apiKey: 'sk-test-key',
    maxRetries: 0,
    ...options,
  });
  const engine = createEngine({ store, model });
  const workspace = engine.forWorkspace(freshWorkspace());
  const agent = await workspace.agents.create({ name: 'Support' });
  return { engine, workspace, agent };
}

/** The request bodies the fake server received for chat completions, in order. */
const chatBodies = () =>
  server.requests
    .filter((request) => request.path === '/v1/chat/completions')
    .map((request) => request.body as Record<string, unknown>);

describe('turns through the real openai client and a fake OpenAI-compatible server', () => {
  it('judges with structured output and streams the reply over HTTP', async () => {
    const { engine, workspace, agent } = await openThroughFakeServer();
    const refunds = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer asks for a refund',
      action: 'explain the 30-day refund policy',
    });
    server.enqueue({
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: { id: null, nextState: null },
        cannedResponse: null,
      },
    });
    server.enqueue({ text: 'You can return it within 30 days.' });
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = (await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'refund please' })
    ).turn) as TurnOutcome;

    expect(outcome.status).toBe('ready');
    if (outcome.status !== 'ready') return;
    expect(outcome.message.data).toEqual({ text: 'You can return it within 30 days.' });
    expect(outcome.explanation.guidelines.map((guideline) => guideline.id)).toEqual([refunds.id]);
    const [judgement, reply] = chatBodies();
    expect(judgement?.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { name: 'guideline_judgement' },
    });
    expect(reply?.stream).toBe(true);
    expect(JSON.stringify(reply?.messages)).toContain('explain the 30-day refund policy');
    expect(outcome.explanation.model.calls).toBe(2);
    expect(outcome.explanation.model.promptTokens).toBeGreaterThan(0);
    await engine.close();
  });

  it('ends with a retryable error on a server failure, and answers on retry', async () => {
    const { engine, workspace, agent } = await openThroughFakeServer();
    const session = await workspace.sessions.create({ agentId: agent.id });
    server.failNext({ status: 503, body: { error: { message: 'overloaded' } } });
    const failed = (await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'hello' })
    ).turn) as TurnOutcome;
    expect(failed.status).toBe('error');
    expect(failed.status === 'error' && failed.error).toMatchObject({
      code: 'model_failed',
      reason: 'unavailable',
      retryable: true,
    });

    server.enqueue({
      json: { guidelines: [], journey: { id: null, nextState: null }, cannedResponse: null },
    });
    server.enqueue({ text: 'Hello there!' });
    const retried = await (await workspace.sessions.retry(session.id)).turn;
    expect(retried.status).toBe('ready');
    const customerMessages = (await workspace.events.list(session.id)).filter(
      (event) => event.source === 'customer',
    );
    expect(customerMessages).toHaveLength(1);
    await engine.close();
  });

  it('fails the turn with a timeout when the model server stalls', async () => {
    const { engine, workspace, agent } = await openThroughFakeServer({ timeoutMs: 100 });
    const session = await workspace.sessions.create({ agentId: agent.id });
    server.failNext({ delayMs: 1000 });
    const failed = (await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'hello' })
    ).turn) as TurnOutcome;
    expect(failed.status === 'error' && failed.error).toMatchObject({
      code: 'model_failed',
      reason: 'timeout',
      retryable: true,
    });
    await engine.close();
  });
});
