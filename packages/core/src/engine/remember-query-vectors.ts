import type { Embedder, Vector } from '../ports/embedder';

/**
 * An embedder that remembers the vectors of its last `limit` queries (one text, purpose
 * `query`). A turn searches the same message in several indexes (guidelines and journeys,
 * terms, canned replies), and a neural embedder would otherwise encode it each time (about
 * 10 ms a time for the sentence encoder). Documents are not remembered: the retrievers'
 * vector caches keep those. Concurrent asks for one text share one call; a failed call is
 * forgotten, so the next ask tries again.
 */
export function rememberQueryVectors(embedder: Embedder, limit = 256): Embedder {
  const remembered = new Map<string, Promise<Vector[]>>();
  return {
    id: embedder.id,
    dimensions: embedder.dimensions,
    embed(texts, options) {
      const text = texts[0];
      if (options?.purpose !== 'query' || texts.length !== 1 || text === undefined)
        return embedder.embed(texts, options);
      const known = remembered.get(text);
      if (known) {
        // Most recently used last: the oldest is the first to go.
        remembered.delete(text);
        remembered.set(text, known);
        return known;
      }
      const vectors = embedder.embed(texts, options);
      remembered.set(text, vectors);
      vectors.catch(() => remembered.delete(text));
      if (remembered.size > limit) remembered.delete(remembered.keys().next().value as string);
      return vectors;
    },
  };
}
