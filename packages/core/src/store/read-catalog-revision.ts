import { and, eq, sql } from 'drizzle-orm';
import { executeRows } from '../schema/any-pg-database';
import { withDatabaseErrors } from './database-error';
import { liveInWorkspace, notFound } from './record-repository';
import { isPlausibleId, type RepositoryContext } from './repository-context';

/**
 * An agent's catalog revision: with Parley's routines, the counter their triggers keep (one
 * primary-key read); without them, a fingerprint of every table the catalog reads. A store
 * that has not found out yet whether its database has the routines asks it first, so one
 * store never mixes the two kinds of revision.
 */
export async function readCatalogRevision(
  context: RepositoryContext,
  agentId: string,
): Promise<string> {
  const { schema, workspaceId } = context;
  const ownedTables = [
    schema.guideline,
    schema.guidelineRelationship,
    schema.journey,
    schema.variable,
    schema.term,
    schema.cannedResponse,
    schema.agentWorkflow,
  ];
  if (!isPlausibleId(agentId)) throw notFound('agent', agentId);
  const routines =
    context.routines === 'shipped'
      ? 'shipped'
      : await context.appender.routines.resolve(context.database);
  if (routines === 'shipped') {
    // The shipped triggers keep the counter moving: one primary-key read.
    const [row] = await withDatabaseErrors({ entity: 'agent', operation: 'read' }, () =>
      context.database
        .select({ revision: schema.agent.catalogRevision, updatedAt: schema.agent.updatedAt })
        .from(schema.agent)
        .where(and(liveInWorkspace(schema.agent, workspaceId), eq(schema.agent.id, agentId)))
        .limit(1),
    );
    if (!row) throw notFound('agent', agentId);
    return revisionOf(row.revision, row.updatedAt);
  }
  // Without the triggers: a fingerprint of every table the catalog reads.
  const ownedBy = (table: (typeof ownedTables)[number]) =>
    sql`(select count(*) || ':' || coalesce(max(${table.updatedAt})::text, '')
         from ${table} where ${table.workspaceId} = ${workspaceId} and ${table.agentId} = ${agentId})`;
  const {
    agent,
    agentTool,
    agentKnowledgeBase,
    guidelineTool,
    guideline,
    journeyState,
    journey,
    tool,
  } = schema;
  const rows = await withDatabaseErrors({ entity: 'agent', operation: 'read' }, () =>
    executeRows(
      context.database,
      sql`select
        (select ${agent.updatedAt}::text from ${agent}
         where ${agent.workspaceId} = ${workspaceId} and ${agent.id} = ${agentId}
           and ${agent.archivedAt} is null) as agent,
        concat_ws('|',
          ${sql.join(ownedTables.map(ownedBy), sql`, `)},
          (select count(*) || ':' || coalesce(max(${agentTool.createdAt})::text, '')
           from ${agentTool} where ${agentTool.workspaceId} = ${workspaceId} and ${agentTool.agentId} = ${agentId}),
          (select count(*) || ':' || coalesce(max(${agentKnowledgeBase.createdAt})::text, '')
           from ${agentKnowledgeBase} where ${agentKnowledgeBase.workspaceId} = ${workspaceId}
             and ${agentKnowledgeBase.agentId} = ${agentId}),
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
}

/** The revision as Parley's routines give it, from the agent row's counter and time. */
export function revisionOf(counter: number, updatedAt: Date): string {
  return `${counter}:${updatedAt.toISOString()}`;
}
