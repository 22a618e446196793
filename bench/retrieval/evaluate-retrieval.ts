import {
  createOfflineEmbedder,
  createVectorIndex,
  type OfflineEmbedderOptions,
  type VectorIndexOptions,
} from '@parley/core';
import { percentile } from '../shared/percentiles';
import type { BenchmarkGuideline } from './benchmark-guideline';
import type { LabelledRow } from './labelled-row';

/** The cut-offs recall is reported at. */
export const recallCutoffs = [1, 5, 10, 20] as const;

/** How well, and how fast, guidelines were retrieved for a set of labelled messages. */
export interface RetrievalMetrics {
  /** Share of messages whose own guideline ranked first. */
  top1: number;
  /** Share of messages whose own guideline ranked within the first K, per K. */
  recall: Record<(typeof recallCutoffs)[number], number>;
  /** Messages evaluated. */
  queryCount: number;
  /** The fitted embedder's id: its vector space, corpus fingerprint included. */
  embedderId: string;
  guidelineCount: number;
  /** Vectors indexed: one per condition and per example. */
  vectorCount: number;
  /** Fitting the embedder, embedding every guideline text and filling the index. */
  buildMilliseconds: number;
  /** Embedding one message, median. */
  embedP50Milliseconds: number;
  /** One search of the index (embedding excluded), median and 99th percentile. */
  searchP50Milliseconds: number;
  searchP99Milliseconds: number;
}

/** The embedder and index settings under test (defaults when empty). */
export interface RetrievalSetup {
  embedder?: OfflineEmbedderOptions;
  index?: VectorIndexOptions;
}

/**
 * Fits the offline embedder on the guidelines' texts (each guideline a group), indexes
 * each guideline's condition and examples, then retrieves the top guidelines of every
 * query and checks where its own category ranks. A category with no guideline is a miss.
 */
export function evaluateRetrieval(
  guidelines: readonly BenchmarkGuideline[],
  queries: readonly LabelledRow[],
  setup: RetrievalSetup = {},
): RetrievalMetrics {
  // Fitting, embedding and indexing all count as build time: the engine does all three.
  const buildStarted = performance.now();
  const corpus = guidelines.flatMap((guideline) =>
    [guideline.condition, ...guideline.examples].map((text) => ({ text, group: guideline.id })),
  );
  const embedder = createOfflineEmbedder(setup.embedder).fit(corpus);
  const index = createVectorIndex(setup.index);
  let vectorCount = 0;
  for (const guideline of guidelines) {
    const texts = [guideline.condition, ...guideline.examples];
    index.upsert(
      guideline.id,
      texts.map((text) => embedder.embedText(text)),
    );
    vectorCount += texts.length;
  }
  const buildMilliseconds = performance.now() - buildStarted;

  const deepest = Math.max(...recallCutoffs);
  const hitsAt = new Map<number, number>(recallCutoffs.map((cutoff) => [cutoff, 0]));
  const embedTimes: number[] = [];
  const searchTimes: number[] = [];
  for (const query of queries) {
    const embedStarted = performance.now();
    const vector = embedder.embedText(query.text);
    const searchStarted = performance.now();
    const hits = index.search(vector, deepest);
    const searchEnded = performance.now();
    embedTimes.push(searchStarted - embedStarted);
    searchTimes.push(searchEnded - searchStarted);
    const rank = hits.findIndex((hit) => hit.itemId === query.category);
    if (rank < 0) continue;
    for (const cutoff of recallCutoffs) {
      if (rank < cutoff) hitsAt.set(cutoff, (hitsAt.get(cutoff) ?? 0) + 1);
    }
  }
  embedTimes.sort((left, right) => left - right);
  searchTimes.sort((left, right) => left - right);
  const share = (cutoff: number) =>
    queries.length === 0 ? 0 : (hitsAt.get(cutoff) ?? 0) / queries.length;
  return {
    top1: share(1),
    recall: { 1: share(1), 5: share(5), 10: share(10), 20: share(20) },
    queryCount: queries.length,
    embedderId: embedder.id,
    guidelineCount: guidelines.length,
    vectorCount,
    buildMilliseconds,
    embedP50Milliseconds: percentile(embedTimes, 0.5),
    searchP50Milliseconds: percentile(searchTimes, 0.5),
    searchP99Milliseconds: percentile(searchTimes, 0.99),
  };
}
