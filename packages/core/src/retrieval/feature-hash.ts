/** FNV-1a's 32-bit offset basis: the state of the hash before any byte. */
export const fnvOffsetBasis = 0x811c9dc5;

/**
 * FNV-1a (32 bits) over the UTF-8 bytes of `feature`: a stable hash, the same in every
 * JavaScript engine and every release, so a hashed vector space never moves under a cache.
 * Written here rather than taken from a library because its output is part of the offline
 * embedder's vector space (`offline:v1`): it must never change with a dependency update.
 * Pass the hash of a first part as `seed` to hash a longer text piece by piece:
 * `hashFeature(b, hashFeature(a))` equals `hashFeature(a + b)`.
 */
export function hashFeature(feature: string, seed: number = fnvOffsetBasis): number {
  let hash = seed;
  for (let index = 0; index < feature.length; index++) {
    let codePoint = feature.charCodeAt(index);
    // A surrogate pair is one code point: join it, so the bytes are those of real UTF-8.
    if (codePoint >= 0xd800 && codePoint <= 0xdbff && index + 1 < feature.length) {
      const low = feature.charCodeAt(index + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        codePoint = 0x10000 + ((codePoint - 0xd800) << 10) + (low - 0xdc00);
        index++;
      }
    }
    if (codePoint < 0x80) {
      hash = fnvStep(hash, codePoint);
    } else if (codePoint < 0x800) {
      hash = fnvStep(hash, 0xc0 | (codePoint >> 6));
      hash = fnvStep(hash, 0x80 | (codePoint & 0x3f));
    } else if (codePoint < 0x10000) {
      hash = fnvStep(hash, 0xe0 | (codePoint >> 12));
      hash = fnvStep(hash, 0x80 | ((codePoint >> 6) & 0x3f));
      hash = fnvStep(hash, 0x80 | (codePoint & 0x3f));
    } else {
      hash = fnvStep(hash, 0xf0 | (codePoint >> 18));
      hash = fnvStep(hash, 0x80 | ((codePoint >> 12) & 0x3f));
      hash = fnvStep(hash, 0x80 | ((codePoint >> 6) & 0x3f));
      hash = fnvStep(hash, 0x80 | (codePoint & 0x3f));
    }
  }
  return hash >>> 0;
}

/**
 * The bucket of `feature` in a space of `2 ** bits` coordinates. The high bits are folded
 * onto the low ones (FNV's recommended reduction) rather than dropped, so every bit of the
 * hash spreads features over the buckets.
 */
export function featureBucket(feature: string, bits: number): number {
  return foldHash(hashFeature(feature), bits);
}

/** The bucket of a 32-bit hash in a space of `2 ** bits` coordinates (see {@link featureBucket}). */
export function foldHash(hash: number, bits: number): number {
  if (bits >= 32) return hash >>> 0;
  return (((hash >>> bits) ^ hash) & ((1 << bits) - 1)) >>> 0;
}

function fnvStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}
