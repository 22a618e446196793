import { defineAgent, tool } from '@parley/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createHandlerKit,
  type HandlerKit,
  openCustomerSession,
  operatorToken,
  readFrames,
} from './handler-kit';

const workspaceId = 'workspace-view';
const internalDetail = 'connection to 10.0.0.7 refused for user billing_admin';
let kit: HandlerKit;
let sessionId: string;
let customerToken: string;

type WireEventJson = { kind: string; offset: number; data: Record<string, unknown> };

const isReady = (frames: Array<{ event: string; data: unknown }>) =>
  frames.some(
    (frame) =>
      frame.event === 'event' &&
      ['ready', 'error'].includes(String((frame.data as WireEventJson).data.status)),
  );

beforeAll(async () => {
  kit = await createHandlerKit({ engine: { fallbackReply: 'Sorry, that did not work.' } });
  const checkRefund = tool({
    name: 'check_refund',
    description: 'Looks up the refund of the current customer',
    parameters: z.object({}),
    handler: async () => {
      throw new Error(internalDetail);
    },
  });
  const report = await kit.engine.sync(
    workspaceId,
    defineAgent({
      name: 'Refunds',
      compositionMode: 'canned_strict',
      tools: [checkRefund],
      guidelines: [
        {
          key: 'refund',
          condition: 'the customer asks about their refund',
          action: 'look the refund up and tell its state',
          tools: ['check_refund'],
          examples: ['where is my refund'],
        },
      ],
      cannedResponses: [{ template: 'Your refund is on its way.' }],
    }),
  );
  ({ sessionId, customerToken } = await openCustomerSession(kit, {
    workspaceId,
    agentId: report.agent.id,
  }));
});
afterAll(async () => {
  await kit.close();
});

describe('what a customer sees of a turn', () => {
  it('hides tool arguments, results and error text, and turn explanations, from customers only', async () => {
    const stream = await kit.call('GET', `/v1/sessions/${sessionId}/stream`, {
      token: customerToken,
    });
    await kit.call('POST', `/v1/sessions/${sessionId}/events`, {
      token: customerToken,
      body: { text: 'where is my refund?', clientMessageId: 'refund-1' },
    });
    const frames = await readFrames(stream, isReady);
    const streamed = JSON.stringify(frames);

    const operatorView = (await (
      await kit.call('GET', `/v1/sessions/${sessionId}/events?workspaceId=${workspaceId}`, {
        token: await operatorToken({ workspaceId }),
      })
    ).json()) as { events: WireEventJson[] };
    const customerView = (await (
      await kit.call('GET', `/v1/sessions/${sessionId}/events`, { token: customerToken })
    ).json()) as { events: WireEventJson[] };

    // The operator sees the whole story: the tool ran, failed with its internal error, and
    // the turn carries its explanation.
    const operatorText = JSON.stringify(operatorView.events);
    expect(operatorText).toContain(internalDetail);
    const toolEvent = operatorView.events.find((event) => event.kind === 'tool');
    expect(toolEvent?.data.calls).toEqual([
      expect.objectContaining({ toolName: 'check_refund', error: expect.any(Object) }),
    ]);
    expect(
      operatorView.events.some((event) => event.kind === 'status' && event.data.explanation),
    ).toBe(true);

    // The customer sees the same events, in the same places, without what is internal.
    for (const view of [JSON.stringify(customerView.events), streamed]) {
      expect(view).not.toContain(internalDetail);
      expect(view).not.toContain('explanation');
    }
    expect(customerView.events.map((event) => [event.offset, event.kind])).toEqual(
      operatorView.events.map((event) => [event.offset, event.kind]),
    );
    const customerTool = customerView.events.find((event) => event.kind === 'tool');
    expect(customerTool?.data).toEqual({ calls: [{ toolName: 'check_refund', arguments: {} }] });
    const failed = customerView.events.find(
      (event) => event.kind === 'status' && event.data.status === 'error',
    );
    const operatorFailed = operatorView.events.find(
      (event) => event.kind === 'status' && event.data.status === 'error',
    );
    const operatorError = operatorFailed?.data.error as
      | { code: string; message: string; retryable: boolean }
      | undefined;
    expect(operatorError?.code).toBe('tool_failed');
    expect(failed?.data.error).toEqual({
      code: operatorError?.code,
      message: 'The assistant could not reply. Please try again.',
      retryable: operatorError?.retryable,
    });
    const streamedEvents = frames
      .filter((frame) => frame.event === 'event')
      .map((frame) => frame.data as WireEventJson);
    expect(streamedEvents).toEqual(customerView.events.slice(0, streamedEvents.length));
  });
});
