import { ParleyError } from '@parley/core';

/** An HTTP method the routes use. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route receives besides the request: the path's named segments. */
export type RouteParameters = Readonly<Record<string, string>>;

interface Route<THandler> {
  method: HttpMethod;
  segments: string[];
  handler: THandler;
}

/** A route found for a request, with the values of its `:named` segments. */
export interface RouteMatch<THandler> {
  handler: THandler;
  parameters: RouteParameters;
  /** The pattern that matched, `/v1/sessions/:sessionId`: a bounded name for logs and metrics. */
  pattern: string;
}

/**
 * A small table of routes: `/v1/sessions/:sessionId/events` patterns, exact segments or
 * `:named` ones. `match` answers the handler, a 405 when the path exists for other methods,
 * or a 404.
 */
export interface Router<THandler> {
  add(method: HttpMethod, pattern: string, handler: THandler): void;
  match(method: string, path: string): RouteMatch<THandler>;
  /** Every route added, in order: what a test checks its coverage against. */
  routes(): Array<{ method: HttpMethod; pattern: string }>;
}

const split = (path: string) => path.split('/').filter((segment) => segment.length > 0);

/** Creates an empty router. */
export function createRouter<THandler>(): Router<THandler> {
  const routes: Array<Route<THandler>> = [];
  return {
    add(method, pattern, handler) {
      routes.push({ method, segments: split(pattern), handler });
    },
    match(method, path) {
      const segments = split(path);
      const allowed: string[] = [];
      for (const route of routes) {
        if (route.segments.length !== segments.length) continue;
        const parameters: Record<string, string> = {};
        const fits = route.segments.every((expected, index) => {
          const actual = segments[index] as string;
          if (expected.startsWith(':')) {
            parameters[expected.slice(1)] = decodeSegment(actual);
            return true;
          }
          return expected === actual;
        });
        if (!fits) continue;
        if (route.method === method) {
          return { handler: route.handler, parameters, pattern: `/${route.segments.join('/')}` };
        }
        allowed.push(route.method);
      }
      if (allowed.length > 0) {
        throw new ParleyError('method_not_allowed', `${method} is not allowed here`, {
          details: { allowed },
        });
      }
      throw new ParleyError('not_found', `No route for ${method} ${path}`);
    },
    routes() {
      return routes.map((route) => ({
        method: route.method,
        pattern: `/${route.segments.join('/')}`,
      }));
    },
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ParleyError('validation_failed', 'The path holds an invalid escape sequence');
  }
}
