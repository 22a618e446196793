import { and, eq, inArray, or } from 'drizzle-orm';
import {
  type Relationship,
  type RelationshipInput,
  type RelationshipListFilter,
  relationshipInputSchema,
  relationshipListFilterSchema,
} from '../../domain/relationship';
import type { RelationshipRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import { createRecordRepository, liveInWorkspace, notFound } from '../record-repository';
import type { RepositoryContext } from '../repository-context';

/** Relationships between two live guidelines of the same agent. */
export function createRelationshipRepository(context: RepositoryContext): RelationshipRepository {
  const { schema, workspaceId } = context;
  const table = schema.guidelineRelationship;

  const { update: _update, ...records } = createRecordRepository<
    Relationship,
    RelationshipInput,
    never,
    RelationshipListFilter
  >(context, {
    entity: 'relationship',
    table,
    inputSchema: relationshipInputSchema,
    parents: [{ field: 'agentId', table: schema.agent, entity: 'agent' }],
    filterSchema: relationshipListFilterSchema,
    filters: (filter) => [
      eq(table.agentId, filter.agentId),
      filter.kind === undefined ? undefined : eq(table.kind, filter.kind),
      filter.guidelineId === undefined
        ? undefined
        : or(
            eq(table.sourceGuidelineId, filter.guidelineId),
            eq(table.targetGuidelineId, filter.guidelineId),
          ),
    ],
  });

  return {
    ...records,

    async create(input) {
      const parsed = parseInput(relationshipInputSchema, input, 'relationship');
      const guidelineIds = [parsed.sourceGuidelineId, parsed.targetGuidelineId];
      const found = await withDatabaseErrors({ entity: 'relationship', operation: 'read' }, () =>
        context.database
          .select({ id: schema.guideline.id })
          .from(schema.guideline)
          .where(
            and(
              liveInWorkspace(schema.guideline, workspaceId),
              eq(schema.guideline.agentId, parsed.agentId),
              inArray(schema.guideline.id, guidelineIds),
            ),
          ),
      );
      const foundIds = new Set(found.map((row) => row.id));
      // Both ends must be guidelines of this agent: a relationship across agents means nothing.
      const missing = guidelineIds.find((guidelineId) => !foundIds.has(guidelineId));
      if (missing !== undefined) throw notFound('guideline', missing);
      return records.create(parsed);
    },
  };
}
