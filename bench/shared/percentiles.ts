/** What a set of latency samples looks like, in milliseconds. */
export interface LatencySummary {
  /** How many samples were taken. */
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/**
 * The value below which `fraction` of the sorted samples fall, by the nearest-rank method:
 * always one of the measured samples, never an interpolation between two.
 */
export function percentile(sortedSamples: readonly number[], fraction: number): number {
  if (sortedSamples.length === 0) return Number.NaN;
  const rank = Math.ceil(fraction * sortedSamples.length);
  const index = Math.min(sortedSamples.length - 1, Math.max(0, rank - 1));
  return sortedSamples[index] ?? Number.NaN;
}

/** Summarizes latency samples (milliseconds) as p50, p99, mean and max. */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((left, right) => left - right);
  const total = sorted.reduce((sum, sample) => sum + sample, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.length === 0 ? Number.NaN : total / sorted.length,
    max: sorted.at(-1) ?? Number.NaN,
  };
}
