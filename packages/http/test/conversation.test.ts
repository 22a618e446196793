import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, createShopAgent, type HandlerKit, readFrames } from './handler-kit';

const workspaceId = 'workspace-a';
let kit: HandlerKit;
let agentKey: string;

beforeAll(async () => {
  kit = await createHandlerKit({
    engine: { fallbackReply: 'Sorry, I can only help with orders.' },
  });
  ({ agentKey } = await createShopAgent(kit, { workspaceId }));
});
afterAll(async () => {
  await kit.close();
});

describe('a widget conversation over HTTP', () => {
  it('opens a session with the agent key and streams the reply to a message', async () => {
    const opened = await kit.call('POST', '/v1/sessions', {
      body: { agentKey },
      headers: { origin: 'https://shop.example' },
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    const { session, customerToken } = (await opened.json()) as {
      session: { id: string };
      customerToken: string;
    };

    const stream = await kit.call('GET', `/v1/sessions/${session.id}/stream`, {
      token: customerToken,
    });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    expect(stream.headers.get('x-parley-stream')).toBe('v1');
    const posted = await kit.call('POST', `/v1/sessions/${session.id}/events`, {
      token: customerToken,
      body: { text: 'when are you open?', clientMessageId: 'm-1' },
    });
    expect(posted.status).toBe(201);
    const frames = await readFrames(stream, (seen) =>
      seen.some(
        (frame) =>
          frame.event === 'event' &&
          (frame.data as { data: { status?: string } }).data.status === 'ready',
      ),
    );
    const events = frames
      .filter((frame) => frame.event === 'event')
      .map(
        (frame) => frame.data as { kind: string; offset: number; data: Record<string, unknown> },
      );
    expect(events.map((event) => event.offset)).toEqual(events.map((_, index) => index));
    const reply = events.find((event) => event.kind === 'message' && event.offset > 0);
    expect(reply?.data.text).toBe('We are open from 9 to 17.');
    const deltas = frames
      .filter((frame) => frame.event === 'delta')
      .map((frame) => (frame.data as { text: string }).text);
    expect(deltas.join('')).toBe('We are open from 9 to 17.');
    expect(
      frames
        .filter((frame) => frame.event === 'event')
        .every((frame) => frame.id === String((frame.data as { offset: number }).offset)),
    ).toBe(true);
  });
});
