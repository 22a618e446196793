import { sql } from 'drizzle-orm';
import type { WorkspaceUsage } from '../ports/store';
import { executeRows } from '../schema/any-pg-database';
import { withDatabaseErrors } from './database-error';
import type { RepositoryContext } from './repository-context';

/**
 * Counts a workspace's agents, sessions and messages in one statement. It reads every
 * message event of the workspace (by the `(workspace_id, …)` indexes): the routes that show
 * it cache the answer.
 */
export async function countWorkspaceUsage(context: RepositoryContext): Promise<WorkspaceUsage> {
  const { agent, session, event } = context.schema;
  const workspaceId = context.workspaceId;
  const rows = await withDatabaseErrors({ entity: 'usage', operation: 'read' }, () =>
    executeRows(
      context.database,
      sql`select
        (select count(*)::int from ${agent}
          where ${agent.workspaceId} = ${workspaceId} and ${agent.archivedAt} is null) as agents,
        (select count(distinct ${session.agentId})::int from ${session}
          where ${session.workspaceId} = ${workspaceId} and ${session.archivedAt} is null
            and ${session.status} = 'active') as active_agents,
        (select count(*)::int from ${session}
          where ${session.workspaceId} = ${workspaceId} and ${session.archivedAt} is null) as sessions,
        (select count(*)::int from ${session}
          where ${session.workspaceId} = ${workspaceId} and ${session.archivedAt} is null
            and ${session.status} = 'active') as active_sessions,
        (select count(*)::int from ${event}
          where ${event.workspaceId} = ${workspaceId} and ${event.kind} = 'message') as messages,
        (select count(*)::int from ${event}
          where ${event.workspaceId} = ${workspaceId} and ${event.kind} = 'message'
            and ${event.source} = 'customer') as customer_messages,
        (select count(*)::int from ${event}
          where ${event.workspaceId} = ${workspaceId} and ${event.kind} = 'message'
            and ${event.source} in ('ai_agent', 'human_agent')) as agent_messages`,
    ),
  );
  const row = (rows[0] ?? {}) as Record<string, number | string | null>;
  const count = (column: string) => Number(row[column] ?? 0);
  return {
    agents: { total: count('agents'), active: count('active_agents') },
    sessions: { total: count('sessions'), active: count('active_sessions') },
    messages: {
      total: count('messages'),
      customer: count('customer_messages'),
      agent: count('agent_messages'),
    },
  };
}
