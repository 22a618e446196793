import type { IncomingMessage, ServerResponse } from 'node:http';
import { ParleyError } from '@parley/core';
import { createErrorResponse } from '../error-response';
import { requestIdFrom } from '../request/request-id';
import { toWebRequest } from './to-web-request';
import { writeWebResponse, writeWholeResponse } from './write-web-response';

/** A listener `node:http`, Express and Connect accept: `(request, response, next?)`. */
export type NodeListener = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** The id the handler would give this request (see {@link requestIdFrom}). */
function requestIdOf(request: IncomingMessage): string {
  const sent = request.headers['x-request-id'];
  return requestIdFrom(Array.isArray(sent) ? sent[0] : sent);
}

/**
 * The last answer to a failure: a 500 envelope while nothing was sent yet, else the socket
 * closed, so the client sees a cut response rather than a complete-looking one.
 */
function answerFailure(request: IncomingMessage, response: ServerResponse, error: unknown): void {
  try {
    if (response.headersSent || response.destroyed) {
      response.destroy();
      return;
    }
    const failure = new ParleyError('internal', 'The request failed in the handler or its answer', {
      cause: error,
    });
    writeWholeResponse(createErrorResponse(failure, requestIdOf(request)), response).catch(() =>
      response.destroy(),
    );
  } catch {
    response.destroy();
  }
}

async function serve(
  handler: (request: Request) => Promise<Response>,
  request: IncomingMessage,
  response: ServerResponse,
  next: ((error?: unknown) => void) | undefined,
): Promise<void> {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  let webRequest: Request;
  try {
    webRequest = toWebRequest(request, controller.signal);
  } catch (refusal) {
    // A request Node accepted but a `Request` cannot carry: answered here, in the envelope,
    // not passed to `next` (it is the client's fault, not the application's).
    await writeWholeResponse(createErrorResponse(refusal, requestIdOf(request)), response);
    return;
  }
  try {
    await writeWebResponse(await handler(webRequest), response);
  } catch (error) {
    // The handler answers its own failures; what still escapes (a custom handler that
    // rejects, a header Node will not write) goes to Express's error handlers when there are.
    if (!next || response.headersSent) throw error;
    next(error);
  }
}

/**
 * Adapts the fetch-style handler to `node:http` (`http.createServer(toNodeListener(handler))`),
 * Express and Connect (`app.use('/api/parley', toNodeListener(handler))`). A client that
 * disconnects aborts its request's signal, which stops its stream. It may come after a body
 * parser (`express.json()`): the parsed body is passed on as JSON, under the handler's limits.
 *
 * It answers every request Node's parser accepts and never throws: a request no `Request` can
 * carry is refused in the error envelope (400 `validation_failed` for a malformed,
 * credentialed or repeated Host, a target that is not a path or an unreadable header; 405
 * `method_not_allowed` for `CONNECT`, `TRACE` and `TRACK`); any other failure becomes a 500
 * envelope, or a closed socket once the response has started.
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>): NodeListener {
  return (request, response, next) => {
    // A write to a client that went away must end quietly, never as an unhandled 'error'.
    response.on('error', () => response.destroy());
    serve(handler, request, response, next).catch((error: unknown) =>
      answerFailure(request, response, error),
    );
  };
}
