import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  type SessionWorkflow,
  sessionWorkflowInputSchema,
  sessionWorkflowOutcomeSchema,
} from '../../domain/session-workflow';
import type { SessionWorkflowRepository } from '../../ports/store';
import { decodeCursor, encodeCursor } from '../cursor';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import { after, assertLive, notFound } from '../record-repository';
import { isPlausibleId, type RepositoryContext } from '../repository-context';

const listOptionsSchema = z.object({
  sessionId: z.string().min(1).max(128),
  cursor: z.string().max(512).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});

/** The record of workflow runs, one row per run, written when it starts and when it ends. */
export function createSessionWorkflowRepository(
  context: RepositoryContext,
): SessionWorkflowRepository {
  const { schema, workspaceId } = context;
  const table = schema.sessionWorkflow;
  const byId = (id: string) => and(eq(table.workspaceId, workspaceId), eq(table.id, id));

  return {
    async start(input) {
      const parsed = parseInput(sessionWorkflowInputSchema, input, 'workflow run');
      await assertLive(context, schema.session, 'session', parsed.sessionId);
      const now = context.clock.now();
      const rows = await withDatabaseErrors({ entity: 'workflow run', operation: 'write' }, () =>
        context.database
          .insert(table)
          .values({ ...parsed, workspaceId, status: 'running', createdAt: now, updatedAt: now })
          .returning(),
      );
      return rows[0] as SessionWorkflow;
    },

    async finish(id, outcome) {
      const parsed = parseInput(sessionWorkflowOutcomeSchema, outcome, 'workflow run outcome');
      if (!isPlausibleId(id)) throw notFound('workflow run', id);
      const rows = await withDatabaseErrors({ entity: 'workflow run', operation: 'write' }, () =>
        context.database
          .update(table)
          .set({ ...parsed, updatedAt: context.clock.now() })
          .where(byId(id))
          .returning(),
      );
      if (!rows[0]) throw notFound('workflow run', id);
      return rows[0] as SessionWorkflow;
    },

    async get(id) {
      if (!isPlausibleId(id)) throw notFound('workflow run', id);
      const rows = await withDatabaseErrors({ entity: 'workflow run', operation: 'read' }, () =>
        context.database.select().from(table).where(byId(id)).limit(1),
      );
      if (!rows[0]) throw notFound('workflow run', id);
      return rows[0] as SessionWorkflow;
    },

    async list(options) {
      const {
        sessionId,
        cursor,
        limit = 50,
      } = parseInput(listOptionsSchema, options, 'workflow run listing');
      const position = cursor === undefined ? undefined : decodeCursor(cursor);
      const rows = await withDatabaseErrors({ entity: 'workflow run', operation: 'read' }, () =>
        context.database
          .select()
          .from(table)
          .where(
            and(
              eq(table.workspaceId, workspaceId),
              eq(table.sessionId, sessionId),
              position ? after(table, position) : undefined,
            ),
          )
          .orderBy(asc(table.createdAt), asc(table.id))
          .limit(limit + 1),
      );
      const items = rows.slice(0, limit) as SessionWorkflow[];
      const last = items.at(-1);
      return {
        items,
        nextCursor:
          rows.length > limit && last
            ? encodeCursor({ createdAt: last.createdAt, id: last.id })
            : null,
      };
    },
  };
}
