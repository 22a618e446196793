import { and, eq } from 'drizzle-orm';
import {
  type Session,
  type SessionInput,
  type SessionListFilter,
  type SessionPatch,
  sessionInputSchema,
  sessionListFilterSchema,
  sessionPatchSchema,
  sessionTurnStateSchema,
} from '../../domain/session';
import type { SessionRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import {
  assertLive,
  createRecordRepository,
  liveInWorkspace,
  notFound,
} from '../record-repository';
import type { RepositoryContext } from '../repository-context';
import { isPlausibleId } from '../repository-context';

/** A session row as a record: the next-offset counter becomes the last event's offset. */
export function toSession(row: Record<string, unknown>): Session {
  const { nextEventOffset, ...rest } = row;
  return { ...(rest as Omit<Session, 'lastOffset'>), lastOffset: Number(nextEventOffset) - 1 };
}

/** Sessions between an agent and (optionally) a customer. */
export function createSessionRepository(context: RepositoryContext): SessionRepository {
  const { schema } = context;
  const table = schema.session;
  const records = createRecordRepository<Session, SessionInput, SessionPatch, SessionListFilter>(
    context,
    {
      entity: 'session',
      table,
      inputSchema: sessionInputSchema,
      patchSchema: sessionPatchSchema,
      parents: [
        { field: 'agentId', table: schema.agent, entity: 'agent' },
        { field: 'customerId', table: schema.customer, entity: 'customer' },
      ],
      toRecord: toSession,
      filterSchema: sessionListFilterSchema,
      filters: (filter) => [
        filter.agentId === undefined ? undefined : eq(table.agentId, filter.agentId),
        filter.customerId === undefined ? undefined : eq(table.customerId, filter.customerId),
        filter.status === undefined ? undefined : eq(table.status, filter.status),
      ],
    },
  );

  return {
    ...records,

    async setTurnState(id, state) {
      const turnState = parseInput(sessionTurnStateSchema, state, 'session turn state');
      if (!isPlausibleId(id)) throw notFound('session', id);
      const rows = await withDatabaseErrors({ entity: 'session', operation: 'write' }, () =>
        context.database
          .update(table)
          .set({ turnState, updatedAt: context.clock.now() })
          .where(and(liveInWorkspace(table, context.workspaceId), eq(table.id, id)))
          .returning(),
      );
      if (!rows[0]) throw notFound('session', id);
      return toSession(rows[0]);
    },

    async lockTurn(id) {
      await assertLive(context, table, 'session', id);
      // Keyed by workspace too, so equal ids in two workspaces never wait on each other.
      return context.turnLocks(`${context.workspaceId}:${id}`);
    },
  };
}
