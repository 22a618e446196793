import { eq } from 'drizzle-orm';
import {
  type Session,
  type SessionInput,
  type SessionListFilter,
  type SessionPatch,
  sessionInputSchema,
  sessionListFilterSchema,
  sessionPatchSchema,
} from '../../domain/session';
import type { SessionRepository } from '../../ports/store';
import { createRecordRepository } from '../record-repository';
import type { RepositoryContext } from '../repository-context';

/** A session row as a record: the next-offset counter becomes the last event's offset. */
export function toSession(row: Record<string, unknown>): Session {
  const { nextEventOffset, ...rest } = row;
  return { ...(rest as Omit<Session, 'lastOffset'>), lastOffset: Number(nextEventOffset) - 1 };
}

/** Sessions between an agent and (optionally) a customer. */
export function createSessionRepository(context: RepositoryContext): SessionRepository {
  const { schema } = context;
  const table = schema.session;
  return createRecordRepository<Session, SessionInput, SessionPatch, SessionListFilter>(context, {
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
  });
}
