import { ParleyError } from '../errors/parley-error';
import type { Embedder, Vector } from '../ports/embedder';
import {
  endpointHost,
  type OpenAIConnectionOptions,
  openAIClientOf,
  perRequestOptionsOf,
} from './openai-connection';
import { toModelError } from './to-model-error';

/** Options of {@link createOpenAIEmbedder}. */
export interface OpenAIEmbedderOptions extends OpenAIConnectionOptions {
  /** The embedding model, e.g. `text-embedding-3-small` or `nomic-embed-text`. */
  model: string;
  /**
   * Length of the vectors. Sent as the request's `dimensions` (text-embedding-3 models shorten
   * their vectors to it). Optional for OpenAI's own models, whose native length is known;
   * required for any other model.
   */
  dimensions?: number;
  /**
   * Whether to send `dimensions` to the server; default true when `dimensions` is given.
   * Set false for servers that reject the field (models without shortened embeddings): the
   * length is then only checked.
   */
  requestDimensions?: boolean;
  /** Texts per request; default 512 (OpenAI accepts up to 2048 inputs a request). */
  batchSize?: number;
}

/** Native vector lengths of OpenAI's embedding models. */
const nativeDimensions: Readonly<Record<string, number>> = {
  'text-embedding-3-small': 1536,
  'text-embedding-3-large': 3072,
  'text-embedding-ada-002': 1536,
};

/**
 * An {@link Embedder} on the `openai` client's embeddings endpoint (OpenAI, or any compatible
 * server). Vectors are dense `Float32Array`s, normalized to unit length here because some
 * compatible servers do not; texts are sent in batches of `batchSize`, one request after
 * another, so a long list does not trip rate limits all at once.
 *
 * `id` is `<host>:<model>:<dimensions>` (`openai:text-embedding-3-small:1536` for
 * api.openai.com), so vectors from different endpoints, models or lengths never mix. OpenAI's
 * models are symmetric: `purpose` is accepted and ignored. Failures map as for
 * `createOpenAIChatModel` (see `OpenAIFailureReason`); a vector of the wrong length or of
 * zero length is a `malformed_output`.
 */
export function createOpenAIEmbedder(options: OpenAIEmbedderOptions): Embedder {
  const dimensions = options.dimensions ?? nativeDimensions[options.model];
  if (dimensions === undefined || !Number.isInteger(dimensions) || dimensions <= 0) {
    throw new ParleyError(
      'validation_failed',
      `The OpenAI embedder needs \`dimensions\` (a positive integer) for model ${options.model}`,
      { reason: 'missing_dimensions', details: { model: options.model } },
    );
  }
  const batchSize = options.batchSize ?? 512;
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new ParleyError('validation_failed', '`batchSize` must be a positive integer', {
      details: { batchSize },
    });
  }
  const client = openAIClientOf(options);
  const id = `${endpointHost(client.baseURL)}:${options.model}:${dimensions}`;
  const sendDimensions = options.dimensions !== undefined && options.requestDimensions !== false;
  const perRequest = perRequestOptionsOf(options);

  async function embedBatch(texts: string[], signal: AbortSignal | undefined): Promise<Vector[]> {
    let response: Awaited<ReturnType<typeof client.embeddings.create>>;
    try {
      response = await client.embeddings.create(
        {
          model: options.model,
          input: texts,
          ...(sendDimensions ? { dimensions } : {}),
          // Without it the client asks for base64 and decodes it, which servers that only
          // speak floats (Ollama among them) answer with floats the decoder then mangles.
          encoding_format: 'float',
        },
        { ...perRequest, signal },
      );
    } catch (error) {
      throw toModelError(error, { modelId: id, signal, secrets: [client.apiKey] });
    }
    const ordered = [...response.data].sort((left, right) => left.index - right.index);
    if (ordered.length !== texts.length) {
      throw malformed(`returned ${ordered.length} vectors for ${texts.length} texts`);
    }
    return ordered.map((item) => normalize(item.embedding));
  }

  function normalize(values: readonly number[]): Float32Array {
    if (values.length !== dimensions) {
      throw malformed(`returned a vector of length ${values.length}, expected ${dimensions}`);
    }
    let sumOfSquares = 0;
    for (const value of values) sumOfSquares += value * value;
    const length = Math.sqrt(sumOfSquares);
    if (!Number.isFinite(length) || length === 0) {
      throw malformed('returned a vector that cannot be normalized (zero or not finite)');
    }
    const vector = new Float32Array(values.length);
    for (let index = 0; index < values.length; index += 1) {
      vector[index] = values[index]! / length;
    }
    return vector;
  }

  function malformed(what: string): ParleyError {
    return new ParleyError('model_failed', `Embedding model ${id} ${what}`, {
      reason: 'malformed_output',
      retryable: true,
    });
  }

  return {
    id,
    dimensions,
    async embed(texts, embedOptions = {}) {
      const { signal } = embedOptions;
      const vectors: Vector[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        if (signal?.aborted) throw new ParleyError('cancelled', 'The embedding was cancelled');
        vectors.push(...(await embedBatch(texts.slice(start, start + batchSize), signal)));
      }
      return vectors;
    },
  };
}
