import type { EngineLogger } from '@parley/core';
import type { HandlerLogger } from '@parley/http';
import { pino } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** One JSON line per entry, for the handler, the engine and the server around them. */
export interface JsonLogger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
  /** The shape `createParleyHandler` takes: `(fields, message)`, pino's own. */
  readonly handler: HandlerLogger;
  /** The shape `createEngine` takes: `(message, fields)`. */
  readonly engine: EngineLogger;
}

/**
 * Field names whose values are never written, whoever passes them (Parley passes none: this
 * guards what a host adds).
 */
const secretFields = ['secret', 'token', 'authorization', 'password', 'apiKey', 'cookie'];

/**
 * pino, writing `{"level":"info","time":"…","msg":"request","requestId":…}` per line to
 * `write` (stdout by default). Request ids come from the handler, trace ids from the engine;
 * fields named like secrets are censored, and no message text or token is ever passed in.
 */
export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): JsonLogger {
  const logger = pino(
    {
      base: null,
      level: 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...secretFields, ...secretFields.map((name) => `*.${name}`)] },
    },
    { write },
  );
  const log = (level: Level, message: string, fields: Record<string, unknown> = {}) =>
    logger[level](fields, message);
  return {
    log,
    handler: logger,
    engine: {
      debug: (message, fields) => log('debug', message, fields),
      info: (message, fields) => log('info', message, fields),
      warn: (message, fields) => log('warn', message, fields),
      error: (message, fields) => log('error', message, fields),
    },
  };
}
