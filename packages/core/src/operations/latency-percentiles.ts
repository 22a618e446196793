/**
 * The sample below which `fraction` of `sorted` (ascending) falls, by the nearest-rank method;
 * `null` for no samples.
 */
export function nearestRank(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? null;
}

/** p50 and p95 of some latencies, rounded to a tenth of a millisecond; `null` for none. */
export function latencyPercentiles(
  samples: readonly number[],
): { p50: number; p95: number } | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((left, right) => left - right);
  const at = (fraction: number) => Math.round((nearestRank(sorted, fraction) ?? 0) * 10) / 10;
  return { p50: at(0.5), p95: at(0.95) };
}
