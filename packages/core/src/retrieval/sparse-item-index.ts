import type { SparseVector } from '../ports/embedder';
import { bestVectorScore, type SparseItem } from './sparse-item';
import { TopHits, type VectorSearchHit } from './top-hits';

/** The weights of an item's score: `centroidWeight · centroid + maximumWeight · best vector`. */
export interface SparseScoreWeights {
  /** Weight of the centroid's dot product with the query. */
  readonly centroidWeight: number;
  /** Weight of the best vector's dot product with the query. */
  readonly maximumWeight: number;
}

/**
 * The sparse half of the vector index: items of sparse vectors, found through posting
 * lists with one entry per item and coordinate, and ranked exactly.
 */
export interface SparseItemIndex {
  /** Number of items held. */
  readonly size: number;
  /** Whether the item is held. */
  has(itemId: string): boolean;
  /** Adds the item, or replaces the one of the same id. */
  set(itemId: string, item: SparseItem): void;
  /** Removes the item; returns whether it was there. */
  delete(itemId: string): boolean;
  /**
   * The `k` best items sharing a coordinate with `query`, by score descending then item id
   * ascending. `filter`, when given, is asked about each item sharing a coordinate.
   */
  search(
    query: SparseVector,
    k: number,
    filter: ((itemId: string) => boolean) | undefined,
  ): VectorSearchHit[];
}

/**
 * The items having one coordinate. Each entry is four 32-bit words, read through two views
 * of one buffer (one allocation per growth, one stream to read): the item's slot (integer),
 * its centroid's value there, and the highest and lowest values its vectors take there.
 */
interface Posting {
  slots: Int32Array;
  values: Float32Array;
  length: number;
}

/** Words per posting entry: slot, centroid value, highest value, lowest value. */
const stride = 4;

/** Relative slack on upper bounds, so float rounding never prunes a true winner. */
const boundSlack = 1e-6;

/**
 * Creates an empty {@link SparseItemIndex}.
 *
 * Search is exact. One walk over the query's posting lists gives every item sharing a
 * coordinate its exact centroid score and an upper bound of its best vector's score. Items
 * are then scored vector by vector (see `bestVectorScore`), best bound first, until no bound
 * left can reach the k-th score. Since most of the score is the centroid's, which the walk
 * gives exactly, few items need scoring vector by vector.
 */
export function createSparseItemIndex(weights: SparseScoreWeights): SparseItemIndex {
  const { centroidWeight, maximumWeight } = weights;
  const slotOfItem = new Map<string, number>();
  let itemIdOfSlot: (string | undefined)[] = [];
  let itemOfSlot: (SparseItem | undefined)[] = [];
  /** Per slot: the longest vector's length, or -1 once the item is gone. */
  let slotMaximumLength = new Float64Array(256);
  let postings = new Map<number, Posting>();

  // Scratch space of search, indexed by slot and reused between calls.
  let slotStamp = new Uint32Array(256);
  let slotCentroid = new Float64Array(256);
  let slotHighest = new Float64Array(256);
  let slotMass = new Float64Array(256);
  let slotBound = new Float64Array(256);
  let touchedSlots = new Int32Array(256);
  let candidateSlots = new Int32Array(256);
  let vectorScores = new Float64Array(64);
  let stamp = 0;

  function ensureSlotCapacity(needed: number): void {
    if (needed <= slotStamp.length) return;
    const capacity = Math.max(needed, slotStamp.length * 2);
    const maximumLengths = new Float64Array(capacity);
    maximumLengths.set(slotMaximumLength);
    slotMaximumLength = maximumLengths;
    slotStamp = new Uint32Array(capacity);
    slotCentroid = new Float64Array(capacity);
    slotHighest = new Float64Array(capacity);
    slotMass = new Float64Array(capacity);
    slotBound = new Float64Array(capacity);
    touchedSlots = new Int32Array(capacity);
    candidateSlots = new Int32Array(capacity);
    stamp = 0;
  }

  function add(itemId: string, item: SparseItem): void {
    const slot = itemOfSlot.length;
    ensureSlotCapacity(slot + 1);
    if (item.vectorCount > vectorScores.length) {
      vectorScores = new Float64Array(Math.max(item.vectorCount, vectorScores.length * 2));
    }
    for (let position = 0; position < item.support.length; position++) {
      append(item.support[position]!, slot, item, position);
    }
    itemOfSlot.push(item);
    itemIdOfSlot.push(itemId);
    slotMaximumLength[slot] = item.maximumLength;
    slotOfItem.set(itemId, slot);
  }

  function append(coordinate: number, slot: number, item: SparseItem, position: number): void {
    const centroid = item.centroidValues[position]!;
    const highest = item.highestValues[position]!;
    const lowest = item.lowestValues[position]!;
    let posting = postings.get(coordinate);
    if (posting === undefined) {
      const buffer = new ArrayBuffer(2 * stride * 4);
      posting = { slots: new Int32Array(buffer), values: new Float32Array(buffer), length: 0 };
      postings.set(coordinate, posting);
    } else if ((posting.length + 1) * stride > posting.slots.length) {
      const buffer = new ArrayBuffer(posting.slots.length * 2 * 4);
      const slots = new Int32Array(buffer);
      slots.set(posting.slots);
      posting.slots = slots;
      posting.values = new Float32Array(buffer);
    }
    const base = posting.length++ * stride;
    posting.slots[base] = slot;
    posting.values[base + 1] = centroid;
    posting.values[base + 2] = highest;
    posting.values[base + 3] = lowest;
  }

  function remove(itemId: string): boolean {
    const slot = slotOfItem.get(itemId);
    if (slot === undefined) return false;
    slotOfItem.delete(itemId);
    // The postings keep the slot until compaction; search skips it.
    itemOfSlot[slot] = undefined;
    itemIdOfSlot[slot] = undefined;
    slotMaximumLength[slot] = -1;
    const deadCount = itemOfSlot.length - slotOfItem.size;
    if (slotOfItem.size === 0) {
      reset();
    } else if (deadCount > 1024 && deadCount > slotOfItem.size) {
      compact();
    }
    return true;
  }

  function reset(): void {
    slotOfItem.clear();
    itemIdOfSlot = [];
    itemOfSlot = [];
    postings = new Map();
  }

  /** Rebuilds slots and postings without removed items, once they outnumber live ones. */
  function compact(): void {
    const live = [...slotOfItem.entries()].sort((left, right) => left[1] - right[1]);
    const itemsBySlot = itemOfSlot;
    reset();
    for (const [itemId, slot] of live) add(itemId, itemsBySlot[slot]!);
  }

  function search(
    query: SparseVector,
    k: number,
    filter: ((itemId: string) => boolean) | undefined,
  ): VectorSearchHit[] {
    stamp++;
    if (stamp === 0xffffffff) {
      slotStamp.fill(0);
      stamp = 1;
    }
    const thisStamp = stamp;

    // One walk over the query's posting lists: each item met gets its exact centroid score
    // and, for its best vector, the sum of each coordinate's extreme value and the query's
    // mass on the item's coordinates.
    let touchedCount = 0;
    for (let position = 0; position < query.indices.length; position++) {
      const posting = postings.get(query.indices[position]!);
      if (posting === undefined) continue;
      const weight = query.values[position]!;
      // A negative query value meets each item's lowest value in its worst case.
      const extremeOffset = weight >= 0 ? 2 : 3;
      const mass = weight * weight;
      const { slots, values } = posting;
      const end = posting.length * stride;
      for (let base = 0; base < end; base += stride) {
        const slot = slots[base]!;
        if (slotStamp[slot] !== thisStamp) {
          slotStamp[slot] = thisStamp;
          slotCentroid[slot] = weight * values[base + 1]!;
          slotHighest[slot] = weight * values[base + extremeOffset]!;
          slotMass[slot] = mass;
          touchedSlots[touchedCount++] = slot;
        } else {
          slotCentroid[slot]! += weight * values[base + 1]!;
          slotHighest[slot]! += weight * values[base + extremeOffset]!;
          slotMass[slot]! += mass;
        }
      }
    }

    // Upper bounds of live, admitted items: exact centroid part, plus the best vector's
    // score bounded two ways, by coordinate and by Cauchy–Schwarz (the query's length on
    // the item's coordinates times the item's longest vector). Either can be the tighter.
    let candidateCount = 0;
    for (let position = 0; position < touchedCount; position++) {
      const slot = touchedSlots[position]!;
      const maximumLength = slotMaximumLength[slot]!;
      if (maximumLength < 0) continue;
      if (filter !== undefined && !filter(itemIdOfSlot[slot]!)) continue;
      slotCentroid[slot] = centroidWeight * slotCentroid[slot]!;
      const vectorBound = Math.min(slotHighest[slot]!, Math.sqrt(slotMass[slot]!) * maximumLength);
      slotBound[slot] = slotCentroid[slot]! + maximumWeight * vectorBound;
      candidateSlots[candidateCount++] = slot;
    }

    const top = new TopHits(k);
    const scoreExactly = (slot: number) => {
      const item = itemOfSlot[slot]!;
      const best = maximumWeight === 0 ? 0 : bestVectorScore(item, query, vectorScores);
      top.offer({ itemId: itemIdOfSlot[slot]!, score: slotCentroid[slot]! + maximumWeight * best });
    };
    const reaches = (bound: number) => {
      const threshold = top.threshold();
      return threshold === null || bound + boundSlack * (1 + Math.abs(bound)) >= threshold;
    };

    // The k best bounds first, scored exactly, give a k-th score; then only items whose
    // bound reaches it, best bound first, until none left can.
    const seeds = selectLargest(candidateSlots, candidateCount, k, slotBound);
    for (const slot of seeds) scoreExactly(slot);
    const seeded = new Set(seeds);
    const remaining: number[] = [];
    for (let position = 0; position < candidateCount; position++) {
      const slot = candidateSlots[position]!;
      if (!seeded.has(slot) && reaches(slotBound[slot]!)) remaining.push(slot);
    }
    remaining.sort((left, right) => slotBound[right]! - slotBound[left]!);
    for (const slot of remaining) {
      if (!reaches(slotBound[slot]!)) break;
      scoreExactly(slot);
    }
    return top.sorted();
  }

  return {
    get size() {
      return slotOfItem.size;
    },
    has(itemId) {
      return slotOfItem.has(itemId);
    },
    set(itemId, item) {
      remove(itemId);
      add(itemId, item);
    },
    delete: remove,
    search,
  };
}

/**
 * The `k` slots of `slots[0 .. count)` with the largest `keys`, by a heap of size k, without
 * sorting every candidate.
 */
function selectLargest(slots: Int32Array, count: number, k: number, keys: Float64Array): number[] {
  const heap: number[] = [];
  const below = (left: number, right: number) => keys[left]! < keys[right]!;
  const siftDown = (start: number) => {
    let at = start;
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let lowest = at;
      if (left < heap.length && below(heap[left]!, heap[lowest]!)) lowest = left;
      if (right < heap.length && below(heap[right]!, heap[lowest]!)) lowest = right;
      if (lowest === at) return;
      [heap[at], heap[lowest]] = [heap[lowest]!, heap[at]!];
      at = lowest;
    }
  };
  for (let position = 0; position < count; position++) {
    const slot = slots[position]!;
    if (heap.length < k) {
      heap.push(slot);
      let at = heap.length - 1;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!below(heap[at]!, heap[parent]!)) break;
        [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
        at = parent;
      }
    } else if (below(heap[0]!, slot)) {
      heap[0] = slot;
      siftDown(0);
    }
  }
  return heap;
}
