import type { Embedder, Vector } from '../ports/embedder';
import type { OfflineEmbedder } from '../retrieval/offline-embedder';
import { createVectorIndex, type VectorSearchHit } from '../retrieval/vector-index';

/** Something retrievable by text: a guideline (its condition and examples), a term, a template. */
export interface RetrievalItem {
  id: string;
  /** Cache key of the texts: changes whenever they do (e.g. id and version). */
  revision: string;
  texts: readonly string[];
}

/** Ranks items by similarity to a query text. */
export interface TextRetriever {
  readonly size: number;
  search(
    query: string,
    k: number,
    filter?: (itemId: string) => boolean,
  ): Promise<VectorSearchHit[]>;
}

/**
 * Vectors kept across rebuilds of one retriever, by embedder id and item revision, so
 * unchanged items are not embedded again; entries of items gone are dropped on rebuild.
 */
export type VectorCache = Map<string, Vector[]>;

const isOfflineEmbedder = (embedder: Embedder): embedder is OfflineEmbedder =>
  typeof (embedder as Partial<OfflineEmbedder>).fit === 'function';

/**
 * Builds a retriever over items. The offline embedder is first fitted on the items' own
 * texts (its weights are the rarity of features among them), which is cheap and local; other
 * embedders embed each item once per revision, the cache keeping vectors across rebuilds.
 */
export async function buildTextRetriever(
  embedder: Embedder,
  items: readonly RetrievalItem[],
  cache: VectorCache,
): Promise<TextRetriever> {
  const index = createVectorIndex();
  const withTexts = items.filter((item) => item.texts.some((text) => text.trim().length > 0));
  if (isOfflineEmbedder(embedder)) {
    const fitted = embedder.fit(
      withTexts.flatMap((item) => item.texts.map((text) => ({ text, group: item.id }))),
    );
    for (const item of withTexts) index.upsert(item.id, item.texts.map(fitted.embedText));
    return {
      size: index.size,
      async search(query, k, filter) {
        return index.search(fitted.embedText(query), k, filter ? { filter } : undefined);
      },
    };
  }
  const missing = withTexts.filter((item) => !cache.has(`${embedder.id}:${item.revision}`));
  if (missing.length > 0) {
    const vectors = await embedder.embed(
      missing.flatMap((item) => item.texts),
      { purpose: 'document' },
    );
    let position = 0;
    for (const item of missing) {
      cache.set(
        `${embedder.id}:${item.revision}`,
        vectors.slice(position, position + item.texts.length),
      );
      position += item.texts.length;
    }
  }
  const current = new Set(withTexts.map((item) => `${embedder.id}:${item.revision}`));
  for (const key of [...cache.keys()]) if (!current.has(key)) cache.delete(key);
  for (const item of withTexts)
    index.upsert(item.id, cache.get(`${embedder.id}:${item.revision}`) ?? []);
  return {
    size: index.size,
    async search(query, k, filter) {
      if (index.size === 0) return [];
      const [vector] = await embedder.embed([query], { purpose: 'query' });
      return vector ? index.search(vector, k, filter ? { filter } : undefined) : [];
    },
  };
}
