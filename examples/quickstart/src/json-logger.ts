import type { EngineLogger } from '@parley/core';
import type { HandlerLogger } from '@parley/http';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** One JSON line per entry, for the handler, the engine and the server around them. */
export interface JsonLogger {
  log(level: Level, message: string, fields?: Record<string, unknown>): void;
  /** The shape `createParleyHandler` takes: `(fields, message)`. */
  readonly handler: HandlerLogger;
  /** The shape `createEngine` takes: `(message, fields)`. */
  readonly engine: EngineLogger;
}

/** Field names whose values are never written, whoever passes them. */
const secretField = /secret|token|authorization|password|api_?key|cookie/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [
      name,
      secretField.test(name) ? '[redacted]' : value,
    ]),
  );
}

/**
 * A tiny structured logger: `{"time":…,"level":"info","msg":"request","requestId":…}` per
 * line on `write` (stdout by default). Request ids come from the handler, trace ids from the
 * engine; fields named like secrets are redacted, and no message text or token is ever
 * passed in.
 */
export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
): JsonLogger {
  const log = (level: Level, message: string, fields: Record<string, unknown> = {}) => {
    write(
      `${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...redact(fields) })}\n`,
    );
  };
  return {
    log,
    handler: {
      info: (fields, message) => log('info', message, fields),
      error: (fields, message) => log('error', message, fields),
    },
    engine: {
      debug: (message, fields) => log('debug', message, fields),
      info: (message, fields) => log('info', message, fields),
      warn: (message, fields) => log('warn', message, fields),
      error: (message, fields) => log('error', message, fields),
    },
  };
}
