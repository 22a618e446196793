import type { ToolCall } from '../domain/event';
import { ParleyError, toParleyError } from '../errors/parley-error';
import type { ToolContext, ToolDefinition } from './tool';
import type { ToolHealth } from './tool-health';
import type { ToolRateLimiter } from './tool-rate-limiter';

/** What the engine watches tool calls with; every part optional. */
export interface RunToolOptions {
  /** Receives each call's outcome and duration. */
  health?: ToolHealth;
  /** Enforces the tools' `rateLimit`. */
  rateLimiter?: ToolRateLimiter;
  /** Milliseconds for durations and rate windows; default `performance.now`. */
  now?: () => number;
}

/** A tool call's outcome, as the `tool` event records it. */
export type ToolRun = ToolCall & { ok: boolean; retryable: boolean };

function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  outer: AbortSignal,
  toolName: string,
) {
  const controller = new AbortController();
  const abort = () => controller.abort(outer.reason);
  outer.addEventListener('abort', abort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ParleyError(
        'timeout',
        `Tool "${toolName}" took longer than ${timeoutMs} ms`,
        { retryable: true },
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const cancelled = new Promise<never>((_, reject) => {
    controller.signal.addEventListener(
      'abort',
      () => reject(toParleyError(controller.signal.reason)),
      { once: true },
    );
  });
  return Promise.race([work(controller.signal), timeout, cancelled]).finally(() => {
    clearTimeout(timer);
    outer.removeEventListener('abort', abort);
  });
}

/**
 * Runs a tool with already validated arguments: each attempt bounded by the tool's timeout,
 * retried as configured, aborted with the turn. Never throws for the tool's own failure: the
 * outcome says what happened, so one broken tool cannot crash a turn. A cancelled turn does
 * throw (`cancelled`), since nobody is waiting for the result any more.
 */
export async function runTool(
  definition: ToolDefinition,
  args: Record<string, unknown>,
  context: ToolContext,
  options: RunToolOptions = {},
): Promise<ToolRun> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const report = (outcome: 'ok' | 'failed' | 'timeout' | 'rate_limited') =>
    options.health?.record({
      toolName: definition.name,
      outcome,
      durationMs: now() - started,
      endedAt: new Date(),
    });
  const limit = definition.rateLimit;
  if (limit && options.rateLimiter && !options.rateLimiter.admit(definition.name, limit, started)) {
    report('rate_limited');
    return {
      toolName: definition.name,
      arguments: args as ToolCall['arguments'],
      error: {
        code: 'tool_rate_limited',
        message: `Tool "${definition.name}" is over its rate limit (${limit.calls} calls per ${limit.perMilliseconds} ms)`,
      },
      ok: false,
      retryable: true,
    };
  }
  let lastError: ParleyError | undefined;
  for (let attempt = 0; attempt <= definition.retries; attempt += 1) {
    if (context.signal.aborted) throw new ParleyError('cancelled', 'The turn was cancelled');
    try {
      const result = await withTimeout(
        (signal) => Promise.resolve(definition.handler(args as never, { ...context, signal })),
        definition.timeoutMs,
        context.signal,
        definition.name,
      );
      report('ok');
      return {
        toolName: definition.name,
        arguments: args as ToolCall['arguments'],
        result: toJson(result),
        ok: true,
        retryable: false,
      };
    } catch (error) {
      // A cancelled turn is not the tool's failure: its health is left as it was.
      if (context.signal.aborted)
        throw new ParleyError('cancelled', 'The turn was cancelled', { cause: error });
      lastError = ParleyError.isInstance(error)
        ? error
        : new ParleyError(
            'tool_failed',
            `Tool "${definition.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
            {
              retryable: true,
              cause: error,
            },
          );
    }
  }
  const failure = lastError as ParleyError;
  report(failure.code === 'timeout' ? 'timeout' : 'failed');
  return {
    toolName: definition.name,
    arguments: args as ToolCall['arguments'],
    error: {
      code: failure.code === 'timeout' ? 'tool_timeout' : 'tool_failed',
      message: failure.message.slice(0, 2000),
    },
    ok: false,
    retryable: failure.retryable,
  };
}

/** Makes a handler's result storable as JSON (dates become strings, functions vanish). */
function toJson(value: unknown): ToolCall['result'] {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as ToolCall['result'];
}
