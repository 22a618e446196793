import { ParleyError } from '../errors/parley-error';
import type { Vector } from '../ports/embedder';

/**
 * The query's vector as pgvector's text form (`[0.1,-0.2,…]`), sent as one parameter and cast
 * to `vector` in SQL. `null` for the zero vector, whose cosine distance to anything is
 * undefined (pgvector answers NaN): the vector arm is then left out.
 *
 * Throws an `internal` ParleyError when the embedder does not fit the table (the host's
 * configuration is at fault, not the customer's message): a sparse vector
 * (`dense_embedding_required`), a length other than the column's
 * (`embedding_dimensions_mismatch`), or a coordinate that is not a finite number
 * (`malformed_embedding`).
 */
export function toVectorLiteral(
  vector: Vector | undefined,
  context: { embedderId: string; dimensions: number | null; table: string; column: string },
): string | null {
  if (!(vector instanceof Float32Array)) {
    const shape = vector === undefined ? 'no vector' : 'a sparse vector';
    throw new ParleyError(
      'internal',
      `The pgvector retriever needs dense vectors (Float32Array), but embedder ${context.embedderId} returned ${shape}: use a dense embedder such as @parley/core/openai's for the query`,
      { reason: 'dense_embedding_required', details: { embedderId: context.embedderId } },
    );
  }
  if (context.dimensions !== null && vector.length !== context.dimensions) {
    throw new ParleyError(
      'internal',
      `Embedder ${context.embedderId} returned a vector of ${vector.length} dimensions, but ${context.table}.${context.column} holds vector(${context.dimensions}): the query must be embedded by the model that embedded the chunks`,
      {
        reason: 'embedding_dimensions_mismatch',
        details: {
          embedderId: context.embedderId,
          vectorDimensions: vector.length,
          columnDimensions: context.dimensions,
        },
      },
    );
  }
  let sumOfSquares = 0;
  for (const value of vector) {
    if (!Number.isFinite(value)) {
      throw new ParleyError(
        'internal',
        `Embedder ${context.embedderId} returned a vector with a coordinate that is not a finite number`,
        { reason: 'malformed_embedding', details: { embedderId: context.embedderId } },
      );
    }
    sumOfSquares += value * value;
  }
  if (sumOfSquares === 0) return null;
  // `String` of a float32 widened to a double reads back as the same float32 in pgvector.
  return `[${Array.from(vector, String).join(',')}]`;
}
