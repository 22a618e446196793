import { sql } from 'drizzle-orm';
import { messageSourceSchema } from '../domain/event';
import { ParleyError } from '../errors/parley-error';
import type { Embedder, Vector } from '../ports/embedder';
import type { Passage, RetrievalRequest, Retriever } from '../ports/retriever';
import { type AnyPgDatabase, executeRows } from '../schema/any-pg-database';
import { translateDatabaseError } from '../store/database-error';
import { buildRetrievalQuery, type PgvectorTextMatch } from './build-retrieval-query';
import { readVectorDimensions } from './read-vector-dimensions';
import { rejectOnAbort } from './reject-on-abort';
import {
  type PgvectorChunkTableOptions,
  type PgvectorDocumentTableOptions,
  type PgvectorKnowledgeBaseTableOptions,
  resolvePgvectorTables,
} from './resolve-pgvector-tables';
import { toVectorLiteral } from './to-vector-literal';

/** One chunk as the retriever read it, for {@link PgvectorRetrieverOptions.title} and `url`. */
export interface PgvectorChunkRow {
  /** The chunk's id, as text. */
  id: string;
  knowledgeBaseId: string;
  /** `null` when the chunk table has no document column. */
  documentId: string | null;
  /** `null` when the chunk table has no chunk-index column. */
  chunkIndex: number | null;
  content: string;
  /** The document table's title column (Sim's `filename`); `null` without a document table. */
  documentTitle: string | null;
  /** The document table's `url` column, when one is configured; else `null`. */
  documentUrl: string | null;
}

/** How pgvector's HNSW scan treats filtered rows; see {@link PgvectorRetrieverOptions.iterativeScan}. */
export type PgvectorIterativeScan = 'relaxed_order' | 'strict_order' | 'off' | 'inherit';

/** Options of {@link createPgvectorRetriever}. */
export interface PgvectorRetrieverOptions {
  /** The retriever's id, as agents attach it and explanations name it, e.g. `help-center`. */
  id: string;
  /**
   * The host's drizzle database on any PostgreSQL driver (node-postgres, postgres-js, PGlite
   * with `@electric-sql/pglite-pgvector`), where the chunk table lives and pgvector is
   * installed. A drizzle transaction works too (see `efSearch` for what it then keeps).
   */
  database: AnyPgDatabase;
  /**
   * Embeds the query (`purpose: 'query'`): the same model, and so the same dimensions, that
   * embedded the chunks. Its vectors must be dense (`Float32Array`); a sparse embedder, or a
   * length other than the column's, rejects with an `internal` ParleyError.
   */
  embedder: Embedder;
  /** The chunk table; default Sim's `embedding` (see {@link PgvectorChunkTableOptions}). */
  table?: PgvectorChunkTableOptions;
  /**
   * The document table joined for titles and to leave out chunks of disabled or deleted
   * documents; default Sim's `document` (`filename`, `enabled`, `deleted_at`). `false`: none.
   */
  documents?: PgvectorDocumentTableOptions | false;
  /**
   * The host's knowledge-base table, to search only knowledge bases of the session's
   * workspace: `{}` for Sim's `knowledge_base` (`id`, `workspace_id`, `deleted_at`), or its
   * names. Default `false` (no such check): an agent's links are then trusted as they are, so
   * a host whose operators could link another workspace's knowledge base id must set it.
   */
  knowledgeBases?: PgvectorKnowledgeBaseTableOptions | false;
  /** A passage's source title; default the document's title, else its id, else the chunk's id. */
  title?: (row: PgvectorChunkRow) => string;
  /**
   * Where a reader can open a passage's source (http or https); default the document table's
   * `url` column when one is configured and holds an http(s) URL, else none.
   */
  url?: (row: PgvectorChunkRow) => string | undefined;
  /**
   * Passages returned when the request's `limit` is not a finite number (a caller outside
   * TypeScript); default 5. A request's own positive `limit` always decides, and a `limit`
   * below 1 returns nothing without a query.
   */
  limit?: number;
  /**
   * Rows each arm (vector, keyword) fetches before fusion; default 4 × the limit, never fewer
   * than the limit. More candidates let a chunk ranked well by one arm and moderately by the
   * other rise; each costs the HNSW scan more work (see `efSearch`).
   */
  candidates?: number;
  /**
   * Weight of the vector arm in the fusion; default 1. `0` leaves the arm out: no embedding,
   * keyword search alone.
   */
  vectorWeight?: number;
  /**
   * Weight of the keyword arm in the fusion; default 1. `0` leaves the arm out: vector search
   * alone.
   */
  textWeight?: number;
  /**
   * The `k` of reciprocal rank fusion; default 60 (Cormack et al.'s value). A chunk's score is
   * `Σ weight / (k + rank)` over the arms that found it (rank 1 = best): the larger `k`, the
   * less the very top of one arm outweighs agreement between both.
   */
  rankConstant?: number;
  /**
   * A passage needs at least this fused score (see `rankConstant`); default none. On the
   * fusion's scale: with the defaults, rank 1 in one arm scores 1/61 ≈ 0.0164, so a value just
   * above it keeps only chunks both arms found. Says nothing of absolute relevance: see
   * `minimumSimilarity` for that.
   */
  minimumScore?: number;
  /**
   * A vector candidate counts only if its cosine similarity to the query is at least this
   * (-1 to 1); default none. Since fusion is by rank, this is what keeps an off-topic
   * question from returning the least unrelated chunks. Applied to the arm's candidates
   * after the index scan, so the scan still uses the index.
   */
  minimumSimilarity?: number;
  /**
   * How the keyword arm reads the query: `all` of its words (default), so the arm adds
   * precision (an exact code or name) and stays silent on a whole sentence, leaving it to the
   * vectors; or `any`, for keyword-heavy corpora. See {@link PgvectorTextMatch}.
   */
  textMatch?: PgvectorTextMatch;
  /** The text search configuration the query is parsed with; default `english` (Sim's). */
  textSearchConfig?: string;
  /**
   * `hnsw.ef_search` for the vector arm (1 to 1000; pgvector's default is 40): the size of
   * the candidate list the HNSW scan keeps, so higher finds more of the true nearest rows
   * and costs more. Set with `set_config(…, true)` (`set local`) in a transaction around the
   * statement, so pooled connections keep their own setting; when `database` is itself a
   * transaction, drizzle makes that a savepoint, and the setting lasts until the host's
   * transaction ends. Default: the server's.
   */
  efSearch?: number;
  /**
   * `hnsw.iterative_scan` for the vector arm (pgvector 0.8+), set like `efSearch`. Default
   * `relaxed_order`: the scan goes on past `ef_search` rows until `candidates` rows pass the
   * filters, so a knowledge base that holds a small share of the table still gets its
   * candidates (without it, the scan stops at `ef_search` rows and the filters may leave
   * few or none). The arm orders its rows by distance again, so relaxed order costs nothing
   * here. `inherit` leaves the server's setting: with `efSearch` unset too, a retrieval is
   * one statement without a transaction (also what pgvector before 0.8 needs).
   */
  iterativeScan?: PgvectorIterativeScan;
  /**
   * The `N` of the table's `vector(N)`, to check the query's vector against. Default: read
   * once from the catalog, on the first retrieval.
   */
  dimensions?: number;
}

const defaultLimit = 5;
const candidatesPerPassage = 4;

/** Rejects options that could only fail later, with every problem named. */
function validateOptions(options: PgvectorRetrieverOptions): void {
  const issues: Array<{ path: string; message: string }> = [];
  const check = (path: string, valid: boolean, message: string) => {
    if (!valid) issues.push({ path, message });
  };
  const isPositiveInteger = (value: number | undefined) =>
    value === undefined || (Number.isInteger(value) && value > 0);
  const isWeight = (value: number | undefined) =>
    value === undefined || (Number.isFinite(value) && value >= 0);
  check(
    'id',
    typeof options.id === 'string' && options.id.length > 0,
    'must be a non-empty string',
  );
  check('limit', isPositiveInteger(options.limit), 'must be a positive integer');
  check('candidates', isPositiveInteger(options.candidates), 'must be a positive integer');
  check('dimensions', isPositiveInteger(options.dimensions), 'must be a positive integer');
  check('vectorWeight', isWeight(options.vectorWeight), 'must be a finite number ≥ 0');
  check('textWeight', isWeight(options.textWeight), 'must be a finite number ≥ 0');
  check(
    'vectorWeight',
    (options.vectorWeight ?? 1) > 0 || (options.textWeight ?? 1) > 0,
    'and textWeight cannot both be 0',
  );
  check(
    'rankConstant',
    options.rankConstant === undefined ||
      (Number.isFinite(options.rankConstant) && options.rankConstant > 0),
    'must be a finite number > 0',
  );
  check(
    'efSearch',
    options.efSearch === undefined ||
      (Number.isInteger(options.efSearch) && options.efSearch >= 1 && options.efSearch <= 1000),
    'must be an integer from 1 to 1000',
  );
  check(
    'minimumSimilarity',
    options.minimumSimilarity === undefined ||
      (Number.isFinite(options.minimumSimilarity) &&
        options.minimumSimilarity >= -1 &&
        options.minimumSimilarity <= 1),
    'must be a number from -1 to 1',
  );
  check(
    'minimumScore',
    options.minimumScore === undefined || Number.isFinite(options.minimumScore),
    'must be a finite number',
  );
  check(
    'textMatch',
    options.textMatch === undefined || options.textMatch === 'all' || options.textMatch === 'any',
    "must be 'all' or 'any'",
  );
  check(
    'iterativeScan',
    options.iterativeScan === undefined ||
      ['relaxed_order', 'strict_order', 'off', 'inherit'].includes(options.iterativeScan),
    "must be 'relaxed_order', 'strict_order', 'off' or 'inherit'",
  );
  check(
    'dimensions',
    options.dimensions === undefined || options.dimensions === options.embedder.dimensions,
    `is ${options.dimensions} but the embedder's vectors have ${options.embedder.dimensions}`,
  );
  if (issues.length > 0) {
    throw new ParleyError(
      'validation_failed',
      `Invalid pgvector retriever options: ${issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')}`,
      { details: { issues } },
    );
  }
}

/** How many passages a request asks for: its own limit when it is a finite number. */
function limitOf(request: RetrievalRequest, fallback: number): number {
  const asked: unknown = request.limit;
  return typeof asked === 'number' && Number.isFinite(asked)
    ? Math.max(0, Math.floor(asked))
    : fallback;
}

/** Whether a document's address may be a source's: the message event's own rule (http or https). */
function isHttpUrl(value: string | null): value is string {
  return value !== null && messageSourceSchema.shape.url.safeParse(value).success;
}

/**
 * A {@link Retriever} over a host's own chunk table with pgvector: by default Sim's
 * `embedding` table (`vector(1536)` with an HNSW cosine index, `content_tsv` with a GIN
 * index) joined to its `document` table.
 *
 * Each retrieval is one statement with two arms over the same filters (the request's
 * knowledge bases, enabled chunks, enabled and undeleted documents): nearest chunks by cosine
 * distance to the embedded query, through the HNSW index, and chunks matching the query's
 * words (`websearch_to_tsquery`, through the GIN index) ranked by `ts_rank_cd`. The two are
 * fused by weighted reciprocal rank, `Σ weight / (rankConstant + rank)`: ranks, not raw scores,
 * because cosine similarity and `ts_rank_cd` live on unrelated scales that no fixed weighting
 * reconciles, and a rank fusion needs no tuning per corpus. Keywords then rescue an exact
 * term (an error code, a product name) that embeddings blur, and vectors a paraphrase that
 * shares no word with the chunk. A passage's `score` is its fused score.
 *
 * A request without knowledge bases (or with a blank query) returns `[]` without a query.
 * An aborted request rejects with its signal's reason. Database failures reject with a
 * `database_failed` ParleyError.
 */
export function createPgvectorRetriever(options: PgvectorRetrieverOptions): Retriever {
  validateOptions(options);
  const { database, embedder } = options;
  const tables = resolvePgvectorTables(
    options.table,
    options.documents ?? {},
    options.knowledgeBases ?? false,
  );
  const vectorWeight = options.vectorWeight ?? 1;
  const textWeight = options.textWeight ?? 1;
  const iterativeScan = options.iterativeScan ?? 'relaxed_order';
  const title =
    options.title ?? ((row: PgvectorChunkRow) => row.documentTitle ?? row.documentId ?? row.id);
  const url =
    options.url ??
    ((row: PgvectorChunkRow) => (isHttpUrl(row.documentUrl) ? row.documentUrl : undefined));
  const hnswSettings: Array<[name: string, value: string]> = [];
  if (options.efSearch !== undefined)
    hnswSettings.push(['hnsw.ef_search', String(options.efSearch)]);
  if (iterativeScan !== 'inherit') hnswSettings.push(['hnsw.iterative_scan', iterativeScan]);

  let columnDimensions: Promise<number | null> | undefined =
    options.dimensions === undefined ? undefined : Promise.resolve(options.dimensions);
  /** The column's dimensions, read once; a failed read is tried again next time. */
  const readDimensions = (): Promise<number | null> => {
    if (columnDimensions === undefined) {
      columnDimensions = readVectorDimensions(database, tables.chunks).catch((error: unknown) => {
        throw translateDatabaseError(error, { entity: 'knowledge chunks', operation: 'read' });
      });
      columnDimensions.catch(() => {
        columnDimensions = undefined;
      });
    }
    return columnDimensions;
  };

  async function embedQuery(query: string, signal: AbortSignal): Promise<string | null> {
    let vector: Vector | undefined;
    try {
      [vector] = await embedder.embed([query], { purpose: 'query', signal });
    } catch (error) {
      // Embedders report an abort in their own way; the retriever always with the reason.
      signal.throwIfAborted();
      throw error;
    }
    signal.throwIfAborted();
    const dimensions = await rejectOnAbort(readDimensions(), signal);
    return toVectorLiteral(vector, {
      embedderId: embedder.id,
      dimensions: dimensions ?? embedder.dimensions,
      table: tables.chunks.regclassName,
      column: tables.chunks.names.embedding,
    });
  }

  function toPassage(row: Record<string, unknown>): Passage {
    const chunk: PgvectorChunkRow = {
      id: String(row.id),
      knowledgeBaseId: String(row.knowledge_base_id),
      documentId: row.document_id == null ? null : String(row.document_id),
      chunkIndex: row.chunk_index == null ? null : Number(row.chunk_index),
      content: String(row.content ?? ''),
      documentTitle: row.document_title == null ? null : String(row.document_title),
      documentUrl: row.document_url == null ? null : String(row.document_url),
    };
    const sourceUrl = url(chunk);
    return {
      id: chunk.id,
      text: chunk.content,
      score: Number(row.score),
      source: {
        title: title(chunk),
        ...(sourceUrl === undefined ? {} : { url: sourceUrl }),
        ...(chunk.documentId === null ? {} : { documentId: chunk.documentId }),
      },
    };
  }

  return {
    id: options.id,
    async retrieve(request) {
      const { signal } = request;
      signal.throwIfAborted();
      const limit = limitOf(request, options.limit ?? defaultLimit);
      const query = typeof request.query === 'string' ? request.query.trim() : '';
      if (request.knowledgeBaseIds.length === 0 || limit === 0 || query === '') return [];

      const vectorLiteral = vectorWeight > 0 ? await embedQuery(query, signal) : null;
      signal.throwIfAborted();
      if (vectorLiteral === null && textWeight === 0) return [];
      const statement = buildRetrievalQuery({
        tables,
        knowledgeBaseIds: request.knowledgeBaseIds,
        workspaceId: String(request.session?.workspaceId ?? ''),
        vectorLiteral,
        text: textWeight > 0 ? query : null,
        textMatch: options.textMatch ?? 'all',
        textSearchConfig: options.textSearchConfig ?? 'english',
        vectorWeight,
        textWeight,
        rankConstant: options.rankConstant ?? 60,
        candidates: Math.max(limit, options.candidates ?? candidatesPerPassage * limit),
        limit,
        minimumScore: options.minimumScore ?? null,
        minimumSimilarity: options.minimumSimilarity ?? null,
      });
      const run =
        vectorLiteral === null || hnswSettings.length === 0
          ? executeRows(database, statement)
          : database.transaction(async (transaction) => {
              // `set local`, through set_config so the values travel as parameters.
              await executeRows(
                transaction,
                sql`select ${sql.join(
                  hnswSettings.map(([name, value]) => sql`set_config(${name}, ${value}, true)`),
                  sql`, `,
                )}`,
              );
              return executeRows(transaction, statement);
            });
      let rows: Array<Record<string, unknown>>;
      try {
        rows = await rejectOnAbort(run, signal);
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        throw translateDatabaseError(error, { entity: 'knowledge chunks', operation: 'read' });
      }
      return rows.map(toPassage);
    },
  };
}
