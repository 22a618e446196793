import { z } from 'zod';
import { idSchema, type JsonValue, metadataSchema, recordShape } from './common';

/** `auto`: the agent replies. `manual`: a human operator has taken over; no turns run. */
export const sessionModeSchema = z.enum(['auto', 'manual']);
export type SessionMode = z.infer<typeof sessionModeSchema>;

/** `active` conversations accept messages; `closed` ones are kept for history. */
export const sessionStatusSchema = z.enum(['active', 'closed']);
export type SessionStatus = z.infer<typeof sessionStatusSchema>;

/**
 * What the engine carries from one turn to the next. Written by the engine after each turn;
 * read it to explain a conversation, never write it by hand.
 */
export const sessionTurnStateSchema = z.object({
  /** The journey in progress and the state it is in. */
  journey: z
    .object({
      journeyId: idSchema,
      stateKey: z.string().min(1).max(64),
      /** Tool results of the journey's earlier turns, by tool name: its later steps' fields. */
      // Typed with Parley's own JsonValue: zod's inferred JSON type would make the table's
      // declarations name zod's internals (TS2742 on zod 4.3).
      memory: z.record(z.string(), z.json() as z.ZodType<JsonValue>).optional(),
    })
    .nullable()
    .optional(),
  /** Guidelines whose action the agent already carried out here, so it does not repeat them. */
  appliedGuidelineIds: z.array(idSchema).max(1000).optional(),
});
export type SessionTurnState = z.infer<typeof sessionTurnStateSchema>;

/** What a caller supplies to open a session between an agent and (optionally) a customer. */
export const sessionInputSchema = z.object({
  agentId: idSchema,
  customerId: idSchema.nullable().optional(),
  mode: sessionModeSchema.optional(),
  title: z.string().trim().min(1).max(200).nullable().optional(),
  metadata: metadataSchema.optional(),
});
export type SessionInput = z.input<typeof sessionInputSchema>;

/** Fields an update may change; agent and customer are fixed for a session's life. */
export const sessionPatchSchema = z
  .object({
    mode: sessionModeSchema,
    status: sessionStatusSchema,
    title: z.string().trim().min(1).max(200).nullable(),
    metadata: metadataSchema,
  })
  .partial();
export type SessionPatch = z.input<typeof sessionPatchSchema>;

/** A stored session. `lastOffset` is the offset of its newest event, −1 when it has none. */
export const sessionSchema = z.object({
  ...recordShape,
  agentId: z.string(),
  customerId: z.string().nullable(),
  mode: sessionModeSchema,
  status: sessionStatusSchema,
  title: z.string().nullable(),
  metadata: metadataSchema,
  turnState: sessionTurnStateSchema,
  lastOffset: z.number().int(),
});
export type Session = z.infer<typeof sessionSchema>;

/** Which sessions a listing returns, by agent, customer and status. */
export const sessionListFilterSchema = z.object({
  agentId: idSchema.optional(),
  customerId: idSchema.optional(),
  status: sessionStatusSchema.optional(),
});
export type SessionListFilter = z.input<typeof sessionListFilterSchema>;
