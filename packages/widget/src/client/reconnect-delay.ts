/** Options of {@link reconnectDelay}. */
export interface ReconnectDelayOptions {
  /** The ceiling of the first wait, in ms. */
  initialDelayMs: number;
  /** The largest ceiling, in ms. */
  maxDelayMs: number;
  /** A number in [0, 1): `Math.random` unless a test fixes it. */
  random: () => number;
}

/**
 * How long to wait before reconnection attempt `attempt` (0 for the first): exponential
 * backoff with full jitter, a random wait between 0 and `min(max, initial × 2^attempt)`. The
 * jitter spreads out the clients a server restart dropped all at once, so they do not all
 * come back in the same millisecond.
 */
export function reconnectDelay(attempt: number, options: ReconnectDelayOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(options.random() * ceiling);
}
