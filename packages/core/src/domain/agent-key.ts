import { z } from 'zod';
import { displayNameSchema, idSchema, recordShape } from './common';

/** An origin a browser may call from: scheme, host and optional port, or `*` for any. */
export const allowedOriginSchema = z.union([
  z.literal('*'),
  z
    .string()
    .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'must be an origin like https://example.com'),
]);

/** What a caller supplies to issue a publishable key for an agent. */
export const agentKeyInputSchema = z.object({
  agentId: idSchema,
  name: displayNameSchema,
  /** Origins whose pages may use the key; empty means no browser origin is allowed. */
  allowedOrigins: z.array(allowedOriginSchema).max(50).optional(),
});
export type AgentKeyInput = z.input<typeof agentKeyInputSchema>;

/** Fields an update may change: the name and the allowed origins. */
export const agentKeyPatchSchema = agentKeyInputSchema.omit({ agentId: true }).partial();
export type AgentKeyPatch = z.input<typeof agentKeyPatchSchema>;

/**
 * A stored publishable key (`pk_…`). Only a hash of the key is kept; `keyPrefix` is its
 * first characters, enough to recognise it in a list.
 */
export const agentKeySchema = z.object({
  ...recordShape,
  agentId: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  allowedOrigins: z.array(z.string()),
  revokedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
});
export type AgentKey = z.infer<typeof agentKeySchema>;

/** A key just issued: the only moment the full `secret` is known. Show it once. */
export interface IssuedAgentKey {
  agentKey: AgentKey;
  secret: string;
}

/** Which keys a listing returns: one agent's. */
export const agentKeyListFilterSchema = z.object({ agentId: idSchema });
export type AgentKeyListFilter = z.input<typeof agentKeyListFilterSchema>;
