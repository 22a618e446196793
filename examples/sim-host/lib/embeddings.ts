/**
 * @module The host's embedding model, as Sim has one for its knowledge bases: OpenAI's
 * `text-embedding-3-small` at the 1536 dimensions of the `embedding` column. The seed embeds the
 * knowledge base's chunks with it, and Parley's retriever its queries, so both vectors come from
 * the same function (a query embedded by another model would be compared with nothing alike).
 */
import type { Embedder } from '@parley/core';
import { createOpenAIEmbedder } from '@parley/core/openai';

/**
 * The embedder when `OPENAI_API_KEY` or `OPENAI_BASE_URL` (any OpenAI-compatible server) is set,
 * else `null`: the host then runs without searching its knowledge bases.
 */
export const embedder: Embedder | null =
  process.env.OPENAI_API_KEY || process.env.OPENAI_BASE_URL
    ? createOpenAIEmbedder({
        model: 'text-embedding-3-small',
        // Sent with each request, so a compatible server also answers 1536 numbers (OpenAI's
        // own length for this model), the length of the `embedding vector(1536)` column.
        dimensions: 1536,
      })
    : null;
