/**
 * @module @parley/core/pgvector — a `Retriever` over a host's own chunk table with pgvector
 * (Sim's `embedding` and `document` tables by default): vector and keyword search in one
 * statement, fused by reciprocal rank. It runs on the host's drizzle database, whatever its
 * driver (node-postgres, postgres-js, PGlite with `@electric-sql/pglite-pgvector`), and loads
 * no driver itself.
 */
export type { PgvectorTextMatch } from './build-retrieval-query';
export {
  createPgvectorRetriever,
  type PgvectorChunkRow,
  type PgvectorIterativeScan,
  type PgvectorRetrieverOptions,
} from './create-pgvector-retriever';
export type {
  PgvectorChunkColumns,
  PgvectorChunkTableOptions,
  PgvectorDocumentColumns,
  PgvectorDocumentTableOptions,
  PgvectorKnowledgeBaseColumns,
  PgvectorKnowledgeBaseTableOptions,
} from './resolve-pgvector-tables';
