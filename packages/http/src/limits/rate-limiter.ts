import { ParleyError } from '@parley/core';

/** A token bucket's size and refill. */
export interface BucketOptions {
  /** Requests allowed in a burst. */
  capacity: number;
  /** Requests regained per second. */
  refillPerSecond: number;
}

/** Counts requests per key and refuses those over the budget with a 429 and `Retry-After`. */
export interface RateLimiter {
  /** Takes one token for `key`; throws `rate_limited` (with `retryAfterSeconds`) when empty. */
  take(key: string): void;
}

/** An in-process token bucket per key; idle buckets are forgotten. */
export function createRateLimiter(
  options: BucketOptions,
  now: () => number = Date.now,
): RateLimiter {
  const buckets = new Map<string, { tokens: number; updatedAt: number }>();
  let lastSweep = now();
  return {
    take(key) {
      const time = now();
      if (time - lastSweep > 60_000) {
        lastSweep = time;
        const fullAfter = (options.capacity / options.refillPerSecond) * 1000;
        for (const [bucketKey, bucket] of buckets)
          if (time - bucket.updatedAt > fullAfter) buckets.delete(bucketKey);
      }
      const bucket = buckets.get(key) ?? { tokens: options.capacity, updatedAt: time };
      bucket.tokens = Math.min(
        options.capacity,
        bucket.tokens + ((time - bucket.updatedAt) / 1000) * options.refillPerSecond,
      );
      bucket.updatedAt = time;
      buckets.set(key, bucket);
      if (bucket.tokens < 1) {
        const retryAfterSeconds = Math.max(
          1,
          Math.ceil((1 - bucket.tokens) / options.refillPerSecond),
        );
        throw new ParleyError('rate_limited', 'Too many requests: slow down', {
          details: { retryAfterSeconds },
          retryable: true,
        });
      }
      bucket.tokens -= 1;
    },
  };
}
