import { eq } from 'drizzle-orm';
import {
  type Term,
  type TermInput,
  type TermListFilter,
  type TermPatch,
  termInputSchema,
  termListFilterSchema,
  termPatchSchema,
} from '../../domain/term';
import type { TermRepository } from '../../ports/store';
import { createRecordRepository } from '../record-repository';
import type { RepositoryContext } from '../repository-context';

/** Glossary terms of agents. */
export function createTermRepository(context: RepositoryContext): TermRepository {
  const table = context.schema.term;
  return createRecordRepository<Term, TermInput, TermPatch, TermListFilter>(context, {
    entity: 'term',
    table,
    inputSchema: termInputSchema,
    patchSchema: termPatchSchema,
    parents: [{ field: 'agentId', table: context.schema.agent, entity: 'agent' }],
    filterSchema: termListFilterSchema,
    filters: (filter) => [eq(table.agentId, filter.agentId)],
  });
}
