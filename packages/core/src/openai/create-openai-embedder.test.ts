import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import { type FakeOpenAIServer, startFakeOpenAIServer } from '../testing/start-fake-openai-server';
import { createOpenAIEmbedder, type OpenAIEmbedderOptions } from './create-openai-embedder';

const apiKey = 'sk-test-embeddings-0123456789';
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAIServer({ apiKey });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

function embedder(options: Partial<OpenAIEmbedderOptions> = {}) {
  return createOpenAIEmbedder({
    model: 'embed-fake',
    dimensions: 16,
    apiKey,
    baseURL: server.baseURL,
    maxRetries: 0,
    ...options,
  });
}

function lengthOf(vector: Float32Array): number {
  return Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
}

async function failureOf(promise: Promise<unknown>): Promise<ParleyError> {
  try {
    await promise;
  } catch (error) {
    if (ParleyError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createOpenAIEmbedder', () => {
  it('names the vector space after the endpoint, the model and the dimensions', () => {
    expect(embedder().id).toBe(`${new URL(server.baseURL).host}:embed-fake:16`);
    expect(embedder().dimensions).toBe(16);
    expect(createOpenAIEmbedder({ model: 'text-embedding-3-small', apiKey }).id).toBe(
      'openai:text-embedding-3-small:1536',
    );
  });

  it('returns dense unit-length vectors, in order, deterministic per text', async () => {
    const vectors = await embedder().embed(['refund policy', 'shipping times', 'refund policy']);

    expect(vectors).toHaveLength(3);
    for (const vector of vectors) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect((vector as Float32Array).length).toBe(16);
      expect(lengthOf(vector as Float32Array)).toBeCloseTo(1, 5);
    }
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(server.requests[0]?.body).toMatchObject({
      model: 'embed-fake',
      input: ['refund policy', 'shipping times', 'refund policy'],
      dimensions: 16,
      encoding_format: 'float',
    });
  });

  it('sends batchSize texts a request: two requests for batchSize + 1 texts', async () => {
    const texts = ['a', 'b', 'c', 'd'];

    const vectors = await embedder({ batchSize: 3 }).embed(texts);

    expect(vectors).toHaveLength(4);
    expect(server.requests.map((request) => (request.body as { input: string[] }).input)).toEqual([
      ['a', 'b', 'c'],
      ['d'],
    ]);
    // Batching does not change a text's vector.
    expect(vectors[3]).toEqual((await embedder().embed(['d']))[0]);
  });

  it('makes no request for no texts', async () => {
    expect(await embedder().embed([])).toEqual([]);
    expect(server.requests).toEqual([]);
  });

  it('omits dimensions from the request when asked to', async () => {
    await embedder({ dimensions: 8, requestDimensions: false }).embed(['x']);

    expect(server.requests[0]?.body).not.toHaveProperty('dimensions');
  });

  it('fails with malformed_output when the server returns vectors of another length', async () => {
    const error = await failureOf(
      embedder({ dimensions: 12, requestDimensions: false }).embed(['x']),
    );

    expect(error).toMatchObject({ code: 'model_failed', reason: 'malformed_output' });
  });

  it('maps failures like the chat model, without the key', async () => {
    server.failNext({ status: 429, headers: { 'retry-after': '2' } });
    expect(await failureOf(embedder().embed(['x']))).toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      details: { retryAfterSeconds: 2 },
    });

    server.failNext({ status: 502 });
    expect(await failureOf(embedder().embed(['x']))).toMatchObject({ reason: 'unavailable' });

    const wrongKey = 'sk-wrong-embeddings-key-42';
    const error = await failureOf(embedder({ apiKey: wrongKey }).embed(['x']));
    expect(error.reason).toBe('unauthorized');
    expect(JSON.stringify(error.toJSON()) + error.message).not.toContain(wrongKey);
  });

  it('rejects with cancelled when aborted', async () => {
    const controller = new AbortController();
    controller.abort();

    expect((await failureOf(embedder().embed(['x'], { signal: controller.signal }))).code).toBe(
      'cancelled',
    );
  });

  it('refuses an unknown model without dimensions', () => {
    expect(() => createOpenAIEmbedder({ model: 'nomic-embed-text', apiKey })).toThrow(/dimensions/);
  });
});
