import { describe, expect, it } from 'vitest';
import type { ChatMessage } from './chat-state';
import { addStoredEvent, itemsFromEvents, messageFromEvent } from './chat-timeline';
import type { MessageEventData, WireEvent, WireMessageEvent } from './wire-event';

/** Stored message events and their items: here, the sources an agent's reply cites. */

let offset = 0;

function messageEvent(
  source: WireMessageEvent['source'],
  data: MessageEventData,
  id = `event-${offset}`,
): WireMessageEvent {
  const event: WireMessageEvent = {
    id,
    sessionId: 'session-1',
    offset,
    source,
    traceId: `trace-${offset}`,
    createdAt: '2025-01-01T00:00:00.000Z',
    kind: 'message',
    data,
  };
  offset += 1;
  return event;
}

const cited: MessageEventData['sources'] = [
  { title: 'Returns policy', url: 'https://shop.example/returns', passageId: 'p-1' },
  { title: 'Warehouse handbook' },
];

describe("the timeline's sources", () => {
  it("carries an agent reply's sources into its item, in citation order", () => {
    const message = messageFromEvent(
      messageEvent('ai_agent', { text: 'Returns take 30 days [1].', sources: cited }),
    );
    expect(message?.sources).toEqual([
      { number: 1, title: 'Returns policy', url: 'https://shop.example/returns' },
      { number: 2, title: 'Warehouse handbook', url: null },
    ]);
  });

  it('gives a reply without sources, and any other message, an empty list', () => {
    const items = itemsFromEvents([
      messageEvent('customer', { text: 'Hi', clientMessageId: 'c-1', sources: cited }),
      messageEvent('ai_agent', { text: 'Hello!' }),
      messageEvent('ai_agent', { text: 'Let me look.', preamble: true, sources: cited }),
      messageEvent('human_agent', { text: 'Sam here.', participantName: 'Sam', sources: cited }),
    ]) as ChatMessage[];
    expect(items.map((item) => [item.role, item.sources])).toEqual([
      ['customer', []],
      ['agent', []],
      ['agent', []],
      ['human_agent', []],
    ]);
  });

  it('drops a hostile javascript: source and a title-less one, even though the server sent them', () => {
    const event = messageEvent('ai_agent', {
      text: 'See [1], [2] and [3].',
      sources: [
        { title: 'Click me', url: 'javascript:alert(document.cookie)' },
        { url: 'https://docs.example/untitled' } as { title: string; url: string },
        { title: 'Size guide', url: 'https://docs.example/sizes' },
      ],
    });
    const [item] = itemsFromEvents([event]) as ChatMessage[];
    expect(item?.sources).toEqual([
      { number: 3, title: 'Size guide', url: 'https://docs.example/sizes' },
    ]);
    expect(JSON.stringify(item)).not.toContain('javascript:');
  });

  it('replaces a streamed draft with the stored reply, sources and all', () => {
    const draft: ChatMessage = {
      type: 'message',
      id: 'reply-1',
      role: 'agent',
      text: 'Returns take',
      delivery: 'streaming',
      eventId: null,
      offset: null,
      clientMessageId: null,
      participantName: null,
      createdAt: '2025-01-01T00:00:00.000Z',
      traceId: 'trace-x',
      error: null,
      feedback: null,
      preamble: false,
      sources: [],
    };
    const stored = messageEvent(
      'ai_agent',
      { text: 'Returns take 30 days [1].', sources: cited },
      'reply-1',
    );
    const items = addStoredEvent([draft], stored as WireEvent);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      id: 'reply-1',
      delivery: 'sent',
      sources: [
        { number: 1, title: 'Returns policy', url: 'https://shop.example/returns' },
        { number: 2, title: 'Warehouse handbook', url: null },
      ],
    });
  });
});
