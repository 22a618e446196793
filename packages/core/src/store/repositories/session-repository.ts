import { and, eq, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  maximumSessionLabels,
  type Session,
  type SessionInput,
  type SessionListFilter,
  type SessionPatch,
  sessionInputSchema,
  sessionListFilterSchema,
  sessionPatchSchema,
  sessionTurnStateSchema,
} from '../../domain/session';
import { ParleyError } from '../../errors/parley-error';
import type { SessionRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import { readCatalogRevision, revisionOf } from '../read-catalog-revision';
import {
  createRecordRepository,
  liveInWorkspace,
  notFound,
  type RecordTable,
} from '../record-repository';
import type { RepositoryContext } from '../repository-context';
import { isPlausibleId } from '../repository-context';
import { eventFromRow } from './event-repository';

const snapshotOptionsSchema = z.object({ historyLimit: z.number().int().min(1).max(1000) });

/** A session row as a record: the next-offset counter becomes the last event's offset. */
export function toSession(row: Record<string, unknown>): Session {
  const { nextEventOffset, ...rest } = row;
  return { ...(rest as Omit<Session, 'lastOffset'>), lastOffset: Number(nextEventOffset) - 1 };
}

/** `labels` as a SQL `text[]` value, one parameter per label. */
function textArray(labels: readonly string[]): SQL {
  if (labels.length === 0) return sql`'{}'::text[]`;
  return sql`array[${sql.join(
    labels.map((label) => sql`${label}`),
    sql`, `,
  )}]::text[]`;
}

/**
 * The session's labels edited in place: `added` after those it has, `removed` taken off,
 * each label once, in the order it first appeared. Computed by the database from the row as
 * it is, so a turn adding labels at the same moment loses none.
 */
function editedLabels(table: RecordTable, added: readonly string[], removed: readonly string[]) {
  return sql`array(
    select edited.label
    from unnest(${table.labels} || ${textArray(added)}) with ordinality as edited(label, position)
    where edited.label <> all(${textArray(removed)})
    group by edited.label
    order by min(edited.position))`;
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
        // `@>` on the array: the GIN index on labels serves it.
        filter.labels === undefined || filter.labels.length === 0
          ? undefined
          : sql`${table.labels} @> ${textArray(filter.labels)}`,
      ],
    },
  );

  return {
    ...records,

    async update(id, patch) {
      const { addLabels, removeLabels, ...rest } = parseInput(
        sessionPatchSchema,
        patch,
        'session update',
      );
      if (addLabels === undefined && removeLabels === undefined) return records.update(id, rest);
      if (!isPlausibleId(id)) throw notFound('session', id);
      const labels = editedLabels(table, addLabels ?? [], removeLabels ?? []);
      const rows = await withDatabaseErrors({ entity: 'session', operation: 'write' }, () =>
        context.database
          .update(table)
          .set({ ...rest, labels, updatedAt: context.clock.now() })
          .where(
            and(
              liveInWorkspace(table, context.workspaceId),
              eq(table.id, id),
              sql`cardinality(${labels}) <= ${maximumSessionLabels}`,
            ),
          )
          .returning(),
      );
      if (rows[0]) return toSession(rows[0]);
      // Nothing written: the session is not there, or the edit would overfill it.
      const current = await records.get(id);
      const adding = (addLabels ?? []).filter((label) => !current.labels.includes(label));
      const message = `a session carries at most ${maximumSessionLabels} labels (it has ${current.labels.length}, and ${adding.length} more were given)`;
      throw new ParleyError('validation_failed', `Invalid session update: addLabels: ${message}`, {
        details: { issues: [{ path: 'addLabels', message }] },
      });
    },

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

    async readTurnSnapshot(id, options) {
      const { historyLimit } = parseInput(snapshotOptionsSchema, options, 'turn snapshot options');
      if (!isPlausibleId(id)) throw notFound('session', id);
      const { agent, event } = schema;
      // The newest message and tool events, as one JSON array computed beside the session row.
      const history = sql<unknown>`coalesce((
        select json_agg(latest order by latest.${sql.identifier(event.offset.name)})
        from (
          select * from ${event}
          where ${event.workspaceId} = ${table.workspaceId}
            and ${event.sessionId} = ${table.id}
            and ${event.kind} in ('message', 'tool')
          order by ${event.offset} desc
          limit ${historyLimit}
        ) as latest
      ), '[]'::json)`;
      const [row] = await withDatabaseErrors({ entity: 'session', operation: 'read' }, () =>
        context.database
          .select({
            session: table,
            revision: agent.catalogRevision,
            agentUpdatedAt: agent.updatedAt,
            history,
          })
          .from(table)
          .innerJoin(
            agent,
            and(eq(agent.workspaceId, table.workspaceId), eq(agent.id, table.agentId)),
          )
          .where(and(liveInWorkspace(table, context.workspaceId), eq(table.id, id)))
          .limit(1),
      );
      if (!row) throw notFound('session', id);
      const rawHistory = typeof row.history === 'string' ? JSON.parse(row.history) : row.history;
      return {
        session: toSession(row.session),
        catalogRevision:
          context.routines === 'shipped'
            ? revisionOf(row.revision, row.agentUpdatedAt)
            : await readCatalogRevision(context, row.session.agentId),
        history: (rawHistory as Array<Record<string, unknown>>).map(eventFromRow),
      };
    },

    async lockTurn(id) {
      // No read here: the caller's next read under the lock (a turn snapshot) finds out
      // whether the session exists, and a lock on an unknown id protects nothing anyway.
      if (!isPlausibleId(id)) throw notFound('session', id);
      // Keyed by workspace too, so equal ids in two workspaces never wait on each other.
      return (await context.turnLocks(`${context.workspaceId}:${id}`)) as () => Promise<void>;
    },

    async tryLockTurn(id) {
      if (!isPlausibleId(id)) throw notFound('session', id);
      return context.turnLocks(`${context.workspaceId}:${id}`, { wait: false });
    },
  };
}
