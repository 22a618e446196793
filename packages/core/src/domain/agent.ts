import { z } from 'zod';
import {
  compositionModeSchema,
  displayNameSchema,
  idSchema,
  metadataSchema,
  recordShape,
  retrieverIdListSchema,
} from './common';

/** What a caller supplies to create an agent. Omitted fields take the stored defaults. */
export const agentInputSchema = z.object({
  /** Unique among the workspace's live agents. */
  name: displayNameSchema,
  description: z.string().max(4000).optional(),
  /** The default composition mode; a guideline may require a stricter one. */
  compositionMode: compositionModeSchema.optional(),
  /** Retrievers searched in every turn of the agent; their passages reach every reply. */
  retrieverIds: retrieverIdListSchema.optional(),
  metadata: metadataSchema.optional(),
  /** The host user who created the agent; set to null when that user is deleted. */
  createdBy: idSchema.nullable().optional(),
});
export type AgentInput = z.input<typeof agentInputSchema>;

/** Fields an update may change. */
export const agentPatchSchema = agentInputSchema.omit({ createdBy: true }).partial();
export type AgentPatch = z.input<typeof agentPatchSchema>;

/** An AI agent: the unit that owns guidelines, journeys, glossary, canned responses and sessions. */
export const agentSchema = z.object({
  ...recordShape,
  name: z.string(),
  description: z.string(),
  compositionMode: compositionModeSchema,
  retrieverIds: z.array(z.string()),
  metadata: metadataSchema,
  createdBy: z.string().nullable(),
  /**
   * Moves whenever anything the agent's turns read changes (its guidelines, journeys,
   * tools, glossary, canned responses, variables): a cheap way to tell a cached copy is stale.
   */
  catalogRevision: z.number().int(),
});
export type Agent = z.infer<typeof agentSchema>;

/** A host's knowledge-base id as an agent links it (Sim's `knowledge_base.id`). */
export const knowledgeBaseIdSchema = idSchema;

/** One of the host's knowledge bases linked to an agent (`agent_knowledge_base`). */
export const agentKnowledgeBaseSchema = z.object({
  knowledgeBaseId: z.string(),
  /** When the link was made. */
  createdAt: z.date(),
});
export type AgentKnowledgeBase = z.infer<typeof agentKnowledgeBaseSchema>;
