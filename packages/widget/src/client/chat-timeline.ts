import type { ChatItem, ChatMessage, ChatRole, ChatToolCall, ChatTurn } from './chat-state';
import { readMessageSources } from './read-message-sources';
import type { WireEvent } from './wire-event';

/**
 * The timeline's arithmetic, shared by the live window and history pages: how stored events
 * become items, and where an item goes. Pure functions over immutable arrays.
 */

type MessageEvent = Extract<WireEvent, { kind: 'message' }>;
type StatusEvent = Extract<WireEvent, { kind: 'status' }>;

/** The turn before any status arrived. */
export const idleTurn: ChatTurn = { status: 'idle', stage: null, traceId: null, error: null };

/** Statuses after which a turn writes nothing more. */
export const finalTurnStatuses: ReadonlySet<ChatTurn['status']> = new Set([
  'ready',
  'error',
  'cancelled',
]);

/** Who wrote a message, as the chat shows it; `null` for sources the chat does not show. */
export function roleOf(source: WireEvent['source']): ChatRole | null {
  if (source === 'customer') return 'customer';
  if (source === 'ai_agent') return 'agent';
  if (source === 'human_agent') return 'human_agent';
  return null;
}

/**
 * The item id of a stored message: the customer's own `clientMessageId` (so the optimistic
 * item and the stored one are the same item), else the event id.
 */
export function messageItemId(event: MessageEvent): string {
  return event.source === 'customer' ? (event.data.clientMessageId ?? event.id) : event.id;
}

/**
 * A stored message event as a timeline item. Only an agent's reply keeps its sources (checked
 * by {@link readMessageSources}): the protocol defines them as what a reply drew on, so those a
 * customer's, an operator's or a preamble's event might carry are not shown.
 */
export function messageFromEvent(
  event: MessageEvent,
  feedback: ChatMessage['feedback'] = null,
): ChatMessage | null {
  const role = roleOf(event.source);
  if (role === null) return null;
  const preamble = event.data.preamble === true;
  return {
    type: 'message',
    id: messageItemId(event),
    role,
    text: event.data.text,
    delivery: 'sent',
    eventId: event.id,
    offset: event.offset,
    clientMessageId: event.data.clientMessageId ?? null,
    participantName: event.data.participantName ?? null,
    createdAt: event.createdAt,
    traceId: role === 'customer' ? null : event.traceId,
    error: null,
    feedback,
    preamble,
    sources: role === 'agent' && !preamble ? readMessageSources(event.data.sources) : [],
  };
}

/** A tool event's calls as cards: the first keeps the event's id, the others add their index. */
export function toolCallsFromEvent(event: Extract<WireEvent, { kind: 'tool' }>): ChatToolCall[] {
  return event.data.calls.map((call, index) => ({
    type: 'tool_call',
    id: index === 0 ? event.id : `${event.id}:${index}`,
    toolName: call.toolName,
    traceId: event.traceId,
    offset: event.offset,
    createdAt: event.createdAt,
  }));
}

/** The turn a status event describes. */
export function turnFromEvent(event: StatusEvent): ChatTurn {
  const error = event.data.error;
  return {
    status: event.data.status,
    stage: event.data.stage ?? null,
    traceId: event.traceId,
    error: error ? { code: error.code, message: error.message, retryable: error.retryable } : null,
  };
}

/** The rating a feedback event gives, and the event it rates; `null` for other events. */
export function feedbackOf(event: WireEvent): { eventId: string; rating: 'up' | 'down' } | null {
  if (event.kind !== 'custom' || event.data.type !== 'feedback') return null;
  const payload = event.data.payload as { eventId?: unknown; rating?: unknown } | null;
  if (typeof payload !== 'object' || payload === null) return null;
  if (typeof payload.eventId !== 'string') return null;
  if (payload.rating !== 'up' && payload.rating !== 'down') return null;
  return { eventId: payload.eventId, rating: payload.rating };
}

/**
 * Puts `item` where it belongs, replacing the item with its id: stored items in offset order,
 * items not stored yet (sending, failed, streaming) after them in the order they came.
 */
export function placeItem(items: readonly ChatItem[], item: ChatItem): ChatItem[] {
  const existing = items.findIndex((candidate) => candidate.id === item.id);
  const offset = item.offset;
  if (offset === null) {
    if (existing === -1) return [...items, item];
    const next = items.slice();
    next[existing] = item;
    return next;
  }
  const rest = existing === -1 ? items.slice() : items.filter((_, index) => index !== existing);
  const at = rest.findIndex((candidate) => candidate.offset === null || candidate.offset > offset);
  rest.splice(at === -1 ? rest.length : at, 0, item);
  return rest;
}

/** Replaces the message `id` with what `change` makes of it; the same array when absent. */
export function updateMessage(
  items: readonly ChatItem[],
  id: string,
  change: (message: ChatMessage) => ChatMessage,
): readonly ChatItem[] {
  const index = items.findIndex((item) => item.id === id && item.type === 'message');
  if (index === -1) return items;
  const next = items.slice();
  next[index] = change(items[index] as ChatMessage);
  return next;
}

/** The message item `id`, if the timeline has it. */
export function findMessage(items: readonly ChatItem[], id: string): ChatMessage | undefined {
  const item = items.find((candidate) => candidate.id === id);
  return item?.type === 'message' ? item : undefined;
}

/**
 * Adds one stored event to `items`: a message replaces its optimistic or streaming form, a
 * tool event adds its cards, a feedback event marks the message it rates. Status and other
 * custom events leave the items alone.
 */
export function addStoredEvent(items: readonly ChatItem[], event: WireEvent): readonly ChatItem[] {
  if (event.kind === 'message') {
    const previous = findMessage(items, messageItemId(event));
    const message = messageFromEvent(event, previous?.feedback ?? null);
    return message ? placeItem(items, message) : items;
  }
  if (event.kind === 'tool') {
    return toolCallsFromEvent(event).reduce<readonly ChatItem[]>(placeItem, items);
  }
  const feedback = feedbackOf(event);
  if (feedback) {
    const rated = items.find(
      (item) => item.type === 'message' && item.eventId === feedback.eventId,
    );
    if (rated)
      return updateMessage(items, rated.id, (message) => ({
        ...message,
        feedback: feedback.rating,
      }));
  }
  return items;
}

/** The items of a run of stored events (a history page), oldest first. */
export function itemsFromEvents(events: readonly WireEvent[]): ChatItem[] {
  return [...events.reduce(addStoredEvent, [] as readonly ChatItem[])];
}
