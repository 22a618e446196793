import { and, asc, eq, inArray, isNull, notInArray } from 'drizzle-orm';
import {
  type Journey,
  type JourneyDocument,
  type JourneyInput,
  type JourneyListFilter,
  type JourneyPatch,
  journeyDocumentSchema,
  journeyInputSchema,
  journeyListFilterSchema,
  journeyPatchSchema,
} from '../../domain/journey';
import type { JourneyRepository } from '../../ports/store';
import type { AnyPgDatabase } from '../../schema/any-pg-database';
import { withDatabaseErrors } from '../database-error';
import { parseInput } from '../parse-input';
import {
  assertLive,
  createRecordRepository,
  liveInWorkspace,
  notFound,
} from '../record-repository';
import { type RepositoryContext, readTogether } from '../repository-context';

type JourneyRow = Record<string, unknown> & {
  id: string;
  initialStateKey: string;
  agentId: string;
};
type ParsedDocument = ReturnType<typeof journeyDocumentSchema.parse>;

/** Journeys, read and written whole: a header row, its states, transitions and scoped guidelines. */
export function createJourneyRepository(context: RepositoryContext): JourneyRepository {
  const { schema, workspaceId } = context;
  const { journey, journeyState, journeyTransition, journeyGuideline } = schema;

  const headers = createRecordRepository<JourneyRow, JourneyInput, JourneyPatch, JourneyListFilter>(
    context,
    {
      entity: 'journey',
      table: journey,
      inputSchema: journeyInputSchema,
      patchSchema: journeyPatchSchema,
      parents: [{ field: 'agentId', table: schema.agent, entity: 'agent' }],
      filterSchema: journeyListFilterSchema,
      filters: (filter) => [eq(journey.agentId, filter.agentId)],
    },
  );

  /** Attaches states, transitions and live scoped guidelines to header rows, in three queries. */
  async function assemble(rows: JourneyRow[]): Promise<Journey[]> {
    if (rows.length === 0) return [];
    const journeyIds = rows.map((row) => row.id);
    const [states, transitions, guidelineLinks] = await withDatabaseErrors(
      { entity: 'journey', operation: 'read' },
      () =>
        readTogether(context, [
          () =>
            context.database
              .select()
              .from(journeyState)
              .where(
                and(
                  eq(journeyState.workspaceId, workspaceId),
                  inArray(journeyState.journeyId, journeyIds),
                ),
              )
              .orderBy(asc(journeyState.position)),
          () =>
            context.database
              .select()
              .from(journeyTransition)
              .where(
                and(
                  eq(journeyTransition.workspaceId, workspaceId),
                  inArray(journeyTransition.journeyId, journeyIds),
                ),
              )
              .orderBy(asc(journeyTransition.position)),
          () =>
            context.database
              .select({
                journeyId: journeyGuideline.journeyId,
                guidelineId: journeyGuideline.guidelineId,
              })
              .from(journeyGuideline)
              .innerJoin(
                schema.guideline,
                and(
                  eq(schema.guideline.workspaceId, journeyGuideline.workspaceId),
                  eq(schema.guideline.id, journeyGuideline.guidelineId),
                ),
              )
              .where(
                and(
                  eq(journeyGuideline.workspaceId, workspaceId),
                  inArray(journeyGuideline.journeyId, journeyIds),
                  isNull(schema.guideline.archivedAt),
                ),
              )
              .orderBy(asc(journeyGuideline.guidelineId)),
        ]),
    );
    const keyByStateId = new Map(states.map((state) => [state.id, state.key]));
    return rows.map((row) => {
      const { initialStateKey, ...header } = row;
      return {
        ...(header as Omit<Journey, 'initialState' | 'states' | 'transitions' | 'guidelineIds'>),
        initialState: initialStateKey,
        states: states
          .filter((state) => state.journeyId === row.id)
          .map(({ id, key, kind, action, toolId, description, retrieverIds }) => ({
            id,
            key,
            kind,
            action,
            toolId,
            description,
            retrieverIds,
          })),
        transitions: transitions
          .filter((transition) => transition.journeyId === row.id)
          .map(({ id, fromStateId, toStateId, condition, when }) => ({
            id,
            fromStateId,
            toStateId,
            from: keyByStateId.get(fromStateId) ?? '',
            to: keyByStateId.get(toStateId) ?? '',
            condition,
            when: when ?? null,
          })),
        guidelineIds: guidelineLinks
          .filter((link) => link.journeyId === row.id)
          .map((link) => link.guidelineId),
      };
    });
  }

  /** Checks the document's references: tools live in the workspace, guidelines of the same agent. */
  async function checkReferences(agentId: string, document: ParsedDocument): Promise<void> {
    const toolIds = [
      ...new Set(document.states.flatMap((state) => (state.toolId ? [state.toolId] : []))),
    ];
    for (const toolId of toolIds) await assertLive(context, schema.tool, 'tool', toolId);
    const guidelineIds = [...new Set(document.guidelineIds ?? [])];
    if (guidelineIds.length === 0) return;
    const found = await context.database
      .select({ id: schema.guideline.id })
      .from(schema.guideline)
      .where(
        and(
          liveInWorkspace(schema.guideline, workspaceId),
          eq(schema.guideline.agentId, agentId),
          inArray(schema.guideline.id, guidelineIds),
        ),
      );
    const foundIds = new Set(found.map((row) => row.id));
    const missing = guidelineIds.find((guidelineId) => !foundIds.has(guidelineId));
    if (missing !== undefined) throw notFound('guideline', missing);
  }

  /** Writes the document's states (keeping ids by key), transitions and guideline links. */
  async function writeGraph(
    database: AnyPgDatabase,
    journeyId: string,
    document: ParsedDocument,
    now: Date,
  ) {
    const existing = await database
      .select({ id: journeyState.id, key: journeyState.key })
      .from(journeyState)
      .where(and(eq(journeyState.workspaceId, workspaceId), eq(journeyState.journeyId, journeyId)));
    const idByKey = new Map(existing.map((state) => [state.key, state.id]));
    const keptKeys = document.states.map((state) => state.key);

    await database
      .delete(journeyTransition)
      .where(
        and(
          eq(journeyTransition.workspaceId, workspaceId),
          eq(journeyTransition.journeyId, journeyId),
        ),
      );
    await database
      .delete(journeyState)
      .where(
        and(
          eq(journeyState.workspaceId, workspaceId),
          eq(journeyState.journeyId, journeyId),
          keptKeys.length > 0 ? notInArray(journeyState.key, keptKeys) : undefined,
        ),
      );

    for (const [position, state] of document.states.entries()) {
      const values = {
        kind: state.kind,
        action: state.action ?? null,
        toolId: state.toolId ?? null,
        description: state.description ?? '',
        retrieverIds: [...new Set(state.retrieverIds ?? [])],
        position,
        updatedAt: now,
      };
      const stateId = idByKey.get(state.key);
      if (stateId) {
        await database
          .update(journeyState)
          .set(values)
          .where(and(eq(journeyState.workspaceId, workspaceId), eq(journeyState.id, stateId)));
      } else {
        const [inserted] = await database
          .insert(journeyState)
          .values({ ...values, workspaceId, journeyId, key: state.key, createdAt: now })
          .returning({ id: journeyState.id });
        idByKey.set(state.key, (inserted as { id: string }).id);
      }
    }

    if (document.transitions.length > 0) {
      await database.insert(journeyTransition).values(
        document.transitions.map((transition, position) => ({
          workspaceId,
          journeyId,
          fromStateId: idByKey.get(transition.from) as string,
          toStateId: idByKey.get(transition.to) as string,
          condition: transition.condition ?? null,
          when: transition.when ?? null,
          position,
          createdAt: now,
          updatedAt: now,
        })),
      );
    }

    await database
      .delete(journeyGuideline)
      .where(
        and(
          eq(journeyGuideline.workspaceId, workspaceId),
          eq(journeyGuideline.journeyId, journeyId),
        ),
      );
    const guidelineIds = [...new Set(document.guidelineIds ?? [])];
    if (guidelineIds.length > 0) {
      await database.insert(journeyGuideline).values(
        guidelineIds.map((guidelineId) => ({
          workspaceId,
          journeyId,
          guidelineId,
          createdAt: now,
        })),
      );
    }
  }

  const headerValues = (document: ParsedDocument) => ({
    key: document.key ?? null,
    title: document.title,
    description: document.description ?? '',
    conditions: document.conditions,
    enabled: document.enabled ?? true,
    tags: document.tags ?? [],
    labels: document.labels ?? [],
    customerTags: document.customerTags ?? [],
    metadata: document.metadata ?? {},
    initialStateKey: document.initialState,
  });

  async function find(id: string): Promise<Journey | null> {
    const row = await headers.find(id);
    return row ? ((await assemble([row]))[0] ?? null) : null;
  }

  async function get(id: string): Promise<Journey> {
    const found = await find(id);
    if (!found) throw notFound('journey', id);
    return found;
  }

  return {
    get,
    find,
    archive: headers.archive,
    delete: headers.delete,

    async create(input) {
      const parsed = parseInput(journeyInputSchema, input, 'journey');
      await assertLive(context, schema.agent, 'agent', parsed.agentId);
      await checkReferences(parsed.agentId, parsed);
      const now = context.clock.now();
      const journeyId = await withDatabaseErrors({ entity: 'journey', operation: 'write' }, () =>
        context.database.transaction(async (transaction) => {
          const [row] = await transaction
            .insert(journey)
            .values({
              ...headerValues(parsed),
              workspaceId,
              agentId: parsed.agentId,
              createdAt: now,
              updatedAt: now,
            })
            .returning({ id: journey.id });
          const id = (row as { id: string }).id;
          await writeGraph(transaction, id, parsed, now);
          return id;
        }),
      );
      return get(journeyId);
    },

    async update(id, patch) {
      const row = await headers.update(id, patch);
      return (await assemble([row]))[0] as Journey;
    },

    async replace(id, document: JourneyDocument) {
      const parsed = parseInput(journeyDocumentSchema, document, 'journey');
      const current = await headers.get(id);
      await checkReferences(current.agentId, parsed);
      const now = context.clock.now();
      await withDatabaseErrors({ entity: 'journey', operation: 'write' }, () =>
        context.database.transaction(async (transaction) => {
          const updated = await transaction
            .update(journey)
            .set({ ...headerValues(parsed), updatedAt: now })
            .where(and(liveInWorkspace(journey, workspaceId), eq(journey.id, id)))
            .returning({ id: journey.id });
          if (updated.length === 0) throw notFound('journey', id);
          await writeGraph(transaction, id, parsed, now);
        }),
      );
      return get(id);
    },

    async list(options) {
      const page = await headers.list(options);
      return { items: await assemble(page.items), nextCursor: page.nextCursor };
    },
  };
}
