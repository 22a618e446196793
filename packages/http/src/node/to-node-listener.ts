import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { rememberClientAddress } from '../limits/client-addresses';

/** A listener `node:http`, Express and Connect accept: `(request, response, next?)`. */
export type NodeListener = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/** Builds the Web Request of a Node request: full URL, headers, streamed body, abort on disconnect. */
function toWebRequest(
  request: IncomingMessage & { originalUrl?: string },
  signal: AbortSignal,
): Request {
  const protocol = (request.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  // Express and Connect strip their mount path from `url`; `originalUrl` keeps it.
  const url = new URL(
    request.originalUrl ?? request.url ?? '/',
    `${protocol}://${request.headers.host ?? 'localhost'}`,
  );
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let body: BodyInit | undefined;
  if (hasBody && request.readableEnded) {
    // A body parser mounted first (`express.json()`) has read the stream and left what it
    // parsed in `request.body`: pass that on, so the handler's own checks (type, size) still
    // apply. Its length and encoding are no longer those of the headers.
    const parsed = (request as { body?: unknown }).body;
    if (typeof parsed === 'string' || parsed instanceof Uint8Array) body = parsed as BodyInit;
    else if (parsed !== undefined) body = JSON.stringify(parsed);
    for (const name of ['content-length', 'content-encoding', 'transfer-encoding'])
      headers.delete(name);
  } else if (hasBody) {
    body = Readable.toWeb(request) as unknown as ReadableStream<Uint8Array>;
  }
  const webRequest = new Request(url, {
    method: request.method,
    headers,
    signal,
    ...(body === undefined ? {} : { body, duplex: 'half' }),
  } as RequestInit);
  // The handler reads the client address from here, never from a header the client sent.
  rememberClientAddress(webRequest, request.socket.remoteAddress ?? 'unknown');
  return webRequest;
}

/** Writes a Web Response to a Node response, streaming its body with backpressure. */
async function writeResponse(response: Response, target: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const cookies = response.headers.getSetCookie?.() ?? [];
  if (cookies.length > 0) headers['set-cookie'] = cookies;
  target.writeHead(response.status, headers);
  if (!response.body) {
    target.end();
    return;
  }
  const reader = response.body.getReader();
  target.on('close', () => void reader.cancel().catch(() => undefined));
  // Streams flush every chunk at once: SSE must not sit in a buffer.
  target.flushHeaders();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!target.write(value)) await new Promise((resolve) => target.once('drain', resolve));
  }
  target.end();
}

/**
 * Adapts the fetch-style handler to `node:http` (`http.createServer(toNodeListener(handler))`),
 * Express and Connect (`app.use('/api/parley', toNodeListener(handler))`). A client that
 * disconnects aborts its request's signal, which stops its stream. It may come after a body
 * parser (`express.json()`): the parsed body is passed on as JSON, under the handler's limits.
 */
export function toNodeListener(handler: (request: Request) => Promise<Response>): NodeListener {
  return (request, response, next) => {
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort();
    });
    handler(toWebRequest(request, controller.signal))
      .then((webResponse) => writeResponse(webResponse, response))
      .catch((error: unknown) => {
        if (next) return next(error);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end();
      });
  };
}
