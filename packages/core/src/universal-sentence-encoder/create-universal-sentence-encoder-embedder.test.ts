import { describe, expect, it } from 'vitest';
import { buildTextRetriever } from '../engine/text-retriever';
import { ParleyError } from '../errors/parley-error';
import { createOfflineEmbedder } from '../retrieval/offline-embedder';
import { createUniversalSentenceEncoderEmbedder } from './create-universal-sentence-encoder-embedder';

const embedder = createUniversalSentenceEncoderEmbedder({ batchSize: 2 });

const dot = (left: Float32Array, right: Float32Array) =>
  left.reduce((sum, value, index) => sum + value * (right[index] ?? 0), 0);

describe('createUniversalSentenceEncoderEmbedder', () => {
  it('embeds texts in order as unit vectors of 512, meaning closer than words', async () => {
    await embedder.ready();
    const [parking, car, weather] = (await embedder.embed([
      'is there parking near the clinic?',
      'can I leave my car somewhere close by?',
      'what is the weather like today?',
    ])) as Float32Array[];
    for (const vector of [parking, car, weather]) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector?.length).toBe(512);
      expect(dot(vector as Float32Array, vector as Float32Array)).toBeCloseTo(1, 4);
    }
    expect(dot(parking as Float32Array, car as Float32Array)).toBeGreaterThan(
      dot(parking as Float32Array, weather as Float32Array) + 0.1,
    );
    expect(embedder.id).toBe('universal-sentence-encoder-lite:v1');
    expect(embedder.dimensions).toBe(512);
  });

  it('gives an empty text the zero vector, which matches nothing', async () => {
    const [empty, text] = (await embedder.embed(['  ', 'hello'])) as Float32Array[];
    expect([...(empty as Float32Array)].every((value) => value === 0)).toBe(true);
    expect(dot(empty as Float32Array, text as Float32Array)).toBe(0);
  });

  it('refuses a batch size that is not a positive integer', () => {
    expect(() => createUniversalSentenceEncoderEmbedder({ batchSize: 0 })).toThrow(ParleyError);
  });

  it('fused with the lexical embedder, finds the paraphrase the words miss', async () => {
    const items = [
      {
        id: 'location',
        revision: 'l',
        texts: ['where is the clinic?', 'is there parking nearby?'],
      },
      { id: 'hours', revision: 'h', texts: ['when are you open?', 'what time do you close?'] },
      { id: 'prices', revision: 'p', texts: ['how much is a check-up?', 'what are your prices?'] },
    ];
    const query = 'can I leave my car somewhere close by?';
    const lexical = await buildTextRetriever(createOfflineEmbedder(), items, new Map());
    const fused = await buildTextRetriever(createOfflineEmbedder(), items, new Map(), {
      embedder,
      weight: 0.5,
    });
    const marginOfLocation = async (retriever: typeof lexical) => {
      const hits = await retriever.search(query, 3);
      const location = hits.find((hit) => hit.itemId === 'location')?.score ?? 0;
      const others = hits.filter((hit) => hit.itemId !== 'location').map((hit) => hit.score);
      return location - Math.max(0, ...others);
    };
    const [best] = await fused.search(query, 3);
    expect(best?.itemId).toBe('location');
    expect(await marginOfLocation(fused)).toBeGreaterThan((await marginOfLocation(lexical)) + 0.05);
  });

  it("keeps both embedders' vectors in one cache across rebuilds, embedding nothing twice", async () => {
    const embedded: string[] = [];
    const counting = {
      ...embedder,
      embed: (texts: readonly string[], options?: Parameters<typeof embedder.embed>[1]) => {
        embedded.push(...texts);
        return embedder.embed(texts, options);
      },
    };
    const cache = new Map();
    const items = [{ id: 'hours', revision: 'h1', texts: ['when are you open?'] }];
    await buildTextRetriever(createOfflineEmbedder(), items, cache, {
      embedder: counting,
      weight: 0.5,
    });
    await buildTextRetriever(createOfflineEmbedder(), items, cache, {
      embedder: counting,
      weight: 0.5,
    });
    expect(embedded).toEqual(['when are you open?']);
    const changed = [{ id: 'hours', revision: 'h2', texts: ['what are your opening hours?'] }];
    await buildTextRetriever(createOfflineEmbedder(), changed, cache, {
      embedder: counting,
      weight: 0.5,
    });
    expect(embedded).toEqual(['when are you open?', 'what are your opening hours?']);
    expect([...cache.keys()]).toEqual([`${embedder.id}:h2`]);
  });
});
