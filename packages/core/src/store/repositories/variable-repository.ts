import { and, asc, eq, inArray, or } from 'drizzle-orm';
import { z } from 'zod';
import {
  type Variable,
  type VariableInput,
  type VariableListFilter,
  type VariablePatch,
  type VariableResolutionContext,
  type VariableTarget,
  type VariableValue,
  variableInputSchema,
  variableListFilterSchema,
  variablePatchSchema,
  variableTargetSchema,
} from '../../domain/variable';
import type { VariableRepository } from '../../ports/store';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import { assertLive, createRecordRepository, liveInWorkspace } from '../record-repository';
import { type RepositoryContext, readTogether } from '../repository-context';

const setValueOptionsSchema = z.object({ refreshedAt: z.date().optional() }).optional();

/** The columns that identify a target's value, and tie it to its session or customer. */
function targetColumns(target: VariableTarget, agentId: string) {
  switch (target.scope) {
    case 'session':
      return {
        scope: target.scope,
        scopeKey: target.sessionId,
        sessionId: target.sessionId,
        customerId: null,
      };
    case 'customer':
      return {
        scope: target.scope,
        scopeKey: target.customerId,
        sessionId: null,
        customerId: target.customerId,
      };
    case 'customer_tag':
      return { scope: target.scope, scopeKey: target.tag, sessionId: null, customerId: null };
    case 'agent':
      return { scope: target.scope, scopeKey: agentId, sessionId: null, customerId: null };
  }
}

type Candidate = { scope: VariableValue['scope']; scopeKey: string };

/** Where a value may be stored for a conversation, from most to least specific. */
function candidatesFor(resolution: VariableResolutionContext, agentId: string): Candidate[] {
  const candidates: Candidate[] = [];
  if (resolution.sessionId) candidates.push({ scope: 'session', scopeKey: resolution.sessionId });
  if (resolution.customerId)
    candidates.push({ scope: 'customer', scopeKey: resolution.customerId });
  for (const tag of resolution.customerTags ?? []) {
    candidates.push({ scope: 'customer_tag', scopeKey: tag });
  }
  candidates.push({ scope: 'agent', scopeKey: agentId });
  return candidates;
}

/** The first candidate, in order, that holds a value. */
function mostSpecific(found: VariableValue[], candidates: Candidate[]): VariableValue | null {
  for (const candidate of candidates) {
    const match = found.find(
      (row) => row.scope === candidate.scope && row.scopeKey === candidate.scopeKey,
    );
    if (match) return match;
  }
  return null;
}

/** Context variables and their values per session, customer, customer tag and agent. */
export function createVariableRepository(context: RepositoryContext): VariableRepository {
  const { schema, workspaceId } = context;
  const table = schema.variable;
  const values = schema.variableValue;

  const records = createRecordRepository<
    Variable,
    VariableInput,
    VariablePatch,
    VariableListFilter
  >(context, {
    entity: 'variable',
    table,
    inputSchema: variableInputSchema,
    patchSchema: variablePatchSchema,
    parents: [
      { field: 'agentId', table: schema.agent, entity: 'agent' },
      { field: 'toolId', table: schema.tool, entity: 'tool' },
    ],
    filterSchema: variableListFilterSchema,
    filters: (filter) => [eq(table.agentId, filter.agentId)],
  });

  const matchingCandidates = (candidates: Candidate[]) =>
    or(
      ...(['session', 'customer', 'customer_tag', 'agent'] as const).map((scope) => {
        const keys = candidates
          .filter((candidate) => candidate.scope === scope)
          .map((c) => c.scopeKey);
        return keys.length > 0
          ? and(eq(values.scope, scope), inArray(values.scopeKey, keys))
          : undefined;
      }),
    );

  const valuesOf = (variableId: string) =>
    and(eq(values.workspaceId, workspaceId), eq(values.variableId, variableId));

  return {
    ...records,

    async setValue(variableId, target, value, options) {
      const parsedTarget = parseInput(variableTargetSchema, target, 'variable target');
      const parsedValue = parseInput(z.json(), value, 'variable value');
      const { refreshedAt } =
        parseInput(setValueOptionsSchema, options, 'variable value options') ?? {};
      const variable = await records.get(variableId);
      if (parsedTarget.scope === 'session') {
        await assertLive(context, schema.session, 'session', parsedTarget.sessionId);
      } else if (parsedTarget.scope === 'customer') {
        await assertLive(context, schema.customer, 'customer', parsedTarget.customerId);
      }
      const now = context.clock.now();
      const columns = targetColumns(parsedTarget, variable.agentId);
      const rows = await withDatabaseErrors({ entity: 'variable value', operation: 'write' }, () =>
        context.database
          .insert(values)
          .values({
            workspaceId,
            variableId,
            ...columns,
            value: parsedValue,
            refreshedAt: refreshedAt ?? now,
            createdAt: now,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: [values.variableId, values.scope, values.scopeKey],
            set: { value: parsedValue, refreshedAt: refreshedAt ?? now, updatedAt: now },
          })
          .returning(),
      );
      return toVariableValue(rows[0] as Record<string, unknown>);
    },

    async clearValue(variableId, target) {
      const parsedTarget = parseInput(variableTargetSchema, target, 'variable target');
      const variable = await records.get(variableId);
      const columns = targetColumns(parsedTarget, variable.agentId);
      await withDatabaseErrors({ entity: 'variable value', operation: 'delete' }, () =>
        context.database
          .delete(values)
          .where(
            and(
              valuesOf(variableId),
              eq(values.scope, columns.scope),
              eq(values.scopeKey, columns.scopeKey),
            ),
          ),
      );
    },

    async listValues(variableId) {
      await records.get(variableId);
      const rows = await withDatabaseErrors({ entity: 'variable value', operation: 'read' }, () =>
        context.database
          .select()
          .from(values)
          .where(valuesOf(variableId))
          .orderBy(asc(values.createdAt), asc(values.id)),
      );
      return rows.map(toVariableValue);
    },

    async resolveValue(variableId, resolution) {
      const variable = await records.get(variableId);
      const candidates = candidatesFor(resolution, variable.agentId);
      const rows = await withDatabaseErrors({ entity: 'variable value', operation: 'read' }, () =>
        context.database
          .select()
          .from(values)
          .where(and(valuesOf(variableId), matchingCandidates(candidates))),
      );
      return mostSpecific(rows.map(toVariableValue), candidates);
    },

    async resolveValues(agentId, resolution) {
      await assertLive(context, schema.agent, 'agent', agentId);
      const candidates = candidatesFor(resolution, agentId);
      const [variables, rows] = await withDatabaseErrors(
        { entity: 'variable value', operation: 'read' },
        () =>
          readTogether(context, [
            () =>
              context.database
                .select({ id: table.id })
                .from(table)
                .where(and(liveInWorkspace(table, workspaceId), eq(table.agentId, agentId))),
            () =>
              context.database
                .select({ value: values })
                .from(values)
                .innerJoin(
                  table,
                  and(eq(table.workspaceId, values.workspaceId), eq(table.id, values.variableId)),
                )
                .where(
                  and(
                    liveInWorkspace(table, workspaceId),
                    eq(table.agentId, agentId),
                    matchingCandidates(candidates),
                  ),
                ),
          ]),
      );
      const found = rows.map((row) => toVariableValue(row.value));
      return new Map(
        variables.map(({ id }) => [
          id,
          mostSpecific(
            found.filter((value) => value.variableId === id),
            candidates,
          ),
        ]),
      );
    },
  };
}

function toVariableValue(row: Record<string, unknown>): VariableValue {
  const { sessionId: _sessionId, customerId: _customerId, ...rest } = row;
  return rest as VariableValue;
}
