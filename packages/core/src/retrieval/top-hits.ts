/** One ranked item. */
export interface VectorSearchHit {
  readonly itemId: string;
  readonly score: number;
}

/** Orders hits by score descending, then item id ascending (code unit order). */
export function compareHits(left: VectorSearchHit, right: VectorSearchHit): number {
  if (left.score !== right.score) return right.score - left.score;
  return left.itemId < right.itemId ? -1 : left.itemId > right.itemId ? 1 : 0;
}

/**
 * The best `k` hits offered so far, in the order of {@link compareHits}: a binary heap whose
 * root is the lowest-ranked hit kept, so a new hit is compared with it in constant time.
 */
export class TopHits {
  private readonly heap: VectorSearchHit[] = [];

  constructor(private readonly k: number) {}

  /** The lowest score kept once `k` hits are held, else `null` (anything enters). */
  threshold(): number | null {
    return this.heap.length < this.k ? null : this.heap[0]!.score;
  }

  /** Keeps the hit if it ranks among the best `k` seen. */
  offer(hit: VectorSearchHit): void {
    const heap = this.heap;
    if (this.k === 0) return;
    if (heap.length < this.k) {
      heap.push(hit);
      this.siftUp(heap.length - 1);
    } else if (compareHits(hit, heap[0]!) < 0) {
      heap[0] = hit;
      this.siftDown(0);
    }
  }

  /** The hits kept, best first. */
  sorted(): VectorSearchHit[] {
    return [...this.heap].sort(compareHits);
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    let at = start;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (compareHits(heap[at]!, heap[parent]!) <= 0) break;
      [heap[at], heap[parent]] = [heap[parent]!, heap[at]!];
      at = parent;
    }
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let at = start;
    for (;;) {
      const left = at * 2 + 1;
      const right = left + 1;
      let lowest = at;
      if (left < heap.length && compareHits(heap[left]!, heap[lowest]!) > 0) lowest = left;
      if (right < heap.length && compareHits(heap[right]!, heap[lowest]!) > 0) lowest = right;
      if (lowest === at) break;
      [heap[at], heap[lowest]] = [heap[lowest]!, heap[at]!];
      at = lowest;
    }
  }
}
