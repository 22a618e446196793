import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn, PgTableWithColumns } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { Page, PageRequest } from '../domain/common';
import { pageRequestSchema } from '../domain/common';
import { ParleyError } from '../errors/parley-error';
import type { RecordRepository } from '../ports/store';
import type { AnyPgDatabase } from '../schema/any-pg-database';
import { type CursorPosition, decodeCursor, encodeCursor } from './cursor';
import { withDatabaseErrors } from './database-error';
import { parseInput } from './parse-input';
import { isPlausibleId, type RepositoryContext } from './repository-context';

/** A table with the columns every soft-deletable Parley record has. */
// biome-ignore lint/suspicious/noExplicitAny: drizzle's table generic is erased on purpose here.
export type RecordTable = PgTableWithColumns<any> & {
  id: AnyPgColumn;
  workspaceId: AnyPgColumn;
  createdAt: AnyPgColumn;
  updatedAt: AnyPgColumn;
  archivedAt: AnyPgColumn;
};

type Row = Record<string, unknown>;

/** A record that must exist, live and in the same workspace, before a child is written. */
export interface ParentReference {
  /** The input field holding the parent's id. */
  field: string;
  table: RecordTable;
  entity: string;
}

/** How one kind of record maps onto its table. */
export interface RecordTableConfig<TRecord, TFilter> {
  /** The record's name in messages, e.g. `agent`. */
  entity: string;
  table: RecordTable;
  inputSchema: z.ZodType;
  patchSchema?: z.ZodType;
  parents?: readonly ParentReference[];
  /** Column values from validated input (default: the input itself). */
  toValues?: (input: Row) => Row;
  /** Column values from a validated patch (default: the patch itself). */
  toPatchValues?: (patch: Row) => Row;
  /** The record from a row (default: the row itself). */
  toRecord?: (row: Row) => TRecord;
  /** The filters `list` accepts (validated like any input), and the conditions they add. */
  filterSchema?: z.ZodObject;
  filters?: (filter: TFilter) => Array<SQL | undefined>;
  /** Runs in the archiving transaction, e.g. to archive what the record owns. */
  onArchive?: (database: AnyPgDatabase, id: string, now: Date) => Promise<void>;
}

const defaultPageSize = 50;

/** The live-row condition of a record table within the context's workspace. */
export function liveInWorkspace(table: RecordTable, workspaceId: string): SQL {
  return and(eq(table.workspaceId, workspaceId), isNull(table.archivedAt)) as SQL;
}

/** Throws `not_found` unless the record exists, live, in the workspace. */
export async function assertLive(
  context: RepositoryContext,
  table: RecordTable,
  entity: string,
  id: string,
): Promise<void> {
  if (!isPlausibleId(id)) throw notFound(entity, id);
  const rows = await withDatabaseErrors({ entity, operation: 'read' }, () =>
    context.database
      .select({ id: table.id })
      .from(table)
      .where(and(liveInWorkspace(table, context.workspaceId), eq(table.id, id)))
      .limit(1),
  );
  if (rows.length === 0) throw notFound(entity, id);
}

/** Rows after a listing's cursor position, in (created_at, id) order. */
export function after(
  table: { createdAt: AnyPgColumn; id: AnyPgColumn },
  position: CursorPosition,
): SQL {
  return sql`(${table.createdAt}, ${table.id}) > (${position.createdAt.toISOString()}::timestamptz, ${position.id})`;
}

/** The `not_found` error of a record. */
export function notFound(entity: string, id: unknown): ParleyError {
  return new ParleyError('not_found', `${entity} not found`, {
    details: { entity, id: typeof id === 'string' ? id.slice(0, 128) : null },
  });
}

/**
 * The create/get/find/update/archive/delete/list operations shared by every record kind,
 * all confined to the context's workspace. Repositories with more to do wrap this one.
 */
export function createRecordRepository<TRecord, TInput, TPatch, TFilter = object>(
  context: RepositoryContext,
  config: RecordTableConfig<TRecord, TFilter>,
): RecordRepository<TRecord, TInput, TPatch, TFilter> {
  const { table, entity } = config;
  const toRecord = config.toRecord ?? ((row: Row) => row as TRecord);
  const workspaceId = context.workspaceId;
  const byId = (id: string) => and(eq(table.workspaceId, workspaceId), eq(table.id, id));
  const listOptionsSchema = config.filterSchema
    ? pageRequestSchema.extend(config.filterSchema.shape)
    : pageRequestSchema;

  async function find(id: string): Promise<TRecord | null> {
    if (!isPlausibleId(id)) return null;
    const rows = await withDatabaseErrors({ entity, operation: 'read' }, () =>
      context.database
        .select()
        .from(table)
        .where(and(byId(id), isNull(table.archivedAt)))
        .limit(1),
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async function get(id: string): Promise<TRecord> {
    const record = await find(id);
    if (record === null) throw notFound(entity, id);
    return record;
  }

  return {
    async create(input) {
      const parsed = parseInput(config.inputSchema, input, entity) as Row;
      for (const parent of config.parents ?? []) {
        const parentId = parsed[parent.field];
        if (typeof parentId === 'string') {
          await assertLive(context, parent.table, parent.entity, parentId);
        }
      }
      const now = context.clock.now();
      const values = { ...(config.toValues ? config.toValues(parsed) : parsed) };
      const rows = await withDatabaseErrors({ entity, operation: 'write' }, () =>
        context.database
          .insert(table)
          .values({ ...values, workspaceId, createdAt: now, updatedAt: now })
          .returning(),
      );
      return toRecord(rows[0] as Row);
    },

    get,
    find,

    async update(id, patch) {
      if (!config.patchSchema) {
        throw new ParleyError('validation_failed', `a ${entity} cannot be updated`);
      }
      const parsed = parseInput(config.patchSchema, patch, `${entity} update`) as Row;
      if (!isPlausibleId(id)) throw notFound(entity, id);
      const values = config.toPatchValues ? config.toPatchValues(parsed) : parsed;
      if (Object.keys(values).length === 0) return get(id);
      const rows = await withDatabaseErrors({ entity, operation: 'write' }, () =>
        context.database
          .update(table)
          .set({ ...values, updatedAt: context.clock.now() })
          .where(and(byId(id), isNull(table.archivedAt)))
          .returning(),
      );
      if (!rows[0]) throw notFound(entity, id);
      return toRecord(rows[0]);
    },

    async archive(id) {
      if (!isPlausibleId(id)) throw notFound(entity, id);
      const now = context.clock.now();
      await withDatabaseErrors({ entity, operation: 'write' }, () =>
        context.database.transaction(async (transaction) => {
          const rows = await transaction
            .update(table)
            .set({ archivedAt: now, updatedAt: now })
            .where(and(byId(id), isNull(table.archivedAt)))
            .returning({ id: table.id });
          if (rows.length === 0) throw notFound(entity, id);
          await config.onArchive?.(transaction, id, now);
        }),
      );
    },

    async delete(id) {
      if (!isPlausibleId(id)) throw notFound(entity, id);
      const rows = await withDatabaseErrors({ entity, operation: 'delete' }, () =>
        context.database.delete(table).where(byId(id)).returning({ id: table.id }),
      );
      if (rows.length === 0) throw notFound(entity, id);
    },

    async list(options) {
      const parsed = parseInput(
        listOptionsSchema,
        options ?? {},
        `${entity} listing`,
      ) as PageRequest & TFilter;
      const { cursor, limit = defaultPageSize } = parsed;
      const filter = parsed;
      const position = cursor === undefined ? undefined : decodeCursor(cursor);
      const conditions = [
        liveInWorkspace(table, workspaceId),
        ...(config.filters ? config.filters(filter) : []),
        position ? after(table, position) : undefined,
      ];
      const rows = await withDatabaseErrors({ entity, operation: 'read' }, () =>
        context.database
          .select()
          .from(table)
          .where(and(...conditions))
          .orderBy(asc(table.createdAt), asc(table.id))
          .limit(limit + 1),
      );
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      const nextCursor =
        rows.length > limit && last
          ? encodeCursor({ createdAt: last.createdAt as Date, id: last.id as string })
          : null;
      return { items: items.map(toRecord), nextCursor } satisfies Page<TRecord>;
    },
  };
}
