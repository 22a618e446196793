import { type ChatModel, ParleyError } from '@parley/core';
import type { HealthStatus } from './health-status';

/** What the last probe of the model found. */
export interface ModelProbeResult {
  status: HealthStatus;
  /** The model's id (`openai:gpt-4o-mini`), `null` without one. */
  model: string | null;
  /** `false` when nothing was asked: no model, or one without `probe`. */
  probed: boolean;
  latencyMs: number | null;
  checkedAt: string;
  /** Why it failed, in the model error's own words (never a key). */
  error?: string;
}

/** Probes the model at most once per `cacheMs`; see {@link createModelProbe}. */
export interface ModelProbe {
  check(): Promise<ModelProbeResult>;
}

/**
 * The engine's model reachability, cheap and cached: `probe()` (OpenAI reads the model's entry,
 * no tokens) at most once per `cacheMs` (default 30 s) whoever asks, concurrent askers sharing
 * one call, each limited to `timeoutMs` (default 3 s). No model is `healthy` (the engine works
 * without one); a failing model is `degraded` (turns fail, the rest answers).
 */
export function createModelProbe(
  model: ChatModel | null,
  options: { cacheMs?: number; timeoutMs?: number; now?: () => Date } = {},
): ModelProbe {
  const cacheMs = options.cacheMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 3000;
  const now = options.now ?? (() => new Date());
  let last: { result: ModelProbeResult; at: number } | null = null;
  let running: Promise<ModelProbeResult> | null = null;

  async function probe(): Promise<ModelProbeResult> {
    const checkedAt = now().toISOString();
    if (!model?.probe) {
      return {
        status: 'healthy',
        model: model?.id ?? null,
        probed: false,
        latencyMs: null,
        checkedAt,
      };
    }
    const started = performance.now();
    const attempted = { model: model.id, probed: true, checkedAt };
    try {
      await model.probe({ signal: AbortSignal.timeout(timeoutMs) });
      return {
        status: 'healthy',
        ...attempted,
        latencyMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      return {
        status: 'degraded',
        ...attempted,
        latencyMs: Math.round(performance.now() - started),
        error: ParleyError.isInstance(error)
          ? error.message.slice(0, 200)
          : 'the model did not answer',
      };
    }
  }

  return {
    async check() {
      const time = now().getTime();
      if (last && time - last.at < cacheMs) return last.result;
      running ??= probe().then((result) => {
        last = { result, at: now().getTime() };
        running = null;
        return result;
      });
      return running;
    },
  };
}
