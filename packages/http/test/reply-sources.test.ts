import { defineAgent, type Retriever } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHandlerKit,
  type HandlerKit,
  openCustomerSession,
  operatorToken,
  readFrames,
} from './handler-kit';

// A reply that drew on retrieved knowledge reaches the customer with its sources, over the
// stream and in the history, while the explanation (passages, scores) stays the operator's.

const workspaceId = 'workspace-sources';
let kit: HandlerKit;
let agentId: string;
let customerToken: string;
let sessionId: string;

type WireEventJson = { kind: string; offset: number; data: Record<string, unknown> };

const helpCenter: Retriever = {
  id: 'help-center',
  async retrieve({ knowledgeBaseIds }) {
    if (!knowledgeBaseIds.includes('kb-help')) return [];
    return [
      {
        id: 'refunds-1',
        text: 'Refunds reach the original card within five business days.',
        score: 0.9,
        source: { title: 'Refund policy', url: 'https://help.example.com/refunds' },
      },
    ];
  },
};

const sources = [
  {
    title: 'Refund policy',
    url: 'https://help.example.com/refunds',
    passageId: 'refunds-1',
    retrieverId: 'help-center',
  },
];

beforeAll(async () => {
  kit = await createHandlerKit({ engine: { retrievers: [helpCenter] } });
  const report = await kit.engine.sync(
    workspaceId,
    defineAgent({
      name: 'Help desk',
      compositionMode: 'canned_strict',
      retrievers: ['help-center'],
      cannedResponses: [{ template: '{{passage.text}}' }],
    }),
  );
  agentId = report.agent.id;
  const token = await operatorToken({ workspaceId });
  const linked = await kit.call('POST', `/v1/agents/${agentId}/knowledge-bases`, {
    token,
    body: { knowledgeBaseId: 'kb-help' },
  });
  expect(linked.status).toBe(201);
  ({ sessionId, customerToken } = await openCustomerSession(kit, { workspaceId, agentId }));
});
afterAll(async () => {
  await kit.close();
});

describe('a reply’s sources over HTTP', () => {
  it('streams the reply with its sources to the customer, and keeps the passages for operators', async () => {
    const stream = await kit.call('GET', `/v1/sessions/${sessionId}/stream`, {
      token: customerToken,
    });
    await kit.call('POST', `/v1/sessions/${sessionId}/events`, {
      token: customerToken,
      body: { text: 'when will my refund arrive?', clientMessageId: 'refund-question' },
    });
    const frames = await readFrames(stream, (seen) =>
      seen.some(
        (frame) => frame.event === 'event' && (frame.data as WireEventJson).data.status === 'ready',
      ),
    );
    const streamedReply = frames
      .map((frame) => frame.data as WireEventJson)
      .find(
        (event) => event?.kind === 'message' && event.data.text !== 'when will my refund arrive?',
      );
    expect(streamedReply?.data).toEqual({
      text: 'Refunds reach the original card within five business days.',
      sources,
    });

    const customerView = (await (
      await kit.call('GET', `/v1/sessions/${sessionId}/events`, { token: customerToken })
    ).json()) as { events: WireEventJson[] };
    const storedReply = customerView.events.filter((event) => event.kind === 'message').at(-1);
    expect(storedReply?.data.sources).toEqual(sources);
    expect(JSON.stringify(customerView.events)).not.toContain('"score"');

    const operatorView = (await (
      await kit.call('GET', `/v1/sessions/${sessionId}/events?workspaceId=${workspaceId}`, {
        token: await operatorToken({ workspaceId }),
      })
    ).json()) as { events: WireEventJson[] };
    const ready = operatorView.events.find(
      (event) => event.kind === 'status' && event.data.status === 'ready',
    );
    expect((ready?.data.explanation as { knowledge?: unknown } | undefined)?.knowledge).toEqual({
      passages: [
        {
          id: 'refunds-1',
          retrieverId: 'help-center',
          score: 0.9,
          source: { title: 'Refund policy', url: 'https://help.example.com/refunds' },
          cited: true,
        },
      ],
      retrievers: [{ retrieverId: 'help-center', status: 'found', passages: 1 }],
    });
  });
});
