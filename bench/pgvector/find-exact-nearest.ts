import type { SyntheticCorpus, SyntheticQuery } from './synthetic-corpus';

/**
 * The true `k` nearest chunks of the query's knowledge base by cosine distance, by brute
 * force over the in-memory corpus: the same values the database holds, so this is what an
 * exact scan there returns (the bench checks a few against one). Ids as the table has them.
 */
export function findExactNearest(
  corpus: SyntheticCorpus,
  query: SyntheticQuery,
  k: number,
): string[] {
  const { chunks, dimensions } = corpus.settings;
  const { vectors } = corpus;
  let queryLength = 0;
  for (const value of query.vector) queryLength += value * value;
  queryLength = Math.sqrt(queryLength);
  const best: Array<{ chunk: number; distance: number }> = [];
  for (let chunk = 0; chunk < chunks; chunk += 1) {
    if (corpus.knowledgeBaseOf(chunk) !== query.knowledgeBaseId) continue;
    const offset = chunk * dimensions;
    let dot = 0;
    let length = 0;
    for (let index = 0; index < dimensions; index += 1) {
      const value = vectors[offset + index]!;
      dot += value * query.vector[index]!;
      length += value * value;
    }
    const distance = 1 - dot / (Math.sqrt(length) * queryLength);
    if (best.length < k || distance < best[best.length - 1]!.distance) {
      best.push({ chunk, distance });
      best.sort((left, right) => left.distance - right.distance);
      if (best.length > k) best.pop();
    }
  }
  return best.map((entry) => `chunk-${entry.chunk}`);
}
