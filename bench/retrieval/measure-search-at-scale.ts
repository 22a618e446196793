import { createOfflineEmbedder, createVectorIndex } from '@parley/core';
import { createSeededRandom } from '@parley/core/testing';
import { percentile } from '../shared/percentiles';
import { conditionOfCategory } from './benchmark-guideline';
import type { LabelledRow } from './labelled-row';
import { groupByCategory } from './split-by-category';

/** The size of the synthetic agent the latency is measured on. */
export interface ScaleSettings {
  /** Guidelines indexed. */
  itemCount: number;
  /** Vectors per guideline: its condition and examples. */
  vectorsPerItem: number;
  /** Searches timed. */
  queryCount: number;
  /** Seed of drawing each guideline's examples. */
  seed: number;
}

/** Search latency over a large index, and what building it took. */
export interface ScaleMetrics extends ScaleSettings {
  /** Vectors indexed in all. */
  vectorCount: number;
  /** Filling the index (vectors already embedded). */
  buildMilliseconds: number;
  searchP50Milliseconds: number;
  searchP99Milliseconds: number;
  searchMeanMilliseconds: number;
  /** Embedding one query, median (not part of the search figures). */
  embedP50Milliseconds: number;
}

/**
 * Builds an index of `itemCount` guidelines of `vectorsPerItem` vectors each, then times
 * `search(query, 20)` over held-out messages. Guideline `i` takes its condition and examples
 * from category `i mod C` of the pool (drawn with replacement), so, like real guidelines,
 * each one's examples share a topic, and many guidelines look alike (which makes the search's
 * pruning work harder than it would on 10,000 distinct topics). Vectors are embedded once
 * and shared between guidelines: only the index's own memory grows with the item count.
 */
export function measureSearchAtScale(
  pool: readonly LabelledRow[],
  queries: readonly LabelledRow[],
  settings: ScaleSettings,
): ScaleMetrics {
  const random = createSeededRandom(settings.seed);
  const byCategory = [...groupByCategory(pool)];
  const embedder = createOfflineEmbedder().fit(
    byCategory.flatMap(([category, rows]) => [
      { text: conditionOfCategory(category), group: category },
      ...rows.map((row) => ({ text: row.text, group: category })),
    ]),
  );
  const embedded = byCategory.map(([category, rows]) => ({
    condition: embedder.embedText(conditionOfCategory(category)),
    examples: rows.map((row) => embedder.embedText(row.text)),
  }));

  const index = createVectorIndex();
  const buildStarted = performance.now();
  for (let item = 0; item < settings.itemCount; item++) {
    const source = embedded[item % embedded.length]!;
    const vectors = [source.condition];
    while (vectors.length < settings.vectorsPerItem) {
      vectors.push(source.examples[Math.floor(random() * source.examples.length)]!);
    }
    index.upsert(`guideline-${String(item).padStart(5, '0')}`, vectors);
  }
  const buildMilliseconds = performance.now() - buildStarted;

  const searchTimes: number[] = [];
  const embedTimes: number[] = [];
  const chosen = queries.slice(0, settings.queryCount);
  // A few searches first, so the figures are of compiled code.
  for (const query of chosen.slice(0, 20)) index.search(embedder.embedText(query.text), 20);
  for (const query of chosen) {
    const embedStarted = performance.now();
    const vector = embedder.embedText(query.text);
    const searchStarted = performance.now();
    index.search(vector, 20);
    searchTimes.push(performance.now() - searchStarted);
    embedTimes.push(searchStarted - embedStarted);
  }
  searchTimes.sort((left, right) => left - right);
  embedTimes.sort((left, right) => left - right);
  return {
    ...settings,
    vectorCount: settings.itemCount * settings.vectorsPerItem,
    buildMilliseconds,
    searchP50Milliseconds: percentile(searchTimes, 0.5),
    searchP99Milliseconds: percentile(searchTimes, 0.99),
    searchMeanMilliseconds: searchTimes.reduce((sum, time) => sum + time, 0) / searchTimes.length,
    embedP50Milliseconds: percentile(embedTimes, 0.5),
  };
}
