import type { SparseVector } from '../ports/embedder';

/**
 * An item's sparse vectors laid out for search: by coordinate rather than by vector. For
 * each coordinate any of its vectors has (the `support`, ascending): which vectors have it,
 * with what value. Scoring a query against all the item's vectors then walks only the
 * coordinates the query has, instead of every coordinate of every vector. Also holds the
 * item's centroid, on the same support, and what the index needs to bound its scores.
 */
export interface SparseItem {
  /** Number of vectors. */
  readonly vectorCount: number;
  /** Length of the item's longest vector (1 for unit vectors). */
  readonly maximumLength: number;
  /** Coordinates any vector has, strictly increasing. */
  readonly support: Uint32Array;
  /** The centroid's value at each support coordinate. */
  readonly centroidValues: Float32Array;
  /** Highest value any vector takes at each support coordinate (0 if some vector lacks it). */
  readonly highestValues: Float32Array;
  /** Lowest value any vector takes at each support coordinate (0 if some vector lacks it). */
  readonly lowestValues: Float32Array;
  /** `members[memberStarts[p] .. memberStarts[p + 1])`: the vectors having `support[p]`. */
  readonly memberStarts: Uint32Array;
  /** Vector positions (in the order given), grouped by coordinate. */
  readonly members: Uint16Array | Uint32Array;
  /** Each member's value at its coordinate. */
  readonly memberValues: Float32Array;
}

/** Entries of one item that fit the packed sort key below (2^53 / 2^32 coordinates). */
const packedEntryLimit = 2 ** 21;

/**
 * Lays out an item's vectors (see {@link SparseItem}). The centroid is the normalized
 * `(Σ vectors) ^ centroidExponent`, coordinate by coordinate, sign kept.
 */
export function createSparseItem(
  vectors: readonly SparseVector[],
  centroidExponent: number,
): SparseItem {
  let entryCount = 0;
  for (const vector of vectors) entryCount += vector.indices.length;
  const entryVector = new Uint32Array(entryCount);
  const entryValue = new Float32Array(entryCount);
  const { coordinates, entries } = sortEntriesByCoordinate(
    vectors,
    entryCount,
    entryVector,
    entryValue,
  );

  // Walk the entries in coordinate order: one support position per distinct coordinate.
  const supportList: number[] = [];
  const starts: number[] = [];
  const members =
    vectors.length <= 0xffff ? new Uint16Array(entryCount) : new Uint32Array(entryCount);
  const memberValues = new Float32Array(entryCount);
  for (let position = 0; position < entryCount; position++) {
    const coordinate = coordinates[position]!;
    if (position === 0 || coordinates[position - 1] !== coordinate) {
      supportList.push(coordinate);
      starts.push(position);
    }
    const entry = entries[position]!;
    members[position] = entryVector[entry]!;
    memberValues[position] = entryValue[entry]!;
  }
  starts.push(entryCount);
  const support = Uint32Array.from(supportList);
  const memberStarts = Uint32Array.from(starts);

  const centroidValues = new Float32Array(support.length);
  const highestValues = new Float32Array(support.length);
  const lowestValues = new Float32Array(support.length);
  let squaredLength = 0;
  for (let position = 0; position < support.length; position++) {
    const start = memberStarts[position]!;
    const end = memberStarts[position + 1]!;
    let sum = 0;
    let highest = Number.NEGATIVE_INFINITY;
    let lowest = Number.POSITIVE_INFINITY;
    for (let member = start; member < end; member++) {
      const value = memberValues[member]!;
      sum += value;
      if (value > highest) highest = value;
      if (value < lowest) lowest = value;
    }
    // A vector lacking the coordinate has 0 there: the range must include it.
    if (end - start < vectors.length) {
      highest = Math.max(highest, 0);
      lowest = Math.min(lowest, 0);
    }
    highestValues[position] = highest;
    lowestValues[position] = lowest;
    const value = centroidExponent === 1 ? sum : Math.sign(sum) * Math.abs(sum) ** centroidExponent;
    centroidValues[position] = value;
    squaredLength += value * value;
  }
  const factor = squaredLength === 0 ? 0 : 1 / Math.sqrt(squaredLength);
  for (let position = 0; position < support.length; position++) {
    centroidValues[position]! *= factor;
  }

  let maximumLength = 0;
  for (const vector of vectors) {
    let squared = 0;
    for (const value of vector.values) squared += value * value;
    maximumLength = Math.max(maximumLength, Math.sqrt(squared));
  }

  return {
    vectorCount: vectors.length,
    maximumLength,
    support,
    centroidValues,
    highestValues,
    lowestValues,
    memberStarts,
    members,
    memberValues,
  };
}

/**
 * Every entry (a vector's coordinate) of the item, sorted by coordinate, then by vector:
 * the coordinates, and the entries' numbers. Fills `entryVector` and `entryValue` by entry
 * number as it goes. Sorts one packed float key natively when coordinate and entry number
 * fit in 53 bits together, the common case and much the faster.
 */
function sortEntriesByCoordinate(
  vectors: readonly SparseVector[],
  entryCount: number,
  entryVector: Uint32Array,
  entryValue: Float32Array,
): { coordinates: Uint32Array; entries: Uint32Array } {
  const coordinates = new Uint32Array(entryCount);
  const entries = new Uint32Array(entryCount);
  let entry = 0;
  vectors.forEach((vector, vectorPosition) => {
    for (let at = 0; at < vector.indices.length; at++) {
      coordinates[entry] = vector.indices[at]!;
      entries[entry] = entry;
      entryVector[entry] = vectorPosition;
      entryValue[entry] = vector.values[at]!;
      entry++;
    }
  });
  // Entries are numbered vector by vector, so ordering by (coordinate, entry number) also
  // keeps vectors in order within a coordinate.
  if (entryCount <= packedEntryLimit) {
    const keys = new Float64Array(entryCount);
    for (let at = 0; at < entryCount; at++) keys[at] = coordinates[at]! * packedEntryLimit + at;
    keys.sort();
    for (let at = 0; at < entryCount; at++) {
      const key = keys[at]!;
      const number = key % packedEntryLimit;
      entries[at] = number;
      coordinates[at] = (key - number) / packedEntryLimit;
    }
    return { coordinates, entries };
  }
  const sortedEntries = Uint32Array.from(entries).sort(
    (left, right) => coordinates[left]! - coordinates[right]! || left - right,
  );
  return {
    coordinates: Uint32Array.from(sortedEntries, (at) => coordinates[at]!),
    entries: sortedEntries,
  };
}

/**
 * The highest dot product between `query` and any of the item's vectors, in one walk over
 * the query's coordinates. `scratch` must hold at least `vectorCount` zeros; it is left
 * zeroed.
 */
export function bestVectorScore(
  item: SparseItem,
  query: SparseVector,
  scratch: Float64Array,
): number {
  const { support, memberStarts, members, memberValues } = item;
  const supportLength = support.length;
  let low = 0;
  for (let at = 0; at < query.indices.length && low < supportLength; at++) {
    const index = query.indices[at]!;
    // Query coordinates ascend, so search onwards from the last one: gallop to bracket
    // the coordinate, then halve the bracket.
    let step = 1;
    let high = low;
    while (high < supportLength && support[high]! < index) {
      low = high + 1;
      high += step;
      step *= 2;
    }
    if (high > supportLength) high = supportLength;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (support[middle]! < index) low = middle + 1;
      else high = middle;
    }
    if (low === supportLength || support[low] !== index) continue;
    const weight = query.values[at]!;
    const end = memberStarts[low + 1]!;
    for (let member = memberStarts[low]!; member < end; member++) {
      scratch[members[member]!]! += weight * memberValues[member]!;
    }
    low++;
  }
  // A vector sharing nothing with the query scores 0, which the zeroed scratch holds.
  let best = scratch[0]!;
  scratch[0] = 0;
  for (let vector = 1; vector < item.vectorCount; vector++) {
    if (scratch[vector]! > best) best = scratch[vector]!;
    scratch[vector] = 0;
  }
  return best;
}
