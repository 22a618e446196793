import { z } from 'zod';
import { idSchema, recordShape } from './common';

/** What a caller supplies to add a glossary term to an agent. */
export const termInputSchema = z.object({
  agentId: idSchema,
  /** Unique (ignoring case) among the agent's live terms. */
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(4000),
  synonyms: z.array(z.string().trim().min(1).max(200)).max(50).optional(),
});
export type TermInput = z.input<typeof termInputSchema>;

/** Fields an update may change; the agent of a term never changes. */
export const termPatchSchema = termInputSchema.omit({ agentId: true }).partial();
export type TermPatch = z.input<typeof termPatchSchema>;

/** A glossary term: domain vocabulary the agent must understand and use correctly. */
export const termSchema = z.object({
  ...recordShape,
  agentId: z.string(),
  name: z.string(),
  description: z.string(),
  synonyms: z.array(z.string()),
});
export type Term = z.infer<typeof termSchema>;

/** Which terms a listing returns: one agent's. */
export const termListFilterSchema = z.object({ agentId: idSchema });
export type TermListFilter = z.input<typeof termListFilterSchema>;
