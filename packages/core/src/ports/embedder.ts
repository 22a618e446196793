/**
 * A sparse vector: the non-zero coordinates of a vector in a large space, `indices` strictly
 * increasing. Lexical embedders (the offline one) produce these; they make scoring thousands
 * of guidelines a walk over a few posting lists instead of a dense product.
 */
export interface SparseVector {
  readonly indices: Uint32Array;
  readonly values: Float32Array;
}

/** A unit-length vector, dense (neural embedders) or sparse (lexical ones). */
export type Vector = Float32Array | SparseVector;

/**
 * Turns texts into vectors whose dot product measures how alike the texts are: the engine's
 * retrieval of guidelines, glossary terms and canned responses rests on it.
 *
 * Vectors are unit length, so the dot product is the cosine similarity. `id` names the vector
 * space (model, version and dimensions): vectors of different ids never mix, and caches key
 * on it. Implementations: the offline embedder of `@parley/core` (deterministic, no network,
 * sparse) and `@parley/core/openai` (any OpenAI-compatible embeddings endpoint, dense).
 */
export interface Embedder {
  /** Names the vector space, e.g. `offline:v1` or `openai:text-embedding-3-small`. */
  readonly id: string;
  /** Size of the space: the dense length, or the bound of sparse indices. */
  readonly dimensions: number;
  /**
   * Embeds texts, one vector per text, in order. `purpose` lets asymmetric models embed a
   * query (the conversation) differently from the documents it is matched against.
   */
  embed(
    texts: readonly string[],
    options?: { purpose?: 'query' | 'document'; signal?: AbortSignal },
  ): Promise<Vector[]>;
}
