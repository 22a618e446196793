import { and, eq } from 'drizzle-orm';
import {
  type Customer,
  type CustomerInput,
  type CustomerListFilter,
  type CustomerPatch,
  customerInputSchema,
  customerListFilterSchema,
  customerPatchSchema,
} from '../../domain/customer';
import type { CustomerRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { createRecordRepository, liveInWorkspace } from '../record-repository';
import type { RepositoryContext } from '../repository-context';

/** Customers of a workspace, findable by the site's own id for them. */
export function createCustomerRepository(context: RepositoryContext): CustomerRepository {
  const table = context.schema.customer;

  const records = createRecordRepository<
    Customer,
    CustomerInput,
    CustomerPatch,
    CustomerListFilter
  >(context, {
    entity: 'customer',
    table,
    inputSchema: customerInputSchema,
    patchSchema: customerPatchSchema,
    filterSchema: customerListFilterSchema,
    filters: (filter) => [
      filter.externalId === undefined ? undefined : eq(table.externalId, filter.externalId),
    ],
  });

  return {
    ...records,
    async findByExternalId(externalId) {
      if (typeof externalId !== 'string') return null;
      const rows = await withDatabaseErrors({ entity: 'customer', operation: 'read' }, () =>
        context.database
          .select()
          .from(table)
          .where(and(liveInWorkspace(table, context.workspaceId), eq(table.externalId, externalId)))
          .limit(1),
      );
      return (rows[0] as Customer | undefined) ?? null;
    },
  };
}
