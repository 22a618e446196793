/** A tool's rate limit: at most `calls` calls in any `perMilliseconds` window. */
export interface ToolRateLimit {
  calls: number;
  perMilliseconds: number;
}

/** Admits or refuses tool calls by their tools' limits; see {@link createToolRateLimiter}. */
export interface ToolRateLimiter {
  /** True, counting the call, when the tool is under its limit at `now` (ms); false otherwise. */
  admit(toolName: string, limit: ToolRateLimit, now: number): boolean;
}

/**
 * A sliding-window limiter per tool name, in this process: a host running several instances
 * gets each instance's share (set the limit per instance). Refused calls do not count.
 */
export function createToolRateLimiter(): ToolRateLimiter {
  const recent = new Map<string, number[]>();
  return {
    admit(toolName, limit, now) {
      const since = now - limit.perMilliseconds;
      const calls = (recent.get(toolName) ?? []).filter((time) => time > since);
      if (calls.length >= limit.calls) {
        recent.set(toolName, calls);
        return false;
      }
      calls.push(now);
      recent.set(toolName, calls);
      return true;
    },
  };
}
