/**
 * @module The host's own tables, as Sim writes them: all in `public`, snake_case singular names,
 * `text` ids (UUID v4 made in code), `text` foreign keys, `created_at`/`updated_at`, and soft
 * deletion by `archived_at`/`deleted_at`. drizzle-kit reads this file (`drizzle.config.ts`) and
 * sees only top-level named exports, so every table is one.
 */
import { type SQL, sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  integer,
  json,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  vector,
} from 'drizzle-orm/pg-core';

/** PostgreSQL's full-text `tsvector`, which drizzle has no column type for. */
const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});

/** A text primary key holding a UUID v4 made in code, as every table of Sim's has. */
const id = () =>
  text('id')
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID());
const createdAt = () => timestamp('created_at').notNull().defaultNow();
const updatedAt = () =>
  timestamp('updated_at')
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** A person who signs in. */
export const user = pgTable('user', {
  id: id(),
  name: text('name').notNull(),
  email: text('email').notNull().unique(),
  emailVerified: boolean('email_verified').notNull().default(false),
  image: text('image'),
  /** Site-wide role (`user` or `admin`); rights inside a workspace live in `permissions`. */
  role: text('role').notNull().default('user'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A signed-in browser: the session cookie holds `token`. */
export const session = pgTable(
  'session',
  {
    id: id(),
    token: text('token').notNull().unique(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at').notNull(),
    /** Sim's organizations are not part of this example: the column is kept, unreferenced. */
    activeOrganizationId: text('active_organization_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index('session_user_id_idx').on(table.userId)],
);

/** Where everything else lives; users reach one through `permissions`. */
export const workspace = pgTable(
  'workspace',
  {
    id: id(),
    name: text('name').notNull(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    /** As `session.active_organization_id`: kept, unreferenced. */
    organizationId: text('organization_id'),
    /**
     * The publishable key (`pk_…`) of the Parley agent the public site shows, or null for none:
     * an admin issues it through Parley's operator routes and saves it here
     * (`PUT /api/workspaces/:id/parley-agent-key`). Publishable: it is meant to be in the page.
     */
    parleyAgentKey: text('parley_agent_key'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /** Workspaces are archived, rarely deleted. */
    archivedAt: timestamp('archived_at'),
  },
  (table) => [index('workspace_owner_id_idx').on(table.ownerId)],
);

/** The three levels of right a user can hold on an entity, highest first. */
export const permissionType = pgEnum('permission_type', ['admin', 'write', 'read']);

/** One user's right on one entity (`entity_type` is `'workspace'` for a workspace). */
export const permissions = pgTable(
  'permissions',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    permissionType: permissionType('permission_type').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('permissions_unique_constraint').on(table.userId, table.entityType, table.entityId),
    index('permissions_entity_idx').on(table.entityType, table.entityId),
  ],
);

/** A workspace's collection of documents, chunked and embedded for retrieval. */
export const knowledgeBase = pgTable(
  'knowledge_base',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    workspaceId: text('workspace_id').references(() => workspace.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    embeddingModel: text('embedding_model').notNull().default('text-embedding-3-small'),
    embeddingDimension: integer('embedding_dimension').notNull().default(1536),
    chunkingConfig: json('chunking_config')
      .notNull()
      .default({ maxSize: 1024, minSize: 1, overlap: 200 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at'),
  },
  (table) => [index('kb_workspace_id_idx').on(table.workspaceId)],
);

/** A file uploaded to a knowledge base; its chunks are rows of `embedding`. */
export const document = pgTable(
  'document',
  {
    id: id(),
    knowledgeBaseId: text('knowledge_base_id')
      .notNull()
      .references(() => knowledgeBase.id, { onDelete: 'cascade' }),
    filename: text('filename').notNull(),
    mimeType: text('mime_type').notNull(),
    chunkCount: integer('chunk_count').notNull().default(0),
    /** `pending`, `processing`, `completed` or `failed`. */
    processingStatus: text('processing_status').notNull().default('pending'),
    enabled: boolean('enabled').notNull().default(true),
    tag1: text('tag1'),
    tag2: text('tag2'),
    tag3: text('tag3'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    deletedAt: timestamp('deleted_at'),
  },
  (table) => [index('doc_kb_id_idx').on(table.knowledgeBaseId)],
);

/** One chunk of a document: its text, its vector and its full-text index. */
export const embedding = pgTable(
  'embedding',
  {
    id: id(),
    knowledgeBaseId: text('knowledge_base_id')
      .notNull()
      .references(() => knowledgeBase.id, { onDelete: 'cascade' }),
    documentId: text('document_id')
      .notNull()
      .references(() => document.id, { onDelete: 'cascade' }),
    chunkIndex: integer('chunk_index').notNull(),
    content: text('content').notNull(),
    tokenCount: integer('token_count').notNull(),
    /** text-embedding-3-small's 1536 dimensions (pgvector's `vector`). */
    embedding: vector('embedding', { dimensions: 1536 }),
    embeddingModel: text('embedding_model').notNull().default('text-embedding-3-small'),
    enabled: boolean('enabled').notNull().default(true),
    tag1: text('tag1'),
    tag2: text('tag2'),
    tag3: text('tag3'),
    /** Kept by PostgreSQL itself from `content`, for keyword search beside the vector one. */
    contentTsv: tsvector('content_tsv').generatedAlwaysAs(
      (): SQL => sql`to_tsvector('english', ${embedding.content})`,
    ),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index('emb_kb_id_idx').on(table.knowledgeBaseId),
    uniqueIndex('emb_doc_chunk_idx').on(table.documentId, table.chunkIndex),
    index('embedding_vector_hnsw_idx')
      .using('hnsw', table.embedding.op('vector_cosine_ops'))
      .with({ m: 16, ef_construction: 64 }),
    index('emb_content_fts_idx').using('gin', table.contentTsv),
  ],
);

/** A workspace's workflow; deployed ones can be run over HTTP. */
export const workflow = pgTable(
  'workflow',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => user.id, { onDelete: 'cascade' }),
    workspaceId: text('workspace_id').references(() => workspace.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    isDeployed: boolean('is_deployed').notNull().default(false),
    variables: json('variables').notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    archivedAt: timestamp('archived_at'),
  },
  (table) => [index('workflow_workspace_id_idx').on(table.workspaceId)],
);

/** A tool a user wrote: its parameters as JSON Schema and the code that runs it. */
export const customTools = pgTable(
  'custom_tools',
  {
    id: id(),
    workspaceId: text('workspace_id').references(() => workspace.id, { onDelete: 'cascade' }),
    userId: text('user_id').references(() => user.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    schema: json('schema').notNull(),
    code: text('code').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex('custom_tools_workspace_title_unique').on(table.workspaceId, table.title),
  ],
);

/** A row of `user`, as queries return it. */
export type User = typeof user.$inferSelect;
/** A row of `workspace`, as queries return it. */
export type Workspace = typeof workspace.$inferSelect;
/** `admin`, `write` or `read`. */
export type PermissionType = (typeof permissionType.enumValues)[number];
