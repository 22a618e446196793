import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import type { AgentApiKeyPermission } from '../domain/agent-api-key';
import type { WorkflowTrigger } from '../domain/agent-workflow';
import type { CompositionMode, JsonValue, Metadata } from '../domain/common';
import type { EventKind, EventSource } from '../domain/event';
import type { Criticality } from '../domain/guideline';
import type { JourneyStateKind, JourneyTransitionPredicate } from '../domain/journey';
import type { RelationshipKind } from '../domain/relationship';
import type { SessionMode, SessionStatus, SessionTurnState } from '../domain/session';
import type { WorkflowRunStatus, WorkflowRunTrigger } from '../domain/session-workflow';
import type { VariableFreshness, VariableScope } from '../domain/variable';

/** Options of {@link createParleySchema}. */
export interface ParleySchemaOptions {
  /** Prefix of every table name; default `parley_` (a host like Sim already has `session` and `agent`). */
  prefix?: string;
  /**
   * Columns of the host's own tables to reference. With `workspace`, every `workspace_id`
   * gets a foreign key that cascades when the workspace is deleted; with `user`, creator and
   * customer user columns are set to null when the user is deleted. Without them the columns
   * are plain `text` (standalone mode).
   */
  references?: {
    workspace?: () => AnyPgColumn;
    user?: () => AnyPgColumn;
    /**
     * The host's knowledge-base id column (Sim's `knowledge_base.id`): with it, an agent's
     * link to a knowledge base cascades when the knowledge base is deleted.
     */
    knowledgeBase?: () => AnyPgColumn;
  };
  /** Generates ids of new rows; default UUID v4. */
  generateId?: () => string;
}

/** The default id generator: a random UUID v4, as Sim's tables use. */
export const generateUuid = (): string => globalThis.crypto.randomUUID();

const emptyTextArray = sql`'{}'::text[]`;

/**
 * Builds Parley's drizzle tables. Hosts that keep Parley's tables in their own drizzle schema
 * call this with their prefix and references; everyone else uses the default tables of
 * `@parley/core/schema` and its shipped migrations.
 */
export function createParleySchema(options: ParleySchemaOptions = {}) {
  const prefix = options.prefix ?? 'parley_';
  const generateId = options.generateId ?? generateUuid;
  const references = options.references ?? {};
  const name = (table: string) => `${prefix}${table}`;

  // Every table declares `workspace_id` before `id`: drizzle-kit push reads a composite key's
  // columns back in table order, so `(workspace_id, id)` keys and the foreign keys onto them
  // must follow it, or each push would try to re-create them under their dependants.
  const id = () => text('id').primaryKey().$defaultFn(generateId);
  const workspaceId = () => {
    const column = text('workspace_id').notNull();
    return references.workspace
      ? column.references(references.workspace, { onDelete: 'cascade' })
      : column;
  };
  const userReference = (column: string) => {
    const base = text(column);
    return references.user ? base.references(references.user, { onDelete: 'set null' }) : base;
  };
  const timestampColumn = (column: string) =>
    timestamp(column, { withTimezone: true, mode: 'date' });
  const timestamps = () => ({
    createdAt: timestampColumn('created_at').notNull().defaultNow(),
    updatedAt: timestampColumn('updated_at').notNull().defaultNow(),
  });
  const archivedAt = () => timestampColumn('archived_at');
  const metadata = () => jsonb('metadata').$type<Metadata>().notNull().default({});
  const textArray = (column: string) => text(column).array().notNull().default(emptyTextArray);
  const live = (archived: AnyPgColumn): SQL => sql`${archived} is null`;

  const agent = pgTable(
    name('agent'),
    {
      workspaceId: workspaceId(),
      id: id(),
      name: text('name').notNull(),
      description: text('description').notNull().default(''),
      compositionMode: text('composition_mode').$type<CompositionMode>().notNull().default('fluid'),
      /** Retrievers (by the engine's ids) searched in every turn of the agent. */
      retrieverIds: textArray('retriever_ids'),
      metadata: metadata(),
      createdBy: userReference('created_by'),
      /**
       * Bumped by the shipped migrations' triggers whenever anything the agent's turns read
       * changes (guidelines, journeys, tools…), so caches check one number per turn.
       */
      catalogRevision: bigint('catalog_revision', { mode: 'number' }).notNull().default(0),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('agent_workspace_id_id_key')).on(table.workspaceId, table.id),
      uniqueIndex(name('agent_workspace_id_name_idx'))
        .on(table.workspaceId, table.name)
        .where(live(table.archivedAt)),
      index(name('agent_workspace_id_created_at_idx')).on(table.workspaceId, table.createdAt),
    ],
  );

  const guideline = pgTable(
    name('guideline'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      key: text('key'),
      condition: text('condition').notNull(),
      action: text('action'),
      criticality: text('criticality').$type<Criticality>().notNull().default('medium'),
      tags: textArray('tags'),
      enabled: boolean('enabled').notNull().default(true),
      pinned: boolean('pinned').notNull().default(false),
      priority: integer('priority').notNull().default(0),
      examples: textArray('examples'),
      compositionMode: text('composition_mode').$type<CompositionMode>(),
      /** Labels a session gains when the guideline applies in one of its turns. */
      labels: textArray('labels'),
      /** Only customers with one of these tags see the guideline; empty: everyone. */
      customerTags: textArray('customer_tags'),
      /** Retrievers whose passages the turn keeps when the guideline applies. */
      retrieverIds: textArray('retriever_ids'),
      metadata: metadata(),
      version: integer('version').notNull().default(1),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('guideline_workspace_id_id_key')).on(table.workspaceId, table.id),
      foreignKey({
        name: name('guideline_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      uniqueIndex(name('guideline_agent_id_key_idx'))
        .on(table.agentId, table.key)
        .where(sql`${table.key} is not null and ${table.archivedAt} is null`),
      index(name('guideline_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
    ],
  );

  const guidelineRelationship = pgTable(
    name('guideline_relationship'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      kind: text('kind').$type<RelationshipKind>().notNull(),
      sourceGuidelineId: text('source_guideline_id').notNull(),
      targetGuidelineId: text('target_guideline_id').notNull(),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      foreignKey({
        name: name('guideline_relationship_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('guideline_relationship_source_fk'),
        columns: [table.workspaceId, table.sourceGuidelineId],
        foreignColumns: [guideline.workspaceId, guideline.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('guideline_relationship_target_fk'),
        columns: [table.workspaceId, table.targetGuidelineId],
        foreignColumns: [guideline.workspaceId, guideline.id],
      }).onDelete('cascade'),
      uniqueIndex(name('guideline_relationship_source_target_kind_idx'))
        .on(table.sourceGuidelineId, table.targetGuidelineId, table.kind)
        .where(live(table.archivedAt)),
      index(name('guideline_relationship_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
      index(name('guideline_relationship_target_guideline_id_idx')).on(table.targetGuidelineId),
    ],
  );

  const tool = pgTable(
    name('tool'),
    {
      workspaceId: workspaceId(),
      id: id(),
      name: text('name').notNull(),
      description: text('description').notNull(),
      parameters: jsonb('parameters').$type<Record<string, JsonValue>>().notNull().default({}),
      metadata: metadata(),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('tool_workspace_id_id_key')).on(table.workspaceId, table.id),
      uniqueIndex(name('tool_workspace_id_name_idx'))
        .on(table.workspaceId, table.name)
        .where(live(table.archivedAt)),
      index(name('tool_workspace_id_created_at_idx')).on(table.workspaceId, table.createdAt),
    ],
  );

  const agentTool = pgTable(
    name('agent_tool'),
    {
      workspaceId: workspaceId(),
      agentId: text('agent_id').notNull(),
      toolId: text('tool_id').notNull(),
      createdAt: timestampColumn('created_at').notNull().defaultNow(),
    },
    (table) => [
      primaryKey({ name: name('agent_tool_pkey'), columns: [table.agentId, table.toolId] }),
      foreignKey({
        name: name('agent_tool_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('agent_tool_tool_fk'),
        columns: [table.workspaceId, table.toolId],
        foreignColumns: [tool.workspaceId, tool.id],
      }).onDelete('cascade'),
      index(name('agent_tool_tool_id_idx')).on(table.toolId),
    ],
  );

  /**
   * The host's knowledge bases an agent draws on: retrievers read these ids (Sim's
   * `knowledge_base.id`) from each turn's request to filter the host's chunks.
   */
  const agentKnowledgeBase = pgTable(
    name('agent_knowledge_base'),
    {
      workspaceId: workspaceId(),
      agentId: text('agent_id').notNull(),
      knowledgeBaseId: text('knowledge_base_id').notNull(),
      createdAt: timestampColumn('created_at').notNull().defaultNow(),
    },
    (table) => [
      primaryKey({
        name: name('agent_knowledge_base_pkey'),
        columns: [table.agentId, table.knowledgeBaseId],
      }),
      foreignKey({
        name: name('agent_knowledge_base_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      // Named here: the name drizzle derives is longer than PostgreSQL's 63 characters.
      ...(references.knowledgeBase
        ? [
            foreignKey({
              name: name('agent_knowledge_base_knowledge_base_fk'),
              columns: [table.knowledgeBaseId],
              foreignColumns: [references.knowledgeBase()],
            }).onDelete('cascade'),
          ]
        : []),
      index(name('agent_knowledge_base_knowledge_base_id_idx')).on(table.knowledgeBaseId),
    ],
  );

  const guidelineTool = pgTable(
    name('guideline_tool'),
    {
      workspaceId: workspaceId(),
      guidelineId: text('guideline_id').notNull(),
      toolId: text('tool_id').notNull(),
      createdAt: timestampColumn('created_at').notNull().defaultNow(),
    },
    (table) => [
      primaryKey({
        name: name('guideline_tool_pkey'),
        columns: [table.guidelineId, table.toolId],
      }),
      foreignKey({
        name: name('guideline_tool_guideline_fk'),
        columns: [table.workspaceId, table.guidelineId],
        foreignColumns: [guideline.workspaceId, guideline.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('guideline_tool_tool_fk'),
        columns: [table.workspaceId, table.toolId],
        foreignColumns: [tool.workspaceId, tool.id],
      }).onDelete('cascade'),
      index(name('guideline_tool_tool_id_idx')).on(table.toolId),
    ],
  );

  const journey = pgTable(
    name('journey'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      key: text('key'),
      title: text('title').notNull(),
      description: text('description').notNull().default(''),
      conditions: textArray('conditions'),
      enabled: boolean('enabled').notNull().default(true),
      tags: textArray('tags'),
      /** Labels a session gains when the journey starts or goes on in one of its turns. */
      labels: textArray('labels'),
      /** Only customers with one of these tags see the journey; empty: everyone. */
      customerTags: textArray('customer_tags'),
      metadata: metadata(),
      initialStateKey: text('initial_state_key').notNull(),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('journey_workspace_id_id_key')).on(table.workspaceId, table.id),
      foreignKey({
        name: name('journey_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      uniqueIndex(name('journey_agent_id_key_idx'))
        .on(table.agentId, table.key)
        .where(sql`${table.key} is not null and ${table.archivedAt} is null`),
      index(name('journey_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
    ],
  );

  const journeyState = pgTable(
    name('journey_state'),
    {
      workspaceId: workspaceId(),
      id: id(),
      journeyId: text('journey_id').notNull(),
      key: text('key').notNull(),
      kind: text('kind').$type<JourneyStateKind>().notNull(),
      action: text('action'),
      toolId: text('tool_id'),
      description: text('description').notNull().default(''),
      /** Retrievers whose passages the turn keeps while the journey is at this state. */
      retrieverIds: textArray('retriever_ids'),
      position: integer('position').notNull(),
      ...timestamps(),
    },
    (table) => [
      unique(name('journey_state_workspace_id_id_key')).on(table.workspaceId, table.id),
      foreignKey({
        name: name('journey_state_journey_fk'),
        columns: [table.workspaceId, table.journeyId],
        foreignColumns: [journey.workspaceId, journey.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('journey_state_tool_fk'),
        columns: [table.workspaceId, table.toolId],
        foreignColumns: [tool.workspaceId, tool.id],
      }),
      uniqueIndex(name('journey_state_journey_id_key_idx')).on(table.journeyId, table.key),
      index(name('journey_state_tool_id_idx')).on(table.toolId),
    ],
  );

  const journeyTransition = pgTable(
    name('journey_transition'),
    {
      workspaceId: workspaceId(),
      id: id(),
      journeyId: text('journey_id').notNull(),
      fromStateId: text('from_state_id').notNull(),
      toStateId: text('to_state_id').notNull(),
      condition: text('condition'),
      when: jsonb('when').$type<JourneyTransitionPredicate>(),
      position: integer('position').notNull(),
      ...timestamps(),
    },
    (table) => [
      foreignKey({
        name: name('journey_transition_journey_fk'),
        columns: [table.workspaceId, table.journeyId],
        foreignColumns: [journey.workspaceId, journey.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('journey_transition_from_state_fk'),
        columns: [table.workspaceId, table.fromStateId],
        foreignColumns: [journeyState.workspaceId, journeyState.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('journey_transition_to_state_fk'),
        columns: [table.workspaceId, table.toStateId],
        foreignColumns: [journeyState.workspaceId, journeyState.id],
      }).onDelete('cascade'),
      index(name('journey_transition_journey_id_idx')).on(table.journeyId),
      index(name('journey_transition_from_state_id_idx')).on(table.fromStateId),
      index(name('journey_transition_to_state_id_idx')).on(table.toStateId),
    ],
  );

  const journeyGuideline = pgTable(
    name('journey_guideline'),
    {
      workspaceId: workspaceId(),
      journeyId: text('journey_id').notNull(),
      guidelineId: text('guideline_id').notNull(),
      createdAt: timestampColumn('created_at').notNull().defaultNow(),
    },
    (table) => [
      primaryKey({
        name: name('journey_guideline_pkey'),
        columns: [table.journeyId, table.guidelineId],
      }),
      foreignKey({
        name: name('journey_guideline_journey_fk'),
        columns: [table.workspaceId, table.journeyId],
        foreignColumns: [journey.workspaceId, journey.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('journey_guideline_guideline_fk'),
        columns: [table.workspaceId, table.guidelineId],
        foreignColumns: [guideline.workspaceId, guideline.id],
      }).onDelete('cascade'),
      index(name('journey_guideline_guideline_id_idx')).on(table.guidelineId),
    ],
  );

  const customer = pgTable(
    name('customer'),
    {
      workspaceId: workspaceId(),
      id: id(),
      externalId: text('external_id'),
      userId: userReference('user_id'),
      name: text('name'),
      email: text('email'),
      tags: textArray('tags'),
      metadata: metadata(),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('customer_workspace_id_id_key')).on(table.workspaceId, table.id),
      uniqueIndex(name('customer_workspace_id_external_id_idx'))
        .on(table.workspaceId, table.externalId)
        .where(sql`${table.externalId} is not null and ${table.archivedAt} is null`),
      index(name('customer_workspace_id_created_at_idx')).on(table.workspaceId, table.createdAt),
    ],
  );

  const session = pgTable(
    name('session'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      customerId: text('customer_id'),
      mode: text('mode').$type<SessionMode>().notNull().default('auto'),
      status: text('status').$type<SessionStatus>().notNull().default('active'),
      title: text('title'),
      metadata: metadata(),
      /** Set by operators and added to by turns (the labels of what applied); filters listings. */
      labels: textArray('labels'),
      /** The offset the next appended event takes; advanced inside the appending statement. */
      nextEventOffset: integer('next_event_offset').notNull().default(0),
      /** What the engine carries from one turn to the next (active journey, applied guidelines). */
      turnState: jsonb('turn_state').$type<SessionTurnState>().notNull().default({}),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('session_workspace_id_id_key')).on(table.workspaceId, table.id),
      foreignKey({
        name: name('session_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('session_customer_fk'),
        columns: [table.workspaceId, table.customerId],
        foreignColumns: [customer.workspaceId, customer.id],
      }).onDelete('cascade'),
      index(name('session_workspace_id_created_at_idx')).on(table.workspaceId, table.createdAt),
      index(name('session_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
      index(name('session_workspace_id_customer_id_idx')).on(
        table.workspaceId,
        table.customerId,
        table.createdAt,
      ),
      // Serves `labels @> array[…]`, the listing's label filter.
      index(name('session_labels_idx')).using('gin', table.labels),
    ],
  );

  const variable = pgTable(
    name('variable'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      name: text('name').notNull(),
      description: text('description').notNull().default(''),
      toolId: text('tool_id'),
      freshness: jsonb('freshness').$type<VariableFreshness>(),
      defaultValue: jsonb('default_value').$type<unknown>(),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('variable_workspace_id_id_key')).on(table.workspaceId, table.id),
      foreignKey({
        name: name('variable_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('variable_tool_fk'),
        columns: [table.workspaceId, table.toolId],
        foreignColumns: [tool.workspaceId, tool.id],
      }),
      uniqueIndex(name('variable_agent_id_name_idx'))
        .on(table.agentId, table.name)
        .where(live(table.archivedAt)),
      index(name('variable_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
      index(name('variable_tool_id_idx')).on(table.toolId),
    ],
  );

  const variableValue = pgTable(
    name('variable_value'),
    {
      workspaceId: workspaceId(),
      id: id(),
      variableId: text('variable_id').notNull(),
      scope: text('scope').$type<VariableScope>().notNull(),
      scopeKey: text('scope_key').notNull(),
      /** Set for session-scoped values, so they go with their session. */
      sessionId: text('session_id'),
      /** Set for customer-scoped values, so they go with their customer. */
      customerId: text('customer_id'),
      value: jsonb('value').$type<unknown>().notNull(),
      refreshedAt: timestampColumn('refreshed_at').notNull().defaultNow(),
      ...timestamps(),
    },
    (table) => [
      foreignKey({
        name: name('variable_value_variable_fk'),
        columns: [table.workspaceId, table.variableId],
        foreignColumns: [variable.workspaceId, variable.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('variable_value_session_fk'),
        columns: [table.workspaceId, table.sessionId],
        foreignColumns: [session.workspaceId, session.id],
      }).onDelete('cascade'),
      foreignKey({
        name: name('variable_value_customer_fk'),
        columns: [table.workspaceId, table.customerId],
        foreignColumns: [customer.workspaceId, customer.id],
      }).onDelete('cascade'),
      uniqueIndex(name('variable_value_variable_id_scope_scope_key_idx')).on(
        table.variableId,
        table.scope,
        table.scopeKey,
      ),
      index(name('variable_value_session_id_idx')).on(table.sessionId),
      index(name('variable_value_customer_id_idx')).on(table.customerId),
    ],
  );

  const term = pgTable(
    name('term'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      name: text('name').notNull(),
      description: text('description').notNull(),
      synonyms: textArray('synonyms'),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      foreignKey({
        name: name('term_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      // A column beside an expression is written as one too: drizzle-kit push reads every
      // column of such an index back as an expression, and would re-create it on each push.
      uniqueIndex(name('term_agent_id_name_idx'))
        .on(sql`${table.agentId}`, sql`lower(${table.name})`)
        .where(live(table.archivedAt)),
      index(name('term_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
    ],
  );

  const cannedResponse = pgTable(
    name('canned_response'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      template: text('template').notNull(),
      fields: textArray('fields'),
      tags: textArray('tags'),
      metadata: metadata(),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      foreignKey({
        name: name('canned_response_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      index(name('canned_response_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
    ],
  );

  const agentKey = pgTable(
    name('agent_key'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      name: text('name').notNull(),
      /** SHA-256 of the publishable key; the key itself is never stored. */
      keyHash: text('key_hash').notNull(),
      keyPrefix: text('key_prefix').notNull(),
      allowedOrigins: textArray('allowed_origins'),
      revokedAt: timestampColumn('revoked_at'),
      lastUsedAt: timestampColumn('last_used_at'),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      foreignKey({
        name: name('agent_key_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      uniqueIndex(name('agent_key_key_hash_idx')).on(table.keyHash),
      index(name('agent_key_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
    ],
  );

  const agentApiKey = pgTable(
    name('agent_api_key'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      name: text('name').notNull(),
      /** SHA-256 of the secret key; the key itself is never stored. */
      keyHash: text('key_hash').notNull(),
      keyPrefix: text('key_prefix').notNull(),
      permissions: text('permissions').array().$type<AgentApiKeyPermission[]>().notNull(),
      expiresAt: timestampColumn('expires_at'),
      revokedAt: timestampColumn('revoked_at'),
      lastUsedAt: timestampColumn('last_used_at'),
      createdBy: userReference('created_by'),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      foreignKey({
        name: name('agent_api_key_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      uniqueIndex(name('agent_api_key_key_hash_idx')).on(table.keyHash),
      index(name('agent_api_key_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
    ],
  );

  /**
   * The host's workflows an agent runs: as a tool (`tool_name`, its parameters the workflow's
   * input schema) and on session events (`triggers`).
   */
  const agentWorkflow = pgTable(
    name('agent_workflow'),
    {
      workspaceId: workspaceId(),
      id: id(),
      agentId: text('agent_id').notNull(),
      workflowId: text('workflow_id').notNull(),
      name: text('name').notNull(),
      description: text('description').notNull().default(''),
      toolName: text('tool_name'),
      inputSchema: jsonb('input_schema').$type<Record<string, JsonValue>>().notNull(),
      triggers: text('triggers')
        .array()
        .$type<WorkflowTrigger[]>()
        .notNull()
        .default(emptyTextArray),
      timeoutMs: integer('timeout_ms').notNull().default(30_000),
      enabled: boolean('enabled').notNull().default(true),
      ...timestamps(),
      archivedAt: archivedAt(),
    },
    (table) => [
      unique(name('agent_workflow_workspace_id_id_key')).on(table.workspaceId, table.id),
      foreignKey({
        name: name('agent_workflow_agent_fk'),
        columns: [table.workspaceId, table.agentId],
        foreignColumns: [agent.workspaceId, agent.id],
      }).onDelete('cascade'),
      uniqueIndex(name('agent_workflow_agent_id_tool_name_idx'))
        .on(table.agentId, table.toolName)
        .where(sql`${table.archivedAt} is null and ${table.toolName} is not null`),
      index(name('agent_workflow_workspace_id_agent_id_idx')).on(
        table.workspaceId,
        table.agentId,
        table.createdAt,
      ),
    ],
  );

  /** Each execution of a workflow for a session: why, how it went, what it gave. */
  const sessionWorkflow = pgTable(
    name('session_workflow'),
    {
      workspaceId: workspaceId(),
      id: id(),
      sessionId: text('session_id').notNull(),
      agentWorkflowId: text('agent_workflow_id'),
      workflowId: text('workflow_id').notNull(),
      trigger: text('trigger').$type<WorkflowRunTrigger>().notNull(),
      status: text('status').$type<WorkflowRunStatus>().notNull(),
      input: jsonb('input').$type<Record<string, JsonValue>>().notNull(),
      output: jsonb('output').$type<JsonValue>(),
      error: jsonb('error').$type<{ code: string; message: string }>(),
      executionId: text('execution_id'),
      durationMs: integer('duration_ms'),
      ...timestamps(),
    },
    (table) => [
      foreignKey({
        name: name('session_workflow_session_fk'),
        columns: [table.workspaceId, table.sessionId],
        foreignColumns: [session.workspaceId, session.id],
      }).onDelete('cascade'),
      // On the id alone, so deleting the link clears this column and keeps the run's record
      // (a composite key would null workspace_id too); the store writes ids of its workspace.
      foreignKey({
        name: name('session_workflow_agent_workflow_fk'),
        columns: [table.agentWorkflowId],
        foreignColumns: [agentWorkflow.id],
      }).onDelete('set null'),
      index(name('session_workflow_session_id_created_at_idx')).on(
        table.sessionId,
        table.createdAt,
      ),
      index(name('session_workflow_agent_workflow_id_idx')).on(table.agentWorkflowId),
    ],
  );

  const event = pgTable(
    name('event'),
    {
      workspaceId: workspaceId(),
      id: id(),
      sessionId: text('session_id').notNull(),
      offset: integer('offset').notNull(),
      kind: text('kind').$type<EventKind>().notNull(),
      source: text('source').$type<EventSource>().notNull(),
      traceId: text('trace_id').notNull(),
      data: jsonb('data').$type<Record<string, unknown>>().notNull(),
      createdAt: timestampColumn('created_at').notNull().defaultNow(),
    },
    (table) => [
      foreignKey({
        name: name('event_session_fk'),
        columns: [table.workspaceId, table.sessionId],
        foreignColumns: [session.workspaceId, session.id],
      }).onDelete('cascade'),
      uniqueIndex(name('event_session_id_offset_idx')).on(table.sessionId, table.offset),
      // The column is written as an expression for drizzle-kit push (see term_agent_id_name_idx).
      uniqueIndex(name('event_session_id_client_message_id_idx'))
        .on(sql`${table.sessionId}`, sql`(${table.data} ->> 'clientMessageId')`)
        .where(
          sql`${table.kind} = 'message' and (${table.data} ->> 'clientMessageId') is not null`,
        ),
      index(name('event_message_text_idx'))
        .using('gin', sql`to_tsvector('simple', ${table.data} ->> 'text')`)
        .where(sql`${table.kind} = 'message'`),
      index(name('event_workspace_id_created_at_idx')).on(table.workspaceId, table.createdAt),
    ],
  );

  return {
    agent,
    guideline,
    guidelineRelationship,
    tool,
    agentTool,
    agentKnowledgeBase,
    guidelineTool,
    journey,
    journeyState,
    journeyTransition,
    journeyGuideline,
    customer,
    session,
    variable,
    variableValue,
    term,
    cannedResponse,
    agentKey,
    agentApiKey,
    agentWorkflow,
    sessionWorkflow,
    event,
  };
}

/** The tables of one Parley schema, as {@link createParleySchema} returns them. */
export type ParleySchema = ReturnType<typeof createParleySchema>;
