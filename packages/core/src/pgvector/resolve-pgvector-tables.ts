import { type SQL, sql } from 'drizzle-orm';

/**
 * The host's chunk table, one row per chunk of a document: by default Sim's `embedding`
 * table. Every name is an identifier, quoted as such, never spliced into SQL as text.
 */
export interface PgvectorChunkTableOptions {
  /** The table's name; default `embedding`. */
  name?: string;
  /** Its schema; default the connection's `search_path`. */
  schema?: string;
  /** Column names where they differ from Sim's; see {@link PgvectorChunkColumns}. */
  columns?: Partial<PgvectorChunkColumns>;
}

/** The columns of the chunk table the retriever reads, with Sim's names as defaults. */
export interface PgvectorChunkColumns {
  /** The chunk's id, the passage's id (`id`); compared as text in the results. */
  id: string;
  /** The knowledge base the chunk belongs to (`knowledge_base_id`, text). */
  knowledgeBaseId: string;
  /** The document the chunk was cut from (`document_id`); `null` when the table has none. */
  documentId: string | null;
  /** The chunk's position in its document (`chunk_index`); `null` when the table has none. */
  chunkIndex: string | null;
  /** The chunk's text (`content`). */
  content: string;
  /** Its pgvector `vector(N)` (`embedding`), searched by cosine distance. */
  embedding: string;
  /** Whether the chunk may be found (`enabled`, boolean); `null` when every row may. */
  enabled: string | null;
  /**
   * Its `tsvector` for keyword search (`content_tsv`, GIN-indexed; in Sim a generated column
   * `to_tsvector('english', content)`). `null` computes `to_tsvector(config, content)` for
   * each row instead: no index, so for small tables only.
   */
  contentTsv: string | null;
}

/**
 * The table of documents that chunks belong to, joined for a passage's title and to leave
 * out the chunks of disabled or deleted documents: by default Sim's `document` table.
 */
export interface PgvectorDocumentTableOptions {
  /** The table's name; default `document`. */
  name?: string;
  /** Its schema; default the connection's `search_path`. */
  schema?: string;
  /** Column names where they differ from Sim's; see {@link PgvectorDocumentColumns}. */
  columns?: Partial<PgvectorDocumentColumns>;
}

/** The columns of the document table the retriever reads, with Sim's names as defaults. */
export interface PgvectorDocumentColumns {
  /** The document's id, matched by the chunk's document column (`id`). */
  id: string;
  /** What a passage's source is called (`filename`). */
  title: string;
  /** Whether the document's chunks may be found (`enabled`); `null` when every document may. */
  enabled: string | null;
  /** Set when the document was deleted (`deleted_at`); `null` when the table has no such column. */
  deletedAt: string | null;
  /** Where a reader can open the document (no default: Sim's `document` has no such column). */
  url: string | null;
}

/**
 * The host's table of knowledge bases, read to keep a workspace to its own: a chunk is found
 * only when its knowledge base belongs to the session's workspace (and is not deleted).
 * Sim's `knowledge_base` by default.
 */
export interface PgvectorKnowledgeBaseTableOptions {
  /** The table's name; default `knowledge_base`. */
  name?: string;
  /** Its schema; default the connection's `search_path`. */
  schema?: string;
  /** Column names where they differ from Sim's; see {@link PgvectorKnowledgeBaseColumns}. */
  columns?: Partial<PgvectorKnowledgeBaseColumns>;
}

/** The columns of the knowledge-base table the retriever reads, with Sim's names as defaults. */
export interface PgvectorKnowledgeBaseColumns {
  /** The knowledge base's id, matched by the chunk's knowledge-base column (`id`). */
  id: string;
  /** The workspace it belongs to, matched with the session's (`workspace_id`). */
  workspaceId: string;
  /** Set when it was deleted (`deleted_at`); `null` when the table has no such column. */
  deletedAt: string | null;
}

const simKnowledgeBaseColumns: PgvectorKnowledgeBaseColumns = {
  id: 'id',
  workspaceId: 'workspace_id',
  deletedAt: 'deleted_at',
};

const simChunkColumns: PgvectorChunkColumns = {
  id: 'id',
  knowledgeBaseId: 'knowledge_base_id',
  documentId: 'document_id',
  chunkIndex: 'chunk_index',
  content: 'content',
  embedding: 'embedding',
  enabled: 'enabled',
  contentTsv: 'content_tsv',
};

const simDocumentColumns: PgvectorDocumentColumns = {
  id: 'id',
  title: 'filename',
  enabled: 'enabled',
  deletedAt: 'deleted_at',
  url: null,
};

/** A table as SQL, with its columns as SQL qualified by the alias the queries give it. */
export interface ResolvedTable<TColumns> {
  /** `"schema"."name"` or `"name"`, for a `from` clause. */
  table: SQL;
  /** The name as `to_regclass` reads it (quoted identifiers joined by a dot); passed as a value. */
  regclassName: string;
  /** The column names as given (for catalog look-ups and messages). */
  names: TColumns;
  /** Each column as `alias."column"`, or `null` for a column the table lacks. */
  column: { [Key in keyof TColumns]: TColumns[Key] extends string ? SQL : SQL | null };
}

/** The chunk table and the optional document table, as the queries use them. */
export interface PgvectorTables {
  chunks: ResolvedTable<PgvectorChunkColumns>;
  documents: ResolvedTable<PgvectorDocumentColumns> | null;
  knowledgeBases: ResolvedTable<PgvectorKnowledgeBaseColumns> | null;
}

/** The alias of the chunk table in every query. */
export const chunkAlias = 'chunk';
/** The alias of the document table in every query. */
export const documentAlias = 'document';
/** The alias of the knowledge-base table in every query. */
export const knowledgeBaseAlias = 'knowledge_base';

/** Quotes an identifier the way PostgreSQL reads it back (doubling any `"`). */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function resolveTable<TColumns extends object>(
  name: string,
  schema: string | undefined,
  names: TColumns,
  alias: string,
): ResolvedTable<TColumns> {
  const table =
    schema === undefined
      ? sql`${sql.identifier(name)}`
      : sql`${sql.identifier(schema)}.${sql.identifier(name)}`;
  const regclassName =
    schema === undefined
      ? quoteIdentifier(name)
      : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
  const column = Object.fromEntries(
    Object.entries(names).map(([key, columnName]) => [
      key,
      typeof columnName === 'string'
        ? sql`${sql.identifier(alias)}.${sql.identifier(columnName)}`
        : null,
    ]),
  ) as ResolvedTable<TColumns>['column'];
  return { table, regclassName, names, column };
}

/**
 * The tables a retriever reads, Sim's unless told otherwise: `embedding` joined to `document`.
 * `documents: false` reads the chunk table alone.
 */
export function resolvePgvectorTables(
  chunks: PgvectorChunkTableOptions = {},
  documents: PgvectorDocumentTableOptions | false = {},
  knowledgeBases: PgvectorKnowledgeBaseTableOptions | false = false,
): PgvectorTables {
  return {
    chunks: resolveTable(
      chunks.name ?? 'embedding',
      chunks.schema,
      { ...simChunkColumns, ...withoutUndefined(chunks.columns) },
      chunkAlias,
    ),
    documents:
      documents === false
        ? null
        : resolveTable(
            documents.name ?? 'document',
            documents.schema,
            { ...simDocumentColumns, ...withoutUndefined(documents.columns) },
            documentAlias,
          ),
    knowledgeBases:
      knowledgeBases === false
        ? null
        : resolveTable(
            knowledgeBases.name ?? 'knowledge_base',
            knowledgeBases.schema,
            { ...simKnowledgeBaseColumns, ...withoutUndefined(knowledgeBases.columns) },
            knowledgeBaseAlias,
          ),
  };
}

/** The entries that were given: `{ enabled: undefined }` keeps the default, `null` removes it. */
function withoutUndefined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
