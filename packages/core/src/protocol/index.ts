/**
 * @module @parley/core/protocol — what travels on the wire between the HTTP layer and its
 * clients (the widget): event kinds, sources, statuses and the JSON shape of events. Only
 * zod and types: safe to bundle into a browser.
 */
import { z } from 'zod';
import { eventSourceSchema, eventUnionOver, type ParleyEvent } from '../domain/event';

export {
  type CustomEventData,
  customEventDataSchema,
  type EventKind,
  type EventSource,
  eventKindSchema,
  eventSourceSchema,
  type MessageEventData,
  type MessageSource,
  maximumMessageLength,
  messageEventDataSchema,
  messageSourceSchema,
  type StatusEventData,
  statusEventDataSchema,
  type ToolCall,
  type ToolEventData,
  type TurnStatus,
  toolCallSchema,
  toolEventDataSchema,
  turnStatusSchema,
} from '../domain/event';

const wireShape = {
  id: z.string(),
  sessionId: z.string(),
  offset: z.number().int().min(0),
  source: eventSourceSchema,
  traceId: z.string(),
  /** ISO 8601. */
  createdAt: z.string(),
};

/** An event as JSON on the wire: the stored event without its workspace, dates as ISO strings. */
export const wireEventSchema = eventUnionOver(wireShape);
export type WireEvent = z.infer<typeof wireEventSchema>;

/** The wire form of a stored event. */
export function toWireEvent(event: ParleyEvent): WireEvent {
  const { workspaceId: _workspaceId, createdAt, ...rest } = event;
  return { ...rest, createdAt: createdAt.toISOString() } as WireEvent;
}
