/** The status words of every health answer. */
export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

const rank: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** The worst of some statuses: a tree is as healthy as its sickest part. */
export function worstStatus(statuses: readonly HealthStatus[]): HealthStatus {
  let worst: HealthStatus = 'healthy';
  for (const status of statuses) if (rank[status] > rank[worst]) worst = status;
  return worst;
}

/** 503 for `unhealthy`, so load balancers and probes take the instance out; 200 otherwise. */
export function httpStatusOf(status: HealthStatus): number {
  return status === 'unhealthy' ? 503 : 200;
}

/** How many of some statuses are each word, and in all: a summary's counts. */
export function countStatuses(statuses: readonly HealthStatus[]): {
  total: number;
  healthy: number;
  degraded: number;
  unhealthy: number;
} {
  const counts = { total: statuses.length, healthy: 0, degraded: 0, unhealthy: 0 };
  for (const status of statuses) counts[status] += 1;
  return counts;
}
