import { z } from 'zod';
import { idSchema } from './common';

/** What an event records. */
export const eventKindSchema = z.enum(['message', 'status', 'tool', 'custom']);
export type EventKind = z.infer<typeof eventKindSchema>;

/** Who produced an event. */
export const eventSourceSchema = z.enum(['customer', 'ai_agent', 'human_agent', 'system']);
export type EventSource = z.infer<typeof eventSourceSchema>;

/** The stages of a turn as the client sees them. */
export const turnStatusSchema = z.enum([
  'acknowledged',
  'processing',
  'typing',
  'ready',
  'error',
  'cancelled',
]);
export type TurnStatus = z.infer<typeof turnStatusSchema>;

/** The longest message text accepted, in characters. */
export const maximumMessageLength = 10_000;

/** A source an agent's reply cites: a retrieved passage's document. */
export const messageSourceSchema = z.object({
  title: z.string().min(1).max(500),
  /** Only http and https addresses: clients render it as a link. */
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  /** The cited passage's id within its retriever. */
  passageId: z.string().min(1).max(200).optional(),
  /** The retriever that found it. */
  retrieverId: z.string().min(1).max(100).optional(),
});
export type MessageSource = z.infer<typeof messageSourceSchema>;

/** A message written by a customer, the agent or a human operator. */
export const messageEventDataSchema = z.object({
  text: z.string().min(1).max(maximumMessageLength),
  /** The client's id for the message: a repeated id is the same message, never a second one. */
  clientMessageId: z.string().min(1).max(128).optional(),
  /** Display name of the author, for human operators. */
  participantName: z.string().max(200).optional(),
  /**
   * The user id of the author, for human operators: the host's user who sent it (set from the
   * authenticated principal, never from a request body). Operators see it; customers do not.
   */
  participantId: z.string().min(1).max(128).optional(),
  /**
   * True for an agent's preamble: a holding line ("Let me look that up") sent while a slow
   * turn works, before its reply. Clients show it as interim; it is not the reply.
   */
  preamble: z.boolean().optional(),
  /**
   * What an agent's reply drew on: the sources of the retrieved passages it used, in citation
   * order (a fluid reply's `[1]` is the first). Clients show them as links under the reply.
   */
  sources: z.array(messageSourceSchema).max(20).optional(),
});
export type MessageEventData = z.infer<typeof messageEventDataSchema>;

/** A turn's progress; `error` carries what failed and whether a retry can help. */
export const statusEventDataSchema = z.object({
  status: turnStatusSchema,
  /** For `processing`: the stage, e.g. `guideline_matching`. */
  stage: z.string().max(100).optional(),
  error: z
    .object({
      code: z.string().max(100),
      /** A finer reason within the code, e.g. `timeout` for `model_failed`. */
      reason: z.string().max(100).optional(),
      message: z.string().max(2000),
      retryable: z.boolean(),
    })
    .optional(),
  /** For `ready` (and a turn's `error`): why the agent said what it said. */
  explanation: z.record(z.string(), z.unknown()).optional(),
});
export type StatusEventData = z.infer<typeof statusEventDataSchema>;

/** One tool call of a turn and its outcome. */
export const toolCallSchema = z.object({
  toolName: z.string().min(1).max(64),
  arguments: z.record(z.string(), z.json()),
  result: z.json().optional(),
  error: z.object({ code: z.string().max(100), message: z.string().max(2000) }).optional(),
});
export type ToolCall = z.infer<typeof toolCallSchema>;

/** The tool calls made in one step of a turn. */
export const toolEventDataSchema = z.object({ calls: z.array(toolCallSchema).min(1).max(50) });
export type ToolEventData = z.infer<typeof toolEventDataSchema>;

/** An application-defined event; Parley stores and streams it untouched. */
export const customEventDataSchema = z.object({
  type: z.string().min(1).max(100),
  payload: z.json(),
});
export type CustomEventData = z.infer<typeof customEventDataSchema>;

const eventEnvelopeShape = {
  /**
   * The event's id, when the caller needs it before the event is stored: a reply's id is
   * sent with its streamed deltas first. Generated when absent.
   */
  id: idSchema.optional(),
  source: eventSourceSchema,
  /** Groups the events of one turn; generated when absent. */
  traceId: z.string().min(1).max(128).optional(),
};

/**
 * The union of the four event kinds over a common envelope: each kind with its own `data`.
 * Stored events, appended events and wire events differ only in their envelope.
 */
export function eventUnionOver<TShape extends z.ZodRawShape>(envelope: TShape) {
  return z.discriminatedUnion('kind', [
    z.object({ ...envelope, kind: z.literal('message'), data: messageEventDataSchema }),
    z.object({ ...envelope, kind: z.literal('status'), data: statusEventDataSchema }),
    z.object({ ...envelope, kind: z.literal('tool'), data: toolEventDataSchema }),
    z.object({ ...envelope, kind: z.literal('custom'), data: customEventDataSchema }),
  ]);
}

/** What a caller supplies to append an event; `data` is checked against `kind`. */
export const eventInputSchema = eventUnionOver(eventEnvelopeShape);
export type EventInput = z.input<typeof eventInputSchema>;

const storedShape = {
  id: z.string(),
  workspaceId: z.string(),
  sessionId: z.string(),
  /** Position in the session's log: gapless from 0, unique per session. */
  offset: z.number().int().min(0),
  source: eventSourceSchema,
  traceId: z.string(),
  createdAt: z.date(),
};

/** A stored event of a session's append-only log. */
export const eventSchema = eventUnionOver(storedShape);
export type ParleyEvent = z.infer<typeof eventSchema>;

/** Options of listing a session's events. */
export const eventListOptionsSchema = z.object({
  /** Only events with an offset greater than this (resume point); default −1 (from the start). */
  after: z.number().int().min(-1).optional(),
  kinds: z.array(eventKindSchema).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});
export type EventListOptions = z.input<typeof eventListOptionsSchema>;

/** Options of a full-text search over message events. */
export const eventSearchOptionsSchema = z.object({
  query: z.string().trim().min(1).max(500),
  agentId: idSchema.optional(),
  sessionId: idSchema.optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export type EventSearchOptions = z.input<typeof eventSearchOptionsSchema>;
