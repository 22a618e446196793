import { z } from 'zod';
import { displayNameSchema, idSchema, recordShape } from './common';

/**
 * What a secret key may do, server to server: open sessions for the host's customers
 * (`sessions:write`), post their messages (`messages:write`), read sessions, their events and
 * their stream (`events:read`).
 */
export const agentApiKeyPermissionSchema = z.enum([
  'sessions:write',
  'messages:write',
  'events:read',
]);
export type AgentApiKeyPermission = z.infer<typeof agentApiKeyPermissionSchema>;

/** Every permission: what a key gets when its issuer names none. */
export const allAgentApiKeyPermissions: readonly AgentApiKeyPermission[] =
  agentApiKeyPermissionSchema.options;

/** What a caller supplies to issue a secret key for an agent. */
export const agentApiKeyInputSchema = z.object({
  agentId: idSchema,
  name: displayNameSchema,
  /** What the key may do; default all of it. Each at most once. */
  permissions: z
    .array(agentApiKeyPermissionSchema)
    .min(1)
    .max(agentApiKeyPermissionSchema.options.length)
    .refine((permissions) => new Set(permissions).size === permissions.length, {
      error: 'must not repeat a permission',
    })
    .optional(),
  /** When the key stops working; never, without one. */
  expiresAt: z.coerce.date().nullable().optional(),
});
export type AgentApiKeyInput = z.input<typeof agentApiKeyInputSchema>;

/** Fields an update may change: the name only (a key's powers are fixed when it is issued). */
export const agentApiKeyPatchSchema = z.object({ name: displayNameSchema.optional() });
export type AgentApiKeyPatch = z.input<typeof agentApiKeyPatchSchema>;

/**
 * A stored secret key (`sk_…`) of one agent: what a host's backend authenticates with, server
 * to server. Only a hash of the key is kept; `keyPrefix` is its first characters, enough to
 * recognise it in a list.
 */
export const agentApiKeySchema = z.object({
  ...recordShape,
  agentId: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  permissions: z.array(agentApiKeyPermissionSchema),
  expiresAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
  lastUsedAt: z.date().nullable(),
  /** The operator who issued it, when known. */
  createdBy: z.string().nullable(),
});
export type AgentApiKey = z.infer<typeof agentApiKeySchema>;

/** A secret key just issued: the only moment the full `secret` is known. Show it once. */
export interface IssuedAgentApiKey {
  apiKey: AgentApiKey;
  secret: string;
}

/** Which keys a listing returns: one agent's. */
export const agentApiKeyListFilterSchema = z.object({ agentId: idSchema });
export type AgentApiKeyListFilter = z.input<typeof agentApiKeyListFilterSchema>;
