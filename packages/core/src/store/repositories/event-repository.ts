import { and, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  type EventKind,
  eventInputSchema,
  eventListOptionsSchema,
  eventSearchOptionsSchema,
  type ParleyEvent,
} from '../../domain/event';
import { sessionLabelsToAddSchema, sessionTurnStateSchema } from '../../domain/session';
import type { EventRepository } from '../../ports/store';
import { executeRows } from '../../schema/any-pg-database';
import { generateUuid } from '../../schema/create-parley-schema';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import { liveInWorkspace, notFound } from '../record-repository';
import { isPlausibleId, type RepositoryContext } from '../repository-context';

/** At most this many events in one append: a turn writes a handful, not thousands. */
export const maximumEventsPerAppend = 100;

const appendSchema = z.array(eventInputSchema).min(1).max(maximumEventsPerAppend);
const defaultListLimit = 100;
const latestOptionsSchema = eventListOptionsSchema.pick({ kinds: true, limit: true });

/**
 * A timestamp as a driver hands it back from raw SQL: a Date, or PostgreSQL's text form
 * (`2026-01-01 10:00:00.123+00`), which drizzle's node-postgres session leaves unparsed.
 */
function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  const match =
    /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::?(\d{2}))?$/.exec(text);
  return new Date(match ? `${match[1]}T${match[2]}${match[3]}:${match[4] ?? '00'}` : text);
}

/** An event from a row as a driver returns it: raw SQL (snake_case columns) or drizzle's. */
export function eventFromRow(row: Record<string, unknown>): ParleyEvent {
  const createdAt = row.created_at ?? row.createdAt;
  const data = row.data;
  return {
    id: row.id as string,
    workspaceId: (row.workspace_id ?? row.workspaceId) as string,
    sessionId: (row.session_id ?? row.sessionId) as string,
    offset: Number(row.offset),
    kind: row.kind as EventKind,
    source: row.source,
    traceId: (row.trace_id ?? row.traceId) as string,
    data: typeof data === 'string' ? JSON.parse(data) : data,
    createdAt: toDate(createdAt),
  } as ParleyEvent;
}

/** The event logs of a workspace's sessions. */
export function createEventRepository(context: RepositoryContext): EventRepository {
  const { schema, workspaceId } = context;
  const { event, session } = schema;
  // The same generator the schema uses for ids, so a host's injected ids apply here too.
  const generateId =
    (event.id as unknown as { defaultFn?: () => string }).defaultFn ?? generateUuid;

  return {
    async append(sessionId, events, options) {
      const inputs = parseInput(appendSchema, events, 'events');
      const turnState =
        options?.turnState === undefined
          ? undefined
          : parseInput(sessionTurnStateSchema, options.turnState, 'session turn state');
      const addLabels =
        options?.addLabels === undefined || options.addLabels.length === 0
          ? undefined
          : parseInput(sessionLabelsToAddSchema, options.addLabels, 'session labels');
      if (!isPlausibleId(sessionId)) throw notFound('session', sessionId);
      const traceId = generateUuid();
      const drafts = inputs.map((input) => ({
        id: input.id ?? generateId(),
        kind: input.kind,
        source: input.source,
        traceId: input.traceId ?? traceId,
        data: input.data,
      }));
      const outcome = await withDatabaseErrors({ entity: 'event', operation: 'write' }, () =>
        context.appender.append({ workspaceId, sessionId, events: drafts, turnState, addLabels }),
      );
      if (outcome === null) throw notFound('session', sessionId);
      return drafts.map(
        (draft, index) =>
          ({
            ...draft,
            workspaceId,
            sessionId,
            offset: outcome.offsets[index] as number,
            createdAt: outcome.createdAt,
          }) as ParleyEvent,
      );
    },

    async list(sessionId, options) {
      const {
        after = -1,
        kinds,
        limit = defaultListLimit,
      } = parseInput(eventListOptionsSchema, options ?? {}, 'event listing');
      if (!isPlausibleId(sessionId)) throw notFound('session', sessionId);
      const kindFilter =
        kinds && kinds.length > 0
          ? sql`and ${event.kind} in (${sql.join(
              kinds.map((kind) => sql`${kind}`),
              sql`, `,
            )})`
          : sql``;
      // One round trip tells "no such session" from "no events after this offset": the
      // session row is always returned, joined with whatever events follow the offset.
      const rows = await withDatabaseErrors({ entity: 'event', operation: 'read' }, () =>
        executeRows(
          context.database,
          sql`
          select listed.*, ${session.id} as found_session_id
          from ${session}
          left join lateral (
            select * from ${event}
            where ${event.workspaceId} = ${session.workspaceId}
              and ${event.sessionId} = ${session.id}
              and ${event.offset} > ${after}::integer
              ${kindFilter}
            order by ${event.offset}
            limit ${limit}::integer
          ) as listed on true
          where ${session.workspaceId} = ${workspaceId}
            and ${session.id} = ${sessionId}
            and ${session.archivedAt} is null`,
        ),
      );
      if (rows.length === 0) throw notFound('session', sessionId);
      return rows.filter((row) => row.id !== null && row.id !== undefined).map(eventFromRow);
    },

    async listLatest(sessionId, options) {
      const { kinds, limit = 50 } = parseInput(latestOptionsSchema, options ?? {}, 'event listing');
      const newestFirst = await withDatabaseErrors(
        { entity: 'event', operation: 'read' },
        async () => {
          const session = await context.database
            .select({ id: schema.session.id })
            .from(schema.session)
            .where(
              and(liveInWorkspace(schema.session, workspaceId), eq(schema.session.id, sessionId)),
            )
            .limit(1);
          if (session.length === 0) throw notFound('session', sessionId);
          return context.database
            .select()
            .from(event)
            .where(
              and(
                eq(event.workspaceId, workspaceId),
                eq(event.sessionId, sessionId),
                kinds && kinds.length > 0 ? inArray(event.kind, kinds) : undefined,
              ),
            )
            .orderBy(desc(event.offset))
            .limit(limit);
        },
      );
      return newestFirst.map(eventFromRow).reverse();
    },

    async get(eventId) {
      if (!isPlausibleId(eventId)) throw notFound('event', eventId);
      const rows = await withDatabaseErrors({ entity: 'event', operation: 'read' }, () =>
        context.database
          .select()
          .from(event)
          .where(and(eq(event.workspaceId, workspaceId), eq(event.id, eventId)))
          .limit(1),
      );
      if (!rows[0]) throw notFound('event', eventId);
      return eventFromRow(rows[0]);
    },

    async findByClientMessageId(sessionId, clientMessageId) {
      if (!isPlausibleId(sessionId) || typeof clientMessageId !== 'string') return null;
      const rows = await withDatabaseErrors({ entity: 'event', operation: 'read' }, () =>
        context.database
          .select()
          .from(event)
          .where(
            and(
              eq(event.workspaceId, workspaceId),
              eq(event.sessionId, sessionId),
              // Literal, not a parameter, so the planner can use the partial unique index.
              sql`${event.kind} = 'message'`,
              sql`(${event.data} ->> 'clientMessageId') = ${clientMessageId}`,
            ),
          )
          .limit(1),
      );
      return rows[0] ? eventFromRow(rows[0]) : null;
    },

    async search(options) {
      const {
        query,
        agentId,
        sessionId,
        limit = 50,
      } = parseInput(eventSearchOptionsSchema, options, 'event search');
      const conditions: Array<SQL | undefined> = [
        eq(event.workspaceId, workspaceId),
        // Written exactly as the full-text index is defined, so the index serves the query.
        sql`${event.kind} = 'message'`,
        sql`to_tsvector('simple', ${event.data} ->> 'text') @@ plainto_tsquery('simple', ${query})`,
        sessionId === undefined ? undefined : eq(event.sessionId, sessionId),
        agentId === undefined
          ? undefined
          : inArray(
              event.sessionId,
              context.database
                .select({ id: session.id })
                .from(session)
                .where(and(liveInWorkspace(session, workspaceId), eq(session.agentId, agentId))),
            ),
      ];
      const rows = await withDatabaseErrors({ entity: 'event', operation: 'read' }, () =>
        context.database
          .select()
          .from(event)
          .where(and(...conditions))
          .orderBy(desc(event.createdAt), desc(event.id))
          .limit(limit),
      );
      return rows.map(eventFromRow);
    },

    async deleteCreatedBefore(before) {
      const cutoff = parseInput(z.date(), before, 'retention cutoff');
      const rows = await withDatabaseErrors({ entity: 'event', operation: 'delete' }, () =>
        executeRows(
          context.database,
          sql`
          with deleted as (
            delete from ${event}
            where ${event.workspaceId} = ${workspaceId}
              and ${event.createdAt} < ${cutoff.toISOString()}::timestamptz
            returning 1
          )
          select count(*)::integer as deleted from deleted`,
        ),
      );
      return Number(rows[0]?.deleted ?? 0);
    },
  };
}
