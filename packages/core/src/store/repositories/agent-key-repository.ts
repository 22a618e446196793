import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import {
  type AgentKey,
  type AgentKeyInput,
  type AgentKeyListFilter,
  type AgentKeyPatch,
  agentKeyInputSchema,
  agentKeyListFilterSchema,
  agentKeyPatchSchema,
} from '../../domain/agent-key';
import { createAgentKeySecret } from '../../domain/agent-key-secret';
import type { AgentKeyRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { createRecordRepository, notFound } from '../record-repository';
import { isPlausibleId, type RepositoryContext } from '../repository-context';

/** An agent key row as a record: the hash never leaves the store. */
export function toAgentKey(row: Record<string, unknown>): AgentKey {
  const { keyHash: _keyHash, ...rest } = row;
  return rest as AgentKey;
}

/** Publishable keys of agents. The store generates each key and keeps only its hash. */
export function createAgentKeyRepository(context: RepositoryContext): AgentKeyRepository {
  const { schema, workspaceId } = context;
  const table = schema.agentKey;

  const { create, ...records } = createRecordRepository<
    AgentKey,
    AgentKeyInput & { keyHash: string; keyPrefix: string },
    AgentKeyPatch,
    AgentKeyListFilter
  >(context, {
    entity: 'agent key',
    table,
    inputSchema: agentKeyInputSchema.extend({
      keyHash: z.string().min(1),
      keyPrefix: z.string().min(1),
    }),
    patchSchema: agentKeyPatchSchema,
    parents: [{ field: 'agentId', table: schema.agent, entity: 'agent' }],
    toRecord: toAgentKey,
    filterSchema: agentKeyListFilterSchema,
    filters: (filter) => [eq(table.agentId, filter.agentId)],
  });

  const byLiveId = (id: string) =>
    and(eq(table.workspaceId, workspaceId), eq(table.id, id), isNull(table.archivedAt));

  return {
    ...records,

    async issue(input) {
      const { secret, keyHash, keyPrefix } = await createAgentKeySecret();
      const agentKey = await create({ ...input, keyHash, keyPrefix });
      return { agentKey, secret };
    },

    async revoke(id) {
      if (!isPlausibleId(id)) throw notFound('agent key', id);
      const now = context.clock.now();
      const rows = await withDatabaseErrors({ entity: 'agent key', operation: 'write' }, () =>
        context.database
          .update(table)
          .set({ revokedAt: now, updatedAt: now })
          .where(and(byLiveId(id), isNull(table.revokedAt)))
          .returning(),
      );
      return rows[0] ? toAgentKey(rows[0]) : records.get(id);
    },

    async touch(id) {
      if (!isPlausibleId(id)) throw notFound('agent key', id);
      await withDatabaseErrors({ entity: 'agent key', operation: 'write' }, () =>
        context.database.update(table).set({ lastUsedAt: context.clock.now() }).where(byLiveId(id)),
      );
    },
  };
}
