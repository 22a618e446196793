import { and, asc, eq, isNull } from 'drizzle-orm';
import {
  type Agent,
  type AgentInput,
  type AgentPatch,
  agentInputSchema,
  agentPatchSchema,
  knowledgeBaseIdSchema,
} from '../../domain/agent';
import type { Tool } from '../../domain/tool';
import type { AgentRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import { readCatalogRevision } from '../read-catalog-revision';
import {
  assertLive,
  createRecordRepository,
  liveInWorkspace,
  notFound,
} from '../record-repository';
import type { RepositoryContext } from '../repository-context';

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
    schema.agentApiKey,
    schema.agentWorkflow,
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

    async attachKnowledgeBase(agentId, knowledgeBaseId) {
      const id = parseInput(knowledgeBaseIdSchema, knowledgeBaseId, 'knowledge base id');
      await assertLive(context, schema.agent, 'agent', agentId);
      const link = schema.agentKnowledgeBase;
      const columns = { knowledgeBaseId: link.knowledgeBaseId, createdAt: link.createdAt };
      return withDatabaseErrors(
        { entity: 'agent knowledge base', operation: 'write' },
        async () => {
          const [inserted] = await context.database
            .insert(link)
            .values({ workspaceId, agentId, knowledgeBaseId: id, createdAt: context.clock.now() })
            .onConflictDoNothing()
            .returning(columns);
          if (inserted) return { link: inserted, created: true };
          // Linked already: the link as it was made.
          const [existing] = await context.database
            .select(columns)
            .from(link)
            .where(
              and(
                eq(link.workspaceId, workspaceId),
                eq(link.agentId, agentId),
                eq(link.knowledgeBaseId, id),
              ),
            )
            .limit(1);
          if (!existing) throw notFound('agent', agentId);
          return { link: existing, created: false };
        },
      );
    },

    async detachKnowledgeBase(agentId, knowledgeBaseId) {
      const id = parseInput(knowledgeBaseIdSchema, knowledgeBaseId, 'knowledge base id');
      await assertLive(context, schema.agent, 'agent', agentId);
      const link = schema.agentKnowledgeBase;
      await withDatabaseErrors(
        { entity: 'agent knowledge base', operation: 'delete' },
        async () => {
          const removed = await context.database
            .delete(link)
            .where(
              and(
                eq(link.workspaceId, workspaceId),
                eq(link.agentId, agentId),
                eq(link.knowledgeBaseId, id),
              ),
            )
            .returning({ knowledgeBaseId: link.knowledgeBaseId });
          // Without Parley's triggers the catalog revision is a fingerprint, which an unlink
          // can bring back to an earlier value: touching the agent moves it on.
          if (removed.length > 0) {
            await context.database
              .update(schema.agent)
              .set({ updatedAt: context.clock.now() })
              .where(and(eq(schema.agent.workspaceId, workspaceId), eq(schema.agent.id, agentId)));
          }
        },
      );
    },

    async listKnowledgeBases(agentId) {
      await assertLive(context, schema.agent, 'agent', agentId);
      const link = schema.agentKnowledgeBase;
      return withDatabaseErrors({ entity: 'agent knowledge base', operation: 'read' }, () =>
        context.database
          .select({ knowledgeBaseId: link.knowledgeBaseId, createdAt: link.createdAt })
          .from(link)
          .where(and(eq(link.workspaceId, workspaceId), eq(link.agentId, agentId)))
          .orderBy(asc(link.createdAt), asc(link.knowledgeBaseId)),
      );
    },

    catalogRevision(agentId) {
      return readCatalogRevision(context, agentId);
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
