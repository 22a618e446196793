import { eq, sql } from 'drizzle-orm';
import {
  type CannedResponse,
  type CannedResponseInput,
  type CannedResponseListFilter,
  type CannedResponsePatch,
  cannedResponseInputSchema,
  cannedResponseListFilterSchema,
  cannedResponsePatchSchema,
  templateFields,
} from '../../domain/canned-response';
import type { CannedResponseRepository } from '../../ports/store';
import { createRecordRepository } from '../record-repository';
import type { RepositoryContext } from '../repository-context';

/** Canned responses; their `fields` always follow their template. */
export function createCannedResponseRepository(
  context: RepositoryContext,
): CannedResponseRepository {
  const table = context.schema.cannedResponse;
  const withFields = (values: Record<string, unknown>) =>
    typeof values.template === 'string'
      ? { ...values, fields: templateFields(values.template) }
      : values;

  return createRecordRepository<
    CannedResponse,
    CannedResponseInput,
    CannedResponsePatch,
    CannedResponseListFilter
  >(context, {
    entity: 'canned response',
    table,
    inputSchema: cannedResponseInputSchema,
    patchSchema: cannedResponsePatchSchema,
    parents: [{ field: 'agentId', table: context.schema.agent, entity: 'agent' }],
    toValues: withFields,
    toPatchValues: withFields,
    filterSchema: cannedResponseListFilterSchema,
    filters: (filter) => [
      eq(table.agentId, filter.agentId),
      filter.tag === undefined ? undefined : sql`${table.tags} @> array[${filter.tag}]::text[]`,
    ],
  });
}
