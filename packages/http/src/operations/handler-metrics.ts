import type { TurnOutcome } from '@parley/core';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The handler's Prometheus metrics, in a registry of its own (`/v1/metrics`). */
export interface HandlerMetrics {
  readonly registry: Registry;
  request(route: string, status: number): void;
  error(code: string): void;
  turn(outcome: TurnOutcome, seconds: number): void;
  eventsAppended(count: number): void;
  streamOpened(): void;
  streamClosed(): void;
}

/** What the metrics read from the engine when scraped. */
export interface EngineReadings {
  /** Turns that failed to start at least once (see the engine's `turnStartFailures`). */
  turnStartFailures(): number;
}

/**
 * Creates the metrics: turn latency, model calls and tokens, events, streams, error responses,
 * failed turns by code, and turns that could not start.
 */
export function createHandlerMetrics(engine?: EngineReadings): HandlerMetrics {
  const registry = new Registry();
  let reportedStartFailures = 0;
  new Counter({
    name: 'parley_turn_start_failures_total',
    help: 'Turns that could not start at first (lock, bus or first read failed); each is retried',
    registers: [registry],
    collect() {
      // The engine counts; the counter catches up with it on each scrape.
      const current = engine?.turnStartFailures() ?? 0;
      if (current > reportedStartFailures) this.inc(current - reportedStartFailures);
      reportedStartFailures = Math.max(reportedStartFailures, current);
    },
  });
  const requests = new Counter({
    name: 'parley_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'parley_errors_total',
    help: 'Error responses by code',
    labelNames: ['code'],
    registers: [registry],
  });
  const turns = new Histogram({
    name: 'parley_turn_duration_seconds',
    help: 'Time from a customer message to the end of its turn',
    labelNames: ['status'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32],
    registers: [registry],
  });
  const turnErrors = new Counter({
    name: 'parley_turn_errors_total',
    help: 'Turns that ended in an error, by code (model_failed, tool_failed, …)',
    labelNames: ['code'],
    registers: [registry],
  });
  const modelCalls = new Counter({
    name: 'parley_model_calls_total',
    help: 'Model calls made by turns',
    registers: [registry],
  });
  const modelTokens = new Counter({
    name: 'parley_model_tokens_total',
    help: 'Model tokens used by turns',
    labelNames: ['kind'],
    registers: [registry],
  });
  const events = new Counter({
    name: 'parley_events_appended_total',
    help: 'Events appended through this handler and its turns',
    registers: [registry],
  });
  const streams = new Gauge({
    name: 'parley_sse_clients',
    help: 'Open event streams',
    registers: [registry],
  });
  return {
    registry,
    request: (route, status) => requests.inc({ route, status: String(status) }),
    error: (code) => errors.inc({ code }),
    turn(outcome, seconds) {
      turns.observe({ status: outcome.status }, seconds);
      if (outcome.status === 'error') turnErrors.inc({ code: outcome.error.code });
      if (outcome.status === 'ready') {
        modelCalls.inc(outcome.explanation.model.calls);
        modelTokens.inc({ kind: 'prompt' }, outcome.explanation.model.promptTokens);
        modelTokens.inc({ kind: 'completion' }, outcome.explanation.model.completionTokens);
      }
    },
    eventsAppended: (count) => events.inc(count),
    streamOpened: () => streams.inc(),
    streamClosed: () => streams.dec(),
  };
}
