/**
 * @module bench/pgvector — the pgvector retriever benchmark (`pnpm bench:pgvector`): Sim's
 * chunk table (`vector(1536)`, HNSW cosine index `m = 16, ef_construction = 64`, GIN on
 * `content_tsv`) filled with 100,000 synthetic clustered chunks in 10 knowledge bases, in a
 * throwaway schema of the PostgreSQL at `DATABASE_URL` (dropped at the end). It prints and
 * records how long loading and each index build took, the p50/p99 latency of
 * `createPgvectorRetriever(…).retrieve()` for vector-only and hybrid search, and recall@10 of
 * the vector arm against exact search, for `ef_search` 40 and 100, with pgvector's iterative
 * scan (the retriever's default) and without it. Writes `bench/results/pgvector.json`.
 *
 * Options: `--chunks N` (default 100000), `--queries N` (timed per mode, default 200),
 * `--knowledge-bases N` (default 10), `--dimensions N` (default 1536).
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Embedder } from '@parley/core';
import { createPgvectorRetriever, type PgvectorRetrieverOptions } from '@parley/core/pgvector';
import { createSeededRandom } from '@parley/core/testing';
import { drizzle } from 'drizzle-orm/node-postgres';
import { writeBenchResults } from '../shared/write-bench-results';
import { createPhaseLog } from '../store/phase-log';
import { createStatementRecorder, explainStatement } from './explain-last-statement';
import { findExactNearest } from './find-exact-nearest';
import { formatPgvectorTable, type PgvectorBenchRow } from './format-pgvector-table';
import { loadChunkTable } from './load-chunk-table';
import { measureRetrieval } from './measure-retrieval';
import { openPgvectorBenchSchema } from './open-pgvector-bench-schema';
import {
  createSyntheticCorpus,
  createSyntheticQueries,
  type SyntheticCorpusSettings,
  type SyntheticQuery,
} from './synthetic-corpus';

const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';
const seed = 20_261_202;
const limit = 10;
const warmupQueries = 30;
const efSearchValues = [40, 100] as const;
/** Queries whose exact answer is also asked of the database, to check the brute force. */
const exactChecks = 5;

/** A retrieval mode: the options it adds to the retriever's. */
interface Mode {
  name: string;
  options: Partial<PgvectorRetrieverOptions>;
  /** Whether its results are the vector arm's alone, so recall@10 against exact search applies. */
  vectorOnly: boolean;
}

function modesFor(efSearch: number): Mode[] {
  return [
    { name: 'vector', options: { textWeight: 0, efSearch }, vectorOnly: true },
    { name: 'hybrid', options: { efSearch }, vectorOnly: false },
    {
      name: 'vector, no iterative scan',
      options: { textWeight: 0, efSearch, iterativeScan: 'off' },
      vectorOnly: true,
    },
  ];
}

/** The query embedder: each synthetic query's text stands for its prepared vector. */
function createLookupEmbedder(queries: readonly SyntheticQuery[], dimensions: number): Embedder {
  const vectors = new Map(queries.map((query) => [query.text, query.vector]));
  return {
    id: `bench-synthetic:${dimensions}`,
    dimensions,
    async embed(texts) {
      return texts.map((text) => {
        const vector = vectors.get(text);
        if (vector === undefined) throw new Error(`no vector for query ${text}`);
        return vector;
      });
    },
  };
}

/** The mean share of each exact top-k that the search found. */
function recallAt(k: number, found: readonly string[][], exact: readonly string[][]): number {
  let total = 0;
  for (const [index, truth] of exact.entries()) {
    const hits = new Set(found[index]?.slice(0, k));
    total += truth.slice(0, k).filter((id) => hits.has(id)).length / Math.min(k, truth.length);
  }
  return total / exact.length;
}

async function main(): Promise<void> {
  const run = { name: 'pgvector', startedAt: performance.now() };
  const log = createPhaseLog();
  const { values } = parseArgs({
    options: {
      chunks: { type: 'string', default: '100000' },
      queries: { type: 'string', default: '200' },
      'knowledge-bases': { type: 'string', default: '10' },
      dimensions: { type: 'string', default: '1536' },
    },
  });
  const settings: SyntheticCorpusSettings = {
    chunks: Number(values.chunks),
    dimensions: Number(values.dimensions),
    chunksPerCluster: 100,
    knowledgeBases: Number(values['knowledge-bases']),
    chunkSpread: 0.8,
    querySpread: 0.5,
  };
  const queryCount = Number(values.queries);
  for (const [name, value] of Object.entries({ ...settings, queries: queryCount })) {
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`--${name} must be a positive number`);
  }
  const databaseUrl = process.env.DATABASE_URL || defaultDatabaseUrl;
  log.note(
    `${settings.chunks.toLocaleString('en-US')} chunks × ${settings.dimensions} dimensions in ${settings.knowledgeBases} knowledge bases; ${os.cpus().length} CPUs, load ${os.loadavg()[0]?.toFixed(2)}`,
  );

  const random = createSeededRandom(seed);
  const corpus = await log.phase('generating the corpus', async () =>
    createSyntheticCorpus(settings, random),
  );
  const queries = createSyntheticQueries(corpus, queryCount + warmupQueries, random);
  const exact = await log.phase('exact top-10 by brute force', async () =>
    queries.slice(warmupQueries).map((query) => findExactNearest(corpus, query, limit)),
  );

  const schema = await openPgvectorBenchSchema(databaseUrl);
  log.note(
    `PostgreSQL ${schema.serverVersion}, pgvector ${schema.pgvectorVersion}, schema ${schema.schemaName}`,
  );
  const onInterrupt = () => {
    log.note(`interrupted: dropping ${schema.schemaName}`);
    schema.drop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  try {
    const pool = schema.createPool(4);
    const loaded = await log.phase('loading and indexing the chunk table', () =>
      loadChunkTable(pool, corpus, (message) => log.note(`  ${message}`)),
    );
    log.note(
      `  inserts ${loaded.insertSeconds.toFixed(1)} s, GIN ${loaded.textIndexSeconds.toFixed(1)} s, HNSW ${loaded.hnswIndexSeconds.toFixed(1)} s (${loaded.hnswIndexMegabytes} MB)`,
    );

    // The brute force must agree with the database's own exact scan.
    let exactAgreement = 0;
    for (const [index, query] of queries
      .slice(warmupQueries, warmupQueries + exactChecks)
      .entries()) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('set local enable_indexscan = off');
        const { rows } = await client.query<{ id: string }>(
          `select id from embedding where knowledge_base_id = $1 and enabled
           order by embedding <=> $2::vector limit $3`,
          [query.knowledgeBaseId, `[${Array.from(query.vector, String).join(',')}]`, limit],
        );
        await client.query('commit');
        const truth = new Set(exact[index]);
        exactAgreement += rows.filter((row) => truth.has(row.id)).length / limit / exactChecks;
      } finally {
        client.release();
      }
    }
    log.note(`exact search in the database agrees with the brute force: ${exactAgreement}`);

    const recorder = createStatementRecorder();
    const database = drizzle({ client: pool, logger: recorder });
    const embedder = createLookupEmbedder(queries, settings.dimensions);
    const timed = queries.slice(warmupQueries);
    const rows: PgvectorBenchRow[] = [];
    for (const efSearch of efSearchValues) {
      for (const mode of modesFor(efSearch)) {
        const retriever = createPgvectorRetriever({
          id: 'bench',
          database,
          embedder,
          dimensions: settings.dimensions,
          ...mode.options,
        });
        const measured = await log.phase(`${mode.name}, ef_search ${efSearch}`, () =>
          measureRetrieval(retriever, [...queries.slice(0, warmupQueries), ...timed], {
            limit,
            warmupQueries,
          }),
        );
        const found = measured.found.slice(warmupQueries);
        const statement = recorder.last();
        const plan =
          statement === null
            ? null
            : await explainStatement(pool, statement, {
                'hnsw.ef_search': String(efSearch),
                'hnsw.iterative_scan': mode.options.iterativeScan ?? 'relaxed_order',
              });
        rows.push({
          mode: mode.name,
          efSearch,
          p50Milliseconds: measured.latency.p50,
          p99Milliseconds: measured.latency.p99,
          meanMilliseconds: measured.latency.mean,
          recallAt10: mode.vectorOnly ? recallAt(limit, found, exact) : null,
          passagesPerQuery: found.reduce((sum, ids) => sum + ids.length, 0) / found.length,
          vectorArmPlan: plan?.vectorArm ?? 'absent',
          jit: plan?.jit ?? false,
          sourceChunkFound:
            found.filter((ids, index) => ids.includes(`chunk-${timed[index]?.sourceChunk}`))
              .length / found.length,
        });
      }
    }

    console.log('');
    console.log(
      `${settings.chunks.toLocaleString('en-US')} chunks × ${settings.dimensions}: inserts ${loaded.insertSeconds.toFixed(1)} s, GIN index ${loaded.textIndexSeconds.toFixed(1)} s, HNSW index ${loaded.hnswIndexSeconds.toFixed(1)} s (${loaded.hnswIndexMegabytes} MB; table with TOAST and indexes ${loaded.tableMegabytes} MB)`,
    );
    console.log(formatPgvectorTable(rows));
    console.log('');
    await writeBenchResults(
      { ...run, machine: { loadAverage: os.loadavg() } },
      {
        settings: { ...settings, queries: queryCount, warmupQueries, limit, seed },
        postgres: {
          serverVersion: schema.serverVersion,
          pgvectorVersion: schema.pgvectorVersion,
          settings: schema.settings,
        },
        load: loaded,
        exactAgreement,
        results: rows,
      },
    );
  } finally {
    process.off('SIGINT', onInterrupt);
    await schema.drop();
    log.note(`dropped ${schema.schemaName}`);
  }
}

await main();
