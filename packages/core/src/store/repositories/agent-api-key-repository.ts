import { and, eq, isNull, lt, or } from 'drizzle-orm';
import { z } from 'zod';
import {
  type AgentApiKey,
  type AgentApiKeyInput,
  type AgentApiKeyListFilter,
  type AgentApiKeyPatch,
  agentApiKeyInputSchema,
  agentApiKeyListFilterSchema,
  agentApiKeyPatchSchema,
  allAgentApiKeyPermissions,
} from '../../domain/agent-api-key';
import { createAgentKeySecret } from '../../domain/agent-key-secret';
import type { AgentApiKeyRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { createRecordRepository, notFound } from '../record-repository';
import { isPlausibleId, type RepositoryContext } from '../repository-context';

/** How often `lastUsedAt` is written for a key in steady use: once a minute at most. */
const touchIntervalMs = 60_000;

/** An API key row as a record: the hash never leaves the store. */
export function toAgentApiKey(row: Record<string, unknown>): AgentApiKey {
  const { keyHash: _keyHash, ...rest } = row;
  return rest as AgentApiKey;
}

/** Secret keys of agents. The store generates each key and keeps only its hash. */
export function createAgentApiKeyRepository(context: RepositoryContext): AgentApiKeyRepository {
  const { schema, workspaceId } = context;
  const table = schema.agentApiKey;

  const { create, ...records } = createRecordRepository<
    AgentApiKey,
    AgentApiKeyInput & { keyHash: string; keyPrefix: string; createdBy: string | null },
    AgentApiKeyPatch,
    AgentApiKeyListFilter
  >(context, {
    entity: 'API key',
    table,
    inputSchema: agentApiKeyInputSchema.extend({
      keyHash: z.string().min(1),
      keyPrefix: z.string().min(1),
      createdBy: z.string().max(128).nullable(),
    }),
    patchSchema: agentApiKeyPatchSchema,
    parents: [{ field: 'agentId', table: schema.agent, entity: 'agent' }],
    toValues: (input) => ({
      ...input,
      permissions: input.permissions ?? [...allAgentApiKeyPermissions],
      expiresAt: input.expiresAt ?? null,
    }),
    toRecord: toAgentApiKey,
    filterSchema: agentApiKeyListFilterSchema,
    filters: (filter) => [eq(table.agentId, filter.agentId)],
  });

  const byLiveId = (id: string) =>
    and(eq(table.workspaceId, workspaceId), eq(table.id, id), isNull(table.archivedAt));

  return {
    ...records,

    async issue(input, options) {
      const { secret, keyHash, keyPrefix } = await createAgentKeySecret('secret');
      const apiKey = await create({
        ...input,
        keyHash,
        keyPrefix,
        createdBy: options?.createdBy ?? null,
      });
      return { apiKey, secret };
    },

    async revoke(id) {
      if (!isPlausibleId(id)) throw notFound('API key', id);
      const now = context.clock.now();
      const rows = await withDatabaseErrors({ entity: 'API key', operation: 'write' }, () =>
        context.database
          .update(table)
          .set({ revokedAt: now, updatedAt: now })
          .where(and(byLiveId(id), isNull(table.revokedAt)))
          .returning(),
      );
      return rows[0] ? toAgentApiKey(rows[0]) : records.get(id);
    },

    async touch(id) {
      if (!isPlausibleId(id)) throw notFound('API key', id);
      const now = context.clock.now();
      // A backend may use its key on every request: one write a minute is enough to say
      // when it was last used, and spares the row a write per request.
      await withDatabaseErrors({ entity: 'API key', operation: 'write' }, () =>
        context.database
          .update(table)
          .set({ lastUsedAt: now })
          .where(
            and(
              byLiveId(id),
              or(
                isNull(table.lastUsedAt),
                lt(table.lastUsedAt, new Date(now.getTime() - touchIntervalMs)),
              ),
            ),
          ),
      );
    },
  };
}
