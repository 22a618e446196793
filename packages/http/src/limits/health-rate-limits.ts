import { createRateLimiter, type RateLimiter } from './rate-limiter';

/** The health routes' groups, each with its own budget per client address. */
export type HealthRouteGroup = 'health' | 'database' | 'engine' | 'auth' | 'dashboard' | 'alerts';

/** Requests per client address per minute, by group: the operations contract's defaults. */
export const defaultHealthLimits: Readonly<Record<HealthRouteGroup, number>> = {
  health: 60,
  database: 30,
  engine: 30,
  auth: 20,
  dashboard: 30,
  alerts: 20,
};

/** The group of a health path (`/v1/health/engine/agents` → `engine`); `null` for others. */
export function healthRouteGroupOf(path: string): HealthRouteGroup | null {
  if (path === '/v1/health') return 'health';
  const group = /^\/v1\/health\/(database|engine|auth|dashboard|alerts)(\/|$)/.exec(path)?.[1];
  return (group as HealthRouteGroup | undefined) ?? null;
}

/** Takes one request of `address` from its group's budget; throws `rate_limited` when spent. */
export interface HealthRateLimits {
  take(group: HealthRouteGroup, address: string): void;
}

/** One token bucket per group and address, refilled evenly over the minute. */
export function createHealthRateLimits(
  perMinute: Partial<Record<HealthRouteGroup, number>> = {},
  now: () => number = Date.now,
): HealthRateLimits {
  const limiters = new Map<HealthRouteGroup, RateLimiter>();
  for (const [group, fallback] of Object.entries(defaultHealthLimits) as [
    HealthRouteGroup,
    number,
  ][]) {
    const budget = perMinute[group] ?? fallback;
    limiters.set(group, createRateLimiter({ capacity: budget, refillPerSecond: budget / 60 }, now));
  }
  return {
    take(group, address) {
      limiters.get(group)?.take(address);
    },
  };
}
