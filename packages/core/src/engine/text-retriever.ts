import type { Embedder, Vector } from '../ports/embedder';
import type { OfflineEmbedder } from '../retrieval/offline-embedder';
import { compareHits } from '../retrieval/top-hits';
import {
  createVectorIndex,
  type VectorIndex,
  type VectorSearchHit,
} from '../retrieval/vector-index';

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
 * One cache serves both embedders of a fused retriever: keys start with the embedder's id.
 */
export type VectorCache = Map<string, Vector[]>;

/**
 * A second, meaning-based embedder whose scores are fused with the first's:
 * `score = (1 − weight) · lexical + weight · semantic`, each a cosine-based item score.
 */
export interface SemanticRetrieval {
  embedder: Embedder;
  /** Share of the semantic score in the fused one, from 0 to 1. */
  weight: number;
}

const isOfflineEmbedder = (embedder: Embedder): embedder is OfflineEmbedder =>
  typeof (embedder as Partial<OfflineEmbedder>).fit === 'function';

/**
 * Builds a retriever over items. The offline embedder is first fitted on the items' own
 * texts (its weights are the rarity of features among them), which is cheap and local; other
 * embedders embed each item once per revision, the cache keeping vectors across rebuilds.
 * With `semantic`, both rank every item and their scores are fused.
 */
export async function buildTextRetriever(
  embedder: Embedder,
  items: readonly RetrievalItem[],
  cache: VectorCache,
  semantic?: SemanticRetrieval,
  options: { keepOtherVectors?: boolean } = {},
): Promise<TextRetriever> {
  const withTexts = items
    .map((item) => ({ ...item, texts: item.texts.filter((text) => text.trim().length > 0) }))
    .filter((item) => item.texts.length > 0);
  const [lexical, meaning] = await Promise.all([
    buildSingleRetriever(embedder, withTexts, cache, options),
    semantic && semantic.weight > 0
      ? buildSingleRetriever(semantic.embedder, withTexts, cache, options)
      : null,
  ]);
  if (!meaning || !semantic) return lexical;
  const weight = Math.min(1, semantic.weight);
  return {
    size: lexical.size,
    async search(query, k, filter) {
      if (lexical.size === 0) return [];
      // Every item is scored by both (a few thousand dot products at most), so an item one
      // embedder missed still gets the other's score instead of none.
      const [lexicalHits, semanticHits] = await Promise.all([
        lexical.search(query, lexical.size, filter),
        meaning.search(query, meaning.size, filter),
      ]);
      const fused = new Map<string, number>();
      for (const hit of semanticHits) fused.set(hit.itemId, weight * Math.max(0, hit.score));
      for (const hit of lexicalHits)
        fused.set(hit.itemId, (fused.get(hit.itemId) ?? 0) + (1 - weight) * hit.score);
      return [...fused]
        .map(([itemId, score]) => ({ itemId, score }))
        .sort(compareHits)
        .slice(0, k);
    },
  };
}

async function buildSingleRetriever(
  embedder: Embedder,
  withTexts: readonly RetrievalItem[],
  cache: VectorCache,
  options: { keepOtherVectors?: boolean },
): Promise<TextRetriever> {
  const index = createVectorIndex();
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
  await embedMissing(embedder, withTexts, cache, index, options);
  return {
    size: index.size,
    async search(query, k, filter) {
      if (index.size === 0) return [];
      const [vector] = await embedder.embed([query], { purpose: 'query' });
      return vector ? index.search(vector, k, filter ? { filter } : undefined) : [];
    },
  };
}

async function embedMissing(
  embedder: Embedder,
  withTexts: readonly RetrievalItem[],
  cache: VectorCache,
  index: VectorIndex,
  options: { keepOtherVectors?: boolean },
): Promise<void> {
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
  if (!options.keepOtherVectors) {
    // Only this embedder's entries: the other embedder of a fused retriever keeps its own.
    const own = `${embedder.id}:`;
    const current = new Set(withTexts.map((item) => `${own}${item.revision}`));
    for (const key of [...cache.keys()])
      if (key.startsWith(own) && !current.has(key)) cache.delete(key);
  }
  for (const item of withTexts)
    index.upsert(item.id, cache.get(`${embedder.id}:${item.revision}`) ?? []);
}
