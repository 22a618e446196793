import { and, eq } from 'drizzle-orm';
import {
  type Tool,
  type ToolInput,
  type ToolPatch,
  toolInputSchema,
  toolPatchSchema,
} from '../../domain/tool';
import type { ToolRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { createRecordRepository, liveInWorkspace } from '../record-repository';
import type { RepositoryContext } from '../repository-context';

/** Tool declarations; archiving one detaches it from every agent and guideline. */
export function createToolRepository(context: RepositoryContext): ToolRepository {
  const { schema, workspaceId } = context;
  const table = schema.tool;

  const records = createRecordRepository<Tool, ToolInput, ToolPatch>(context, {
    entity: 'tool',
    table,
    inputSchema: toolInputSchema,
    patchSchema: toolPatchSchema,
    onArchive: async (database, toolId) => {
      for (const joinTable of [schema.agentTool, schema.guidelineTool]) {
        await database
          .delete(joinTable)
          .where(and(eq(joinTable.workspaceId, workspaceId), eq(joinTable.toolId, toolId)));
      }
    },
  });

  return {
    ...records,
    async findByName(name) {
      if (typeof name !== 'string') return null;
      const rows = await withDatabaseErrors({ entity: 'tool', operation: 'read' }, () =>
        context.database
          .select()
          .from(table)
          .where(and(liveInWorkspace(table, workspaceId), eq(table.name, name)))
          .limit(1),
      );
      return (rows[0] as Tool | undefined) ?? null;
    },
  };
}
