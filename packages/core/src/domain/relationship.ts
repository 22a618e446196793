import { z } from 'zod';
import { idSchema, recordShape } from './common';

/**
 * How two guidelines relate, resolved in code without a model call:
 * - `entailment`: when the source applies, the target applies too;
 * - `priority`: when both apply, the source overrides the target;
 * - `dependency`: the source applies only if the target applies;
 * - `disambiguation`: the source (an ambiguous observation) may mean the target; with
 *   several targets matching, the agent asks which was meant.
 */
export const relationshipKindSchema = z.enum([
  'entailment',
  'priority',
  'dependency',
  'disambiguation',
]);
export type RelationshipKind = z.infer<typeof relationshipKindSchema>;

/** What a caller supplies to relate two guidelines of one agent. */
export const relationshipInputSchema = z
  .object({
    agentId: idSchema,
    kind: relationshipKindSchema,
    sourceGuidelineId: idSchema,
    targetGuidelineId: idSchema,
  })
  .refine((input) => input.sourceGuidelineId !== input.targetGuidelineId, {
    message: 'a guideline cannot relate to itself',
    path: ['targetGuidelineId'],
  });
export type RelationshipInput = z.input<typeof relationshipInputSchema>;

/** A stored relationship; unique per (source, target, kind) among live rows. */
export const relationshipSchema = z.object({
  ...recordShape,
  agentId: z.string(),
  kind: relationshipKindSchema,
  sourceGuidelineId: z.string(),
  targetGuidelineId: z.string(),
});
export type Relationship = z.infer<typeof relationshipSchema>;

/** Which relationships a listing returns: one agent's, optionally by kind or guideline. */
export const relationshipListFilterSchema = z.object({
  agentId: idSchema,
  kind: relationshipKindSchema.optional(),
  /** Relationships where this guideline is the source or the target. */
  guidelineId: idSchema.optional(),
});
export type RelationshipListFilter = z.input<typeof relationshipListFilterSchema>;
