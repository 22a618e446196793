import { ParleyError } from '@parley/core';
import {
  createParleyHandler,
  type ParleyHandler,
  type ParleyHandlerOptions,
} from '../create-parley-handler';
import { createErrorResponse } from '../error-response';
import { requestIdFrom } from '../request/request-id';

/**
 * One exported method of a route file: Next.js passes the request and `{ params }`, which the
 * handler does not need (it routes on the path itself).
 */
export type ParleyRouteHandler = (request: Request, context?: unknown) => Promise<Response>;

/** What {@link createParleyRouteHandlers} returns: a route file's exports, and the handler. */
export interface ParleyRouteHandlers {
  GET: ParleyRouteHandler;
  POST: ParleyRouteHandler;
  PUT: ParleyRouteHandler;
  PATCH: ParleyRouteHandler;
  DELETE: ParleyRouteHandler;
  OPTIONS: ParleyRouteHandler;
  /** The shared handler, created now if no request created it yet: for `close()` or `metrics`. */
  handler(): Promise<ParleyHandler>;
}

/** Settings of {@link createParleyRouteHandlers}. */
export interface ParleyRouteHandlersSettings {
  /**
   * The name of the process-wide slot the handler lives in; default `default`. Two route
   * files that mount two different Parleys give two names; the same name is the same handler.
   */
  name?: string;
  /**
   * Told when the handler could not start (the factory threw, a database was away); default
   * `console.error`, so the reason reaches the server's log. The next request tries again.
   */
  onStartFailure?: (error: unknown) => void;
}

/** The handlers of this process by slot name, kept on `globalThis` across module reloads. */
function handlerSlots(): Map<string, Promise<ParleyHandler>> {
  const key = Symbol.for('@parley/http.route-handlers');
  const holder = globalThis as { [key]?: Map<string, Promise<ParleyHandler>> };
  holder[key] ??= new Map();
  return holder[key];
}

/**
 * A catch-all route file's exports, synchronously, for a framework whose route modules export
 * one function per method (Next.js app router):
 *
 * ```ts
 * // app/api/parley/[...path]/route.ts
 * export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = createParleyRouteHandlers(
 *   async () => ({ engine: await createEngineOnce(), basePath: '/api/parley', … }),
 * );
 * ```
 *
 * The handler is created on the first request, from the options `options()` gives (sync or
 * async), and kept in a `globalThis` slot: every later request, and every re-evaluation of the
 * module (Next's dev server reloads it), reuses that one handler and its pools, so the factory
 * runs once per process. Changed options therefore take effect on the next restart. A start
 * that fails answers 503 `not_ready` (retryable), is reported to `onStartFailure`, and is
 * not remembered: the next request calls the factory again. `HEAD` is not exported, so
 * Next answers it from `GET`.
 */
export function createParleyRouteHandlers(
  options: () => ParleyHandlerOptions | Promise<ParleyHandlerOptions>,
  settings: ParleyRouteHandlersSettings = {},
): ParleyRouteHandlers {
  const name = settings.name ?? 'default';
  const reportStartFailure =
    settings.onStartFailure ??
    ((error: unknown) => {
      // The handler's logger is part of the options that failed: the console is all there is.
      console.error('Parley could not start; the next request tries again.', error);
    });

  function handler(): Promise<ParleyHandler> {
    const slots = handlerSlots();
    const existing = slots.get(name);
    if (existing) return existing;
    const starting = (async () => createParleyHandler(await options()))();
    slots.set(name, starting);
    starting.catch((error: unknown) => {
      // Forget the failure (unless a newer start already replaced it), so the next request
      // retries instead of every request answering this one rejection for ever.
      if (slots.get(name) === starting) slots.delete(name);
      try {
        reportStartFailure(error);
      } catch {
        // A reporter that fails has nowhere to report to.
      }
    });
    return starting;
  }

  const route: ParleyRouteHandler = async (request) => {
    let started: ParleyHandler;
    try {
      started = await handler();
    } catch (error) {
      return createErrorResponse(
        new ParleyError('not_ready', 'Parley is starting or could not start; retry shortly', {
          reason: 'handler_start_failed',
          retryable: true,
          cause: error,
        }),
        requestIdFrom(request.headers.get('x-request-id')),
      );
    }
    return started(request);
  };

  return {
    GET: route,
    POST: route,
    PUT: route,
    PATCH: route,
    DELETE: route,
    OPTIONS: route,
    handler,
  };
}
