/**
 * Where the engine reports what it cannot put in events: a failed refresh, an unregistered
 * tool. Fields never carry message texts' secrets such as keys or tokens. Pass `pino` or
 * `console`-like objects; the default discards everything.
 */
export interface EngineLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** The logger that discards everything. */
export const silentLogger: EngineLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
