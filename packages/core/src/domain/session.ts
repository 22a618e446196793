import { z } from 'zod';
import { idSchema, type JsonValue, metadataSchema, recordShape, tagSchema } from './common';

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
  /**
   * Outside a journey, the guidelines whose tool ran in the last turn, or could not run for
   * want of a required argument the reply then asked for (`awaiting`). Without a model, a
   * next message giving such an argument applies them again: "M14 5RQ" after "which
   * postcode?", and "what about NG2 6AG then?" after a dock was looked up.
   */
  /**
   * Outside a journey, the guideline the last turn answered: the first that applied, else the
   * one its canned reply belongs to. Without a model, a follow-up whose own words decide
   * nothing ("and yoghurt pots?", "does it cost anything?") stays with it.
   */
  previousGuidelineId: idSchema.nullable().optional(),
  toolGuidelines: z
    .array(z.object({ guidelineId: idSchema, awaiting: z.boolean() }))
    .max(20)
    .optional(),
});
export type SessionTurnState = z.infer<typeof sessionTurnStateSchema>;

/** The most labels a session carries, whoever set them. */
export const maximumSessionLabels = 50;

/**
 * A session's labels as written: tags (see `tagSchema`), at most {@link maximumSessionLabels},
 * each kept once (the first time it is given).
 */
export const sessionLabelsSchema = z
  .array(tagSchema)
  .max(maximumSessionLabels)
  .transform((labels) => [...new Set(labels)]);

/**
 * Labels a turn adds to its session (those of the guidelines and journey that applied): tags,
 * each once. They may be more than a session holds; the session keeps its own first.
 */
export const sessionLabelsToAddSchema = z
  .array(tagSchema)
  .max(1000)
  .transform((labels) => [...new Set(labels)]);

/** What a caller supplies to open a session between an agent and (optionally) a customer. */
export const sessionInputSchema = z.object({
  agentId: idSchema,
  customerId: idSchema.nullable().optional(),
  mode: sessionModeSchema.optional(),
  title: z.string().trim().min(1).max(200).nullable().optional(),
  metadata: metadataSchema.optional(),
  /** Labels operators filter sessions by (`vip`, `refund`); turns add those of what applied. */
  labels: sessionLabelsSchema.optional(),
});
export type SessionInput = z.input<typeof sessionInputSchema>;

/**
 * Fields an update may change; agent and customer are fixed for a session's life. Labels are
 * either replaced whole (`labels`) or edited (`addLabels`, `removeLabels`: one statement, so
 * a turn adding labels meanwhile loses nothing), never both in one update.
 */
export const sessionPatchSchema = z
  .object({
    mode: sessionModeSchema,
    status: sessionStatusSchema,
    title: z.string().trim().min(1).max(200).nullable(),
    metadata: metadataSchema,
    /** The session's labels from now on, replacing all it had. */
    labels: sessionLabelsSchema,
    /** Labels to add to those the session has (each kept once, after them). */
    addLabels: sessionLabelsSchema,
    /** Labels to take off the session; one it does not have is ignored. */
    removeLabels: sessionLabelsSchema,
  })
  .partial()
  .superRefine((patch, context) => {
    if (patch.labels !== undefined && (patch.addLabels ?? patch.removeLabels) !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['labels'],
        message: 'give either labels (to replace them all) or addLabels/removeLabels, not both',
      });
    }
    const removed = new Set(patch.removeLabels ?? []);
    const both = (patch.addLabels ?? []).filter((label) => removed.has(label));
    if (both.length > 0) {
      context.addIssue({
        code: 'custom',
        path: ['addLabels'],
        message: `cannot add and remove the same label (${both.map((label) => `"${label}"`).join(', ')})`,
      });
    }
  });
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
  /** Set by operators, and by the turns whose guidelines or journey carry labels. */
  labels: z.array(z.string()),
  turnState: sessionTurnStateSchema,
  lastOffset: z.number().int(),
});
export type Session = z.infer<typeof sessionSchema>;

/** Which sessions a listing returns, by agent, customer, status and labels. */
export const sessionListFilterSchema = z.object({
  agentId: idSchema.optional(),
  customerId: idSchema.optional(),
  status: sessionStatusSchema.optional(),
  /** Only sessions carrying every one of these labels. */
  labels: z.array(tagSchema).max(20).optional(),
});
export type SessionListFilter = z.input<typeof sessionListFilterSchema>;
