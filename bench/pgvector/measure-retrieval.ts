import type { Retriever } from '@parley/core';
import { type LatencySummary, summarizeLatencies } from '../shared/percentiles';
import type { SyntheticQuery } from './synthetic-corpus';

/** Latencies of one mode, and what each query found. */
export interface RetrievalMeasurement {
  latency: LatencySummary;
  /** Passage ids per query, in the queries' order. */
  found: string[][];
}

/**
 * Times `retrieve()` once per query, one after another (a turn's retrieval, not a load
 * test), after `warmupQueries` untimed ones: the figures include embedding (a map look-up
 * here), building the statement, the round trips and reading the rows.
 */
export async function measureRetrieval(
  retriever: Retriever,
  queries: readonly SyntheticQuery[],
  options: { limit: number; warmupQueries: number },
): Promise<RetrievalMeasurement> {
  const request = (query: SyntheticQuery) => ({
    query: query.text,
    conversation: [{ source: 'customer' as const, text: query.text }],
    // The pgvector retriever reads neither; the engine passes its own.
    agent: {} as never,
    session: {} as never,
    knowledgeBaseIds: [query.knowledgeBaseId],
    limit: options.limit,
    signal: new AbortController().signal,
  });
  for (const query of queries.slice(0, options.warmupQueries)) {
    await retriever.retrieve(request(query));
  }
  const samples: number[] = [];
  const found: string[][] = [];
  for (const query of queries) {
    const started = performance.now();
    const passages = await retriever.retrieve(request(query));
    samples.push(performance.now() - started);
    found.push(passages.map((passage) => passage.id));
  }
  return { latency: summarizeLatencies(samples), found };
}
