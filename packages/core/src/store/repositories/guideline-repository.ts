import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { idSchema } from '../../domain/common';
import {
  type Guideline,
  type GuidelineInput,
  type GuidelineListFilter,
  type GuidelinePatch,
  guidelineInputSchema,
  guidelineListFilterSchema,
  guidelinePatchSchema,
} from '../../domain/guideline';
import type { GuidelineRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import {
  assertLive,
  createRecordRepository,
  liveInWorkspace,
  notFound,
} from '../record-repository';
import type { RepositoryContext } from '../repository-context';

const toolIdsSchema = z.array(idSchema).max(100);

/** Guidelines: versioned on every update, with their attached tools. */
export function createGuidelineRepository(context: RepositoryContext): GuidelineRepository {
  const { schema, workspaceId } = context;
  const table = schema.guideline;

  const records = createRecordRepository<
    Guideline,
    GuidelineInput,
    GuidelinePatch,
    GuidelineListFilter
  >(context, {
    entity: 'guideline',
    table,
    inputSchema: guidelineInputSchema,
    patchSchema: guidelinePatchSchema,
    parents: [{ field: 'agentId', table: schema.agent, entity: 'agent' }],
    // The version lets caches of derived data (embeddings) tell a stale entry from a fresh one.
    toPatchValues: (patch) => ({ ...patch, version: sql`${table.version} + 1` }),
    filterSchema: guidelineListFilterSchema,
    filters: (filter) => [
      eq(table.agentId, filter.agentId),
      filter.tag === undefined ? undefined : sql`${table.tags} @> array[${filter.tag}]::text[]`,
      filter.enabled === undefined ? undefined : eq(table.enabled, filter.enabled),
    ],
    onArchive: async (database, guidelineId, now) => {
      const relationship = schema.guidelineRelationship;
      await database
        .update(relationship)
        .set({ archivedAt: now, updatedAt: now })
        .where(
          and(
            liveInWorkspace(relationship, workspaceId),
            or(
              eq(relationship.sourceGuidelineId, guidelineId),
              eq(relationship.targetGuidelineId, guidelineId),
            ),
          ),
        );
      await database
        .delete(schema.guidelineTool)
        .where(
          and(
            eq(schema.guidelineTool.workspaceId, workspaceId),
            eq(schema.guidelineTool.guidelineId, guidelineId),
          ),
        );
      await database
        .delete(schema.journeyGuideline)
        .where(
          and(
            eq(schema.journeyGuideline.workspaceId, workspaceId),
            eq(schema.journeyGuideline.guidelineId, guidelineId),
          ),
        );
    },
  });

  return {
    ...records,

    async listAll(agentId, options = {}) {
      await assertLive(context, schema.agent, 'agent', agentId);
      const rows = await withDatabaseErrors({ entity: 'guideline', operation: 'read' }, () =>
        context.database
          .select()
          .from(table)
          .where(
            and(
              liveInWorkspace(table, workspaceId),
              eq(table.agentId, agentId),
              options.enabledOnly ? eq(table.enabled, true) : undefined,
            ),
          )
          .orderBy(asc(table.createdAt), asc(table.id)),
      );
      return rows as Guideline[];
    },

    async setTools(guidelineId, toolIds) {
      const uniqueToolIds = [...new Set(parseInput(toolIdsSchema, toolIds, 'tool ids'))];
      await assertLive(context, table, 'guideline', guidelineId);
      if (uniqueToolIds.length > 0) {
        const found = await context.database
          .select({ id: schema.tool.id })
          .from(schema.tool)
          .where(
            and(liveInWorkspace(schema.tool, workspaceId), inArray(schema.tool.id, uniqueToolIds)),
          );
        const foundIds = new Set(found.map((row) => row.id));
        const missing = uniqueToolIds.find((toolId) => !foundIds.has(toolId));
        if (missing !== undefined) throw notFound('tool', missing);
      }
      const now = context.clock.now();
      await withDatabaseErrors({ entity: 'guideline tool', operation: 'write' }, () =>
        context.database.transaction(async (transaction) => {
          await transaction
            .delete(schema.guidelineTool)
            .where(
              and(
                eq(schema.guidelineTool.workspaceId, workspaceId),
                eq(schema.guidelineTool.guidelineId, guidelineId),
              ),
            );
          if (uniqueToolIds.length > 0) {
            await transaction.insert(schema.guidelineTool).values(
              uniqueToolIds.map((toolId) => ({
                workspaceId,
                guidelineId,
                toolId,
                createdAt: now,
              })),
            );
          }
        }),
      );
    },

    async listToolLinks(agentId) {
      await assertLive(context, schema.agent, 'agent', agentId);
      return withDatabaseErrors({ entity: 'guideline tool', operation: 'read' }, () =>
        context.database
          .select({
            guidelineId: schema.guidelineTool.guidelineId,
            toolId: schema.guidelineTool.toolId,
          })
          .from(schema.guidelineTool)
          .innerJoin(
            table,
            and(
              eq(table.workspaceId, schema.guidelineTool.workspaceId),
              eq(table.id, schema.guidelineTool.guidelineId),
            ),
          )
          .where(and(liveInWorkspace(table, workspaceId), eq(table.agentId, agentId)))
          .orderBy(asc(schema.guidelineTool.guidelineId), asc(schema.guidelineTool.toolId)),
      );
    },

    async listToolIds(guidelineId) {
      await assertLive(context, table, 'guideline', guidelineId);
      const rows = await withDatabaseErrors({ entity: 'guideline tool', operation: 'read' }, () =>
        context.database
          .select({ toolId: schema.guidelineTool.toolId })
          .from(schema.guidelineTool)
          .where(
            and(
              eq(schema.guidelineTool.workspaceId, workspaceId),
              eq(schema.guidelineTool.guidelineId, guidelineId),
            ),
          )
          .orderBy(asc(schema.guidelineTool.toolId)),
      );
      return rows.map((row) => row.toolId);
    },
  };
}
