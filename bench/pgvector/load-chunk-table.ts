import type pg from 'pg';
import type { SyntheticCorpus } from './synthetic-corpus';

/** What loading and indexing the chunk table took. */
export interface LoadedChunkTable {
  insertSeconds: number;
  /** The GIN index on `content_tsv`. */
  textIndexSeconds: number;
  /** The btree index on `knowledge_base_id` (Sim's `emb_kb_id_idx`). */
  knowledgeBaseIndexSeconds: number;
  /** The HNSW index, Sim's: `vector_cosine_ops`, `m = 16`, `ef_construction = 64`. */
  hnswIndexSeconds: number;
  /** Settings of the session that built the HNSW index. */
  hnswBuildSettings: Record<string, string>;
  tableMegabytes: number;
  hnswIndexMegabytes: number;
}

/** Rows per insert statement, and statements in flight (one per core). */
const rowsPerStatement = 200;
const statementsInFlight = 2;

/** Memory for the HNSW build: the whole graph of 100,000 × 1536 fits (~650 MB). */
const hnswMaintenanceWorkMem = '2GB';

const seconds = (started: number) => (performance.now() - started) / 1000;

/**
 * Creates Sim's `document` and `embedding` tables in the pool's schema (the vector column
 * `vector(dimensions)`, `content_tsv` generated), loads the corpus with multi-row inserts
 * (two statements in flight), then builds the indexes after the data, as a bulk load should:
 * the GIN, the knowledge-base btree, and the HNSW index with parallel workers and room for
 * its graph in `maintenance_work_mem`.
 */
export async function loadChunkTable(
  pool: pg.Pool,
  corpus: SyntheticCorpus,
  onProgress: (message: string) => void,
): Promise<LoadedChunkTable> {
  const { chunks, dimensions, chunksPerCluster } = corpus.settings;
  await pool.query(`
    create table document (
      id text primary key,
      knowledge_base_id text not null,
      filename text not null,
      enabled boolean not null default true,
      deleted_at timestamp
    )`);
  await pool.query(`
    create table embedding (
      id text primary key,
      knowledge_base_id text not null,
      document_id text not null references document (id),
      chunk_index integer not null,
      content text not null,
      embedding vector(${dimensions}),
      enabled boolean not null default true,
      content_tsv tsvector generated always as (to_tsvector('english', content)) stored
    )`);
  const clusters = Math.ceil(chunks / chunksPerCluster);
  await pool.query(
    `insert into document (id, knowledge_base_id, filename)
     select 'doc-' || cluster, 'kb-' || (cluster % $2::integer), 'document-' || cluster || '.md'
     from generate_series(0, $1::integer - 1) as cluster`,
    [clusters, corpus.settings.knowledgeBases],
  );

  const insertStarted = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  let lastReport = insertStarted;
  for (let start = 0; start < chunks; start += rowsPerStatement) {
    const end = Math.min(chunks, start + rowsPerStatement);
    const values: string[] = [];
    const parameters: unknown[] = [];
    for (let chunk = start; chunk < end; chunk += 1) {
      const at = parameters.length;
      parameters.push(
        `chunk-${chunk}`,
        corpus.knowledgeBaseOf(chunk),
        `doc-${corpus.clusterOf(chunk)}`,
        chunk % chunksPerCluster,
        corpus.texts[chunk],
        corpus.vectorLiteral(chunk),
      );
      values.push(`($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6})`);
    }
    const statement = pool.query(
      `insert into embedding (id, knowledge_base_id, document_id, chunk_index, content, embedding)
       values ${values.join(', ')}`,
      parameters,
    );
    const tracked = statement.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= statementsInFlight) await Promise.race(inFlight);
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      onProgress(`${end.toLocaleString('en-US')} of ${chunks.toLocaleString('en-US')} chunks`);
    }
  }
  await Promise.all(inFlight);
  const insertSeconds = seconds(insertStarted);

  const textStarted = performance.now();
  await pool.query('create index emb_content_fts_idx on embedding using gin (content_tsv)');
  const textIndexSeconds = seconds(textStarted);
  const knowledgeBaseStarted = performance.now();
  await pool.query('create index emb_kb_id_idx on embedding (knowledge_base_id)');
  const knowledgeBaseIndexSeconds = seconds(knowledgeBaseStarted);

  const client = await pool.connect();
  let hnswIndexSeconds: number;
  let hnswBuildSettings: Record<string, string>;
  try {
    await client.query(`set maintenance_work_mem = '${hnswMaintenanceWorkMem}'`);
    await client.query('set max_parallel_maintenance_workers = 2');
    const shown = await client.query<{ memory: string; workers: string }>(
      `select current_setting('maintenance_work_mem') as memory,
              current_setting('max_parallel_maintenance_workers') as workers`,
    );
    hnswBuildSettings = {
      maintenance_work_mem: shown.rows[0]?.memory ?? 'unknown',
      max_parallel_maintenance_workers: shown.rows[0]?.workers ?? 'unknown',
    };
    const hnswStarted = performance.now();
    await client.query(
      'create index embedding_vector_hnsw_idx on embedding using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = 64)',
    );
    hnswIndexSeconds = seconds(hnswStarted);
  } finally {
    client.release();
  }
  await pool.query('vacuum analyze document');
  await pool.query('vacuum analyze embedding');
  const sizes = await pool.query<{ table_bytes: string; index_bytes: string }>(
    `select pg_total_relation_size('embedding') as table_bytes,
            pg_relation_size('embedding_vector_hnsw_idx') as index_bytes`,
  );
  const megabytes = (bytes: string | undefined) => Math.round(Number(bytes) / 1024 / 1024);
  return {
    insertSeconds,
    textIndexSeconds,
    knowledgeBaseIndexSeconds,
    hnswIndexSeconds,
    hnswBuildSettings,
    tableMegabytes: megabytes(sizes.rows[0]?.table_bytes),
    hnswIndexMegabytes: megabytes(sizes.rows[0]?.index_bytes),
  };
}
