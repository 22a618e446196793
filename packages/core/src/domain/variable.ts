import { z } from 'zod';
import { identifierSchema, idSchema, recordShape, tagSchema } from './common';

/**
 * When a tool-backed variable's value is stale and must be refreshed by its tool.
 * `max_age`: older than `seconds`. More rules (e.g. cron-like) can join this union.
 */
export const variableFreshnessSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('max_age'), seconds: z.number().int().min(1).max(31_536_000) }),
]);
export type VariableFreshness = z.infer<typeof variableFreshnessSchema>;

/** What a caller supplies to declare a context variable of an agent. */
export const variableInputSchema = z.object({
  agentId: idSchema,
  /** Unique among the agent's live variables; the name templates use (`{{plan}}`). */
  name: identifierSchema,
  description: z.string().max(2000).optional(),
  /** A tool whose result is the value, for variables computed on demand. */
  toolId: idSchema.nullable().optional(),
  freshness: variableFreshnessSchema.nullable().optional(),
  /** The value when no more specific value is set. */
  defaultValue: z.json().optional(),
});
export type VariableInput = z.input<typeof variableInputSchema>;

/** Fields an update may change; the agent of a variable never changes. */
export const variablePatchSchema = variableInputSchema.omit({ agentId: true }).partial();
export type VariablePatch = z.input<typeof variablePatchSchema>;

/** A stored variable declaration. */
export const variableSchema = z.object({
  ...recordShape,
  agentId: z.string(),
  name: z.string(),
  description: z.string(),
  toolId: z.string().nullable(),
  freshness: variableFreshnessSchema.nullable(),
  defaultValue: z.json().nullable(),
});
export type Variable = z.infer<typeof variableSchema>;

/**
 * Whom a value belongs to, from most to least specific: one session, one customer,
 * customers carrying a tag, the whole agent. The variable's default comes last.
 */
export const variableScopeSchema = z.enum(['session', 'customer', 'customer_tag', 'agent']);
export type VariableScope = z.infer<typeof variableScopeSchema>;

/** The holder of a value, as a discriminated union on `scope`. */
export const variableTargetSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('session'), sessionId: idSchema }),
  z.object({ scope: z.literal('customer'), customerId: idSchema }),
  z.object({ scope: z.literal('customer_tag'), tag: tagSchema }),
  z.object({ scope: z.literal('agent') }),
]);
export type VariableTarget = z.infer<typeof variableTargetSchema>;

/** A stored value of a variable for one target. `refreshedAt` drives freshness. */
export const variableValueSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  variableId: z.string(),
  scope: variableScopeSchema,
  /** The session id, customer id or tag; the agent id for the agent scope. */
  scopeKey: z.string(),
  value: z.json(),
  refreshedAt: z.date(),
  createdAt: z.date(),
  updatedAt: z.date(),
});
export type VariableValue = z.infer<typeof variableValueSchema>;

/** What the engine knows of a conversation when it resolves a variable. */
export interface VariableResolutionContext {
  sessionId?: string;
  customerId?: string;
  customerTags?: readonly string[];
}

/** Which variables a listing returns: one agent's. */
export const variableListFilterSchema = z.object({ agentId: idSchema });
export type VariableListFilter = z.input<typeof variableListFilterSchema>;
