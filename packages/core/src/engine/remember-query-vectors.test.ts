import { describe, expect, it } from 'vitest';
import type { Embedder } from '../ports/embedder';
import { rememberQueryVectors } from './remember-query-vectors';

function countingEmbedder(fail = false) {
  const calls: Array<{ texts: readonly string[]; purpose?: string }> = [];
  const embedder: Embedder = {
    id: 'counting:v1',
    dimensions: 2,
    async embed(texts, options) {
      calls.push({ texts, purpose: options?.purpose });
      if (fail) throw new Error('down');
      return texts.map((text) => Float32Array.from([text.length, 1]));
    },
  };
  return { embedder, calls };
}

describe('rememberQueryVectors', () => {
  it('encodes a query once however many indexes search it, and keeps its id', async () => {
    const { embedder, calls } = countingEmbedder();
    const remembering = rememberQueryVectors(embedder);
    expect(remembering.id).toBe('counting:v1');
    const [first, second] = await Promise.all([
      remembering.embed(['when are you open?'], { purpose: 'query' }),
      remembering.embed(['when are you open?'], { purpose: 'query' }),
    ]);
    await remembering.embed(['when are you open?'], { purpose: 'query' });
    expect(first).toBe(second);
    expect(calls).toHaveLength(1);
  });

  it('does not remember documents, nor batches', async () => {
    const { embedder, calls } = countingEmbedder();
    const remembering = rememberQueryVectors(embedder);
    await remembering.embed(['a'], { purpose: 'document' });
    await remembering.embed(['a'], { purpose: 'document' });
    await remembering.embed(['a', 'b'], { purpose: 'query' });
    await remembering.embed(['a', 'b'], { purpose: 'query' });
    expect(calls).toHaveLength(4);
  });

  it('forgets the least recently used beyond its limit, and a failed call', async () => {
    const { embedder, calls } = countingEmbedder();
    const remembering = rememberQueryVectors(embedder, 2);
    for (const text of ['a', 'b', 'a', 'c', 'a', 'b'])
      await remembering.embed([text], { purpose: 'query' });
    // 'a' stayed (used again before 'c' came); 'b' was dropped for 'c' and asked again.
    expect(calls.map((call) => call.texts[0])).toEqual(['a', 'b', 'c', 'b']);
    const broken = countingEmbedder(true);
    const failing = rememberQueryVectors(broken.embedder);
    await expect(failing.embed(['x'], { purpose: 'query' })).rejects.toThrow('down');
    await expect(failing.embed(['x'], { purpose: 'query' })).rejects.toThrow('down');
    expect(broken.calls).toHaveLength(2);
  });
});
