import { ParleyError } from '@parley/core';
import { createScriptedChatModel } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandlerKit, type HandlerKit, operatorToken } from './handler-kit';

const workspaceId = 'retry-workspace';
const model = createScriptedChatModel();
let kit: HandlerKit;
let agentKey: string;

/** The status of every stored status event of the session, in order. */
async function statuses(sessionId: string): Promise<string[]> {
  const events = await kit.engine.forWorkspace(workspaceId).events.list(sessionId);
  return events.flatMap((event) => (event.kind === 'status' ? [event.data.status] : []));
}

beforeAll(async () => {
  kit = await createHandlerKit({ engine: { model } });
  // No guideline applies; the reply is whatever the script says.
  model.onObject('guideline_judgement', () => ({
    guidelines: [],
    journey: { id: null, nextState: null },
    cannedResponse: null,
  }));
  const report = await kit.engine.sync(workspaceId, {
    name: 'Parley Outfitters',
    description: 'Outdoor clothing, orders and returns',
    compositionMode: 'fluid',
  });
  const issued = await kit.call('POST', `/v1/agents/${report.agent.id}/keys`, {
    token: await operatorToken({ workspaceId }),
    body: { name: 'Website', allowedOrigins: ['https://shop.example'] },
  });
  agentKey = ((await issued.json()) as { secret: string }).secret;
});
afterAll(async () => {
  await kit?.close();
});

async function openSession() {
  const opened = await kit.call('POST', '/v1/sessions', { body: { agentKey } });
  return (await opened.json()) as { session: { id: string }; customerToken: string };
}

describe('retrying a failed turn', () => {
  it('runs the turn again for the kept message and answers, without a second customer message', async () => {
    const { session, customerToken } = await openSession();
    model.enqueueFailure(
      new ParleyError('model_failed', 'The model is overloaded', {
        reason: 'unavailable',
        retryable: true,
      }),
      { for: 'reply' },
    );
    await kit.call('POST', `/v1/sessions/${session.id}/events`, {
      token: customerToken,
      body: { text: 'Where is my parcel?', clientMessageId: 'parcel-1' },
    });
    await vi.waitFor(async () => expect((await statuses(session.id)).at(-1)).toBe('error'));

    model.onText('reply', () => 'It arrives tomorrow.');
    const retried = await kit.call('POST', `/v1/sessions/${session.id}/retry`, {
      token: customerToken,
    });
    expect(retried.status).toBe(202);
    await vi.waitFor(async () => expect((await statuses(session.id)).at(-1)).toBe('ready'));
    const events = await kit.engine.forWorkspace(workspaceId).events.list(session.id);
    const messages = events.flatMap((event) =>
      event.kind === 'message' ? [`${event.source}: ${event.data.text}`] : [],
    );
    expect(messages).toEqual(['customer: Where is my parcel?', 'ai_agent: It arrives tomorrow.']);
  });

  it('refuses a session with nothing to answer (409) and another session (404)', async () => {
    const { session, customerToken } = await openSession();
    const empty = await kit.call('POST', `/v1/sessions/${session.id}/retry`, {
      token: customerToken,
    });
    expect(empty.status).toBe(409);
    const other = await openSession();
    const foreign = await kit.call('POST', `/v1/sessions/${other.session.id}/retry`, {
      token: customerToken,
    });
    expect(foreign.status).toBe(404);
  });
});

describe("the session's agent", () => {
  it('shows a customer its name and description, and nothing internal', async () => {
    const { session, customerToken } = await openSession();
    const response = await kit.call('GET', `/v1/sessions/${session.id}/agent`, {
      token: customerToken,
    });
    expect(response.status).toBe(200);
    const profile = (await response.json()) as Record<string, unknown>;
    expect(profile).toEqual({
      id: expect.any(String),
      name: 'Parley Outfitters',
      description: 'Outdoor clothing, orders and returns',
    });
  });
});
