import { z } from 'zod';
import {
  compositionModeSchema,
  customerTagListSchema,
  identifierSchema,
  idSchema,
  metadataSchema,
  recordShape,
  retrieverIdListSchema,
  sessionLabelListSchema,
  tagSchema,
} from './common';

/** How much a guideline matters when it competes for attention. */
export const criticalitySchema = z.enum(['low', 'medium', 'high']);
export type Criticality = z.infer<typeof criticalitySchema>;

/** What a caller supplies to create a guideline ("when <condition>, do <action>"). */
export const guidelineInputSchema = z.object({
  agentId: idSchema,
  /** A stable name for code-first definitions; unique among the agent's live guidelines. */
  key: identifierSchema.nullable().optional(),
  /** When the guideline applies, in plain language. */
  condition: z.string().trim().min(1).max(2000),
  /** What the agent does then; absent for an observation (a condition other rules refer to). */
  action: z.string().trim().min(1).max(4000).nullable().optional(),
  criticality: criticalitySchema.optional(),
  tags: z.array(tagSchema).max(50).optional(),
  enabled: z.boolean().optional(),
  /** Always considered by matching, whatever retrieval scores it. */
  pinned: z.boolean().optional(),
  /** Higher wins when two guidelines conflict and no relationship decides. */
  priority: z.number().int().min(-1000).max(1000).optional(),
  /** Customer messages that should trigger the guideline; they sharpen retrieval. */
  examples: z.array(z.string().trim().min(1).max(1000)).max(50).optional(),
  /** Requires this composition mode (or stricter) when the guideline matches. */
  compositionMode: compositionModeSchema.nullable().optional(),
  /** Labels the session gains when the guideline applies (operators filter sessions by them). */
  labels: sessionLabelListSchema.optional(),
  /**
   * Only for customers carrying at least one of these tags (empty or absent: everyone). Out
   * of every turn of another customer's session, and of sessions with no customer.
   */
  customerTags: customerTagListSchema.optional(),
  /**
   * Retrievers searched when the guideline applies: started with every turn, their passages
   * kept only in turns where it applies.
   */
  retrieverIds: retrieverIdListSchema.optional(),
  metadata: metadataSchema.optional(),
});
export type GuidelineInput = z.input<typeof guidelineInputSchema>;

/** Fields an update may change; the agent of a guideline never changes. */
export const guidelinePatchSchema = guidelineInputSchema.omit({ agentId: true }).partial();
export type GuidelinePatch = z.input<typeof guidelinePatchSchema>;

/** A stored guideline. `version` grows on every update, so derived data (vectors) can be cached per version. */
export const guidelineSchema = z.object({
  ...recordShape,
  agentId: z.string(),
  key: z.string().nullable(),
  condition: z.string(),
  action: z.string().nullable(),
  criticality: criticalitySchema,
  tags: z.array(z.string()),
  enabled: z.boolean(),
  pinned: z.boolean(),
  priority: z.number().int(),
  examples: z.array(z.string()),
  compositionMode: compositionModeSchema.nullable(),
  labels: z.array(z.string()),
  customerTags: z.array(z.string()),
  retrieverIds: z.array(z.string()),
  metadata: metadataSchema,
  version: z.number().int(),
});
export type Guideline = z.infer<typeof guidelineSchema>;

/** Which guidelines a listing returns: one agent's, optionally by tag and enabled state. */
export const guidelineListFilterSchema = z.object({
  agentId: idSchema,
  tag: tagSchema.optional(),
  enabled: z.boolean().optional(),
});
export type GuidelineListFilter = z.input<typeof guidelineListFilterSchema>;
