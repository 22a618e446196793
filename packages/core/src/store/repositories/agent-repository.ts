import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import {
  type Agent,
  type AgentInput,
  type AgentPatch,
  agentInputSchema,
  agentPatchSchema,
} from '../../domain/agent';
import type { Tool } from '../../domain/tool';
import type { AgentRepository } from '../../ports/store';
import { executeRows } from '../../schema/any-pg-database';
import { withDatabaseErrors } from '../database-error';
import {
  assertLive,
  createRecordRepository,
  liveInWorkspace,
  notFound,
} from '../record-repository';
import type { RepositoryContext } from '../repository-context';
import { isPlausibleId } from '../repository-context';

/** Agents, with archiving that reaches everything the agent owns. */
export function createAgentRepository(context: RepositoryContext): AgentRepository {
  const { schema, workspaceId } = context;
  const ownedTables = [
    schema.guideline,
    schema.guidelineRelationship,
    schema.journey,
    schema.variable,
    schema.term,
    schema.cannedResponse,
    schema.agentKey,
    schema.session,
  ];

  const records = createRecordRepository<Agent, AgentInput, AgentPatch>(context, {
    entity: 'agent',
    table: schema.agent,
    inputSchema: agentInputSchema,
    patchSchema: agentPatchSchema,
    // An archived agent takes its guidelines, journeys, keys and sessions with it, so none
    // of them stays reachable (or keeps a unique name taken) through another route.
    onArchive: async (database, agentId, now) => {
      for (const table of ownedTables) {
        await database
          .update(table)
          .set({ archivedAt: now, updatedAt: now })
          .where(and(liveInWorkspace(table, workspaceId), eq(table.agentId, agentId)));
      }
    },
  });

  return {
    ...records,

    async attachTool(agentId, toolId) {
      await assertLive(context, schema.agent, 'agent', agentId);
      await assertLive(context, schema.tool, 'tool', toolId);
      await withDatabaseErrors({ entity: 'agent tool', operation: 'write' }, () =>
        context.database
          .insert(schema.agentTool)
          .values({ workspaceId, agentId, toolId, createdAt: context.clock.now() })
          .onConflictDoNothing(),
      );
    },

    async detachTool(agentId, toolId) {
      await assertLive(context, schema.agent, 'agent', agentId);
      await withDatabaseErrors({ entity: 'agent tool', operation: 'delete' }, () =>
        context.database
          .delete(schema.agentTool)
          .where(
            and(
              eq(schema.agentTool.workspaceId, workspaceId),
              eq(schema.agentTool.agentId, agentId),
              eq(schema.agentTool.toolId, toolId),
            ),
          ),
      );
    },

    async catalogRevision(agentId) {
      if (!isPlausibleId(agentId)) throw notFound('agent', agentId);
      const ownedBy = (table: (typeof ownedTables)[number]) =>
        sql`(select count(*) || ':' || coalesce(max(${table.updatedAt})::text, '')
             from ${table} where ${table.workspaceId} = ${workspaceId} and ${table.agentId} = ${agentId})`;
      const { agent, agentTool, guidelineTool, guideline, journeyState, journey, tool } = schema;
      const rows = await withDatabaseErrors({ entity: 'agent', operation: 'read' }, () =>
        executeRows(
          context.database,
          sql`select
            (select ${agent.updatedAt}::text from ${agent}
             where ${agent.workspaceId} = ${workspaceId} and ${agent.id} = ${agentId}
               and ${agent.archivedAt} is null) as agent,
            concat_ws('|',
              ${sql.join(
                ownedTables
                  .filter((table) => table !== schema.agentKey && table !== schema.session)
                  .map(ownedBy),
                sql`, `,
              )},
              (select count(*) || ':' || coalesce(max(${agentTool.createdAt})::text, '')
               from ${agentTool} where ${agentTool.workspaceId} = ${workspaceId} and ${agentTool.agentId} = ${agentId}),
              (select count(*) || ':' || coalesce(max(${guidelineTool.createdAt})::text, '')
               from ${guidelineTool} join ${guideline} on ${guideline.id} = ${guidelineTool.guidelineId}
               where ${guidelineTool.workspaceId} = ${workspaceId} and ${guideline.agentId} = ${agentId}),
              (select coalesce(max(${tool.updatedAt})::text, '') from ${tool}
               where ${tool.workspaceId} = ${workspaceId} and ${tool.id} in (
                 select ${agentTool.toolId} from ${agentTool} where ${agentTool.agentId} = ${agentId}
                 union select ${guidelineTool.toolId} from ${guidelineTool}
                   join ${guideline} on ${guideline.id} = ${guidelineTool.guidelineId}
                   where ${guideline.agentId} = ${agentId}
                 union select ${journeyState.toolId} from ${journeyState}
                   join ${journey} on ${journey.id} = ${journeyState.journeyId}
                   where ${journey.agentId} = ${agentId}))
            ) as owned`,
        ),
      );
      const row = rows[0];
      if (!row || row.agent === null || row.agent === undefined) throw notFound('agent', agentId);
      return `${String(row.agent)}|${String(row.owned)}`;
    },

    async listTools(agentId) {
      await assertLive(context, schema.agent, 'agent', agentId);
      const rows = await withDatabaseErrors({ entity: 'agent tool', operation: 'read' }, () =>
        context.database
          .select({ tool: schema.tool })
          .from(schema.agentTool)
          .innerJoin(
            schema.tool,
            and(
              eq(schema.tool.workspaceId, schema.agentTool.workspaceId),
              eq(schema.tool.id, schema.agentTool.toolId),
            ),
          )
          .where(
            and(
              eq(schema.agentTool.workspaceId, workspaceId),
              eq(schema.agentTool.agentId, agentId),
              isNull(schema.tool.archivedAt),
            ),
          )
          .orderBy(asc(schema.tool.name)),
      );
      return rows.map((row) => row.tool as Tool);
    },
  };
}
