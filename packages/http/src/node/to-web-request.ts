import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { ParleyError } from '@parley/core';
import { rememberClientAddress } from '../limits/client-addresses';

/**
 * Methods Node's parser may hand over but the Fetch API refuses to carry (`new Request` throws
 * for them): the handler could never see them, so the adapter refuses them itself.
 */
const methodsFetchRefuses = new Set(['CONNECT', 'TRACE', 'TRACK']);

/** What the handler serves on some route: the `allow` of a method no route could take. */
export const methodsTheHandlerServes = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * A host as clients send it: a name or IPv4 address (letters, digits, `.`, `-`, `_`, `~`) or a
 * bracketed IPv6 literal, with an optional port. Anything else (spaces, credentials, a path)
 * would either break the URL or smuggle parts into it.
 */
const hostPattern = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

/** Whether a target is in absolute form (`http://host/path`): a scheme, then a colon. */
const absoluteTargetPattern = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function badRequest(reason: string, message: string): ParleyError {
  return new ParleyError('validation_failed', message, { reason });
}

/** The one Host of a request: `localhost` when absent or empty (HTTP/1.0, RFC 9112 §3.2). */
function hostOf(request: IncomingMessage): string {
  let hostHeaders = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]?.toLowerCase() === 'host') hostHeaders += 1;
  }
  // RFC 9112 §3.2: a request with more than one Host is answered 400; Node keeps the first.
  if (hostHeaders > 1) throw badRequest('invalid_host', 'The request has more than one Host');
  const host = request.headers.host?.trim() ?? '';
  if (host === '') return 'localhost';
  if (!hostPattern.test(host)) throw badRequest('invalid_host', 'The Host header is not a host');
  return host;
}

/**
 * The path and query of a request target: origin form (`/path?query`) as it is, absolute form
 * (`http://other/path`, what proxies send) reduced to its path and query. Asterisk form (`*`)
 * and authority form name no resource of the handler.
 */
function pathOf(target: string): string {
  if (target.startsWith('/')) return target;
  if (absoluteTargetPattern.test(target)) {
    let absolute: URL;
    try {
      absolute = new URL(target);
    } catch {
      throw badRequest('invalid_target', 'The request target is not a URL');
    }
    if (absolute.protocol === 'http:' || absolute.protocol === 'https:') {
      return `${absolute.pathname}${absolute.search}`;
    }
  }
  throw badRequest('invalid_target', 'The request target is not a path');
}

/** The full URL of a Node request, or a `validation_failed` error saying which part is bad. */
function urlOf(request: IncomingMessage & { originalUrl?: string }): URL {
  const protocol = (request.socket as { encrypted?: boolean } | null)?.encrypted ? 'https' : 'http';
  // Express and Connect strip their mount path from `url`; `originalUrl` keeps it.
  const path = pathOf(request.originalUrl ?? request.url ?? '/');
  const host = hostOf(request);
  // Joined, not resolved against a base: `//other/x` must stay a path, not become a host.
  try {
    return new URL(`${protocol}://${host}${path}`);
  } catch {
    throw badRequest('invalid_host', 'The Host header is not a host');
  }
}

function headersOf(request: IncomingMessage): Headers {
  const headers = new Headers();
  try {
    for (const [name, value] of Object.entries(request.headers)) {
      // HTTP/2 pseudo-headers (`:path`, `:authority`) are not headers; the URL carries them.
      if (value === undefined || name.startsWith(':')) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
  } catch {
    throw badRequest('invalid_header', 'A header of the request cannot be read');
  }
  return headers;
}

/**
 * Builds the Web Request of a Node request: full URL, headers, streamed body, `signal` to abort
 * it. Throws a `ParleyError` for what Node's parser accepts but a `Request` cannot carry: a
 * method the Fetch API refuses (`method_not_allowed`, with the methods the handler serves), a
 * malformed, credentialed or repeated Host, a target that is not a path, a header `Headers`
 * refuses (`validation_failed`, reasons `invalid_host`, `invalid_target`, `invalid_header`).
 */
export function toWebRequest(
  request: IncomingMessage & { originalUrl?: string },
  signal: AbortSignal,
): Request {
  const method = request.method ?? 'GET';
  if (methodsFetchRefuses.has(method.toUpperCase())) {
    throw new ParleyError('method_not_allowed', `${method} is not served here`, {
      details: { allowed: methodsTheHandlerServes },
    });
  }
  const url = urlOf(request);
  const headers = headersOf(request);
  const hasBody = method !== 'GET' && method !== 'HEAD';
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
  let webRequest: Request;
  try {
    webRequest = new Request(url, {
      method,
      headers,
      signal,
      ...(body === undefined ? {} : { body, duplex: 'half' }),
    } as RequestInit);
  } catch {
    // Whatever else the Fetch API refuses (a method name it will not take, say).
    throw badRequest('invalid_request', 'The request cannot be represented');
  }
  // The handler reads the client address from here, never from a header the client sent.
  rememberClientAddress(webRequest, request.socket?.remoteAddress ?? 'unknown');
  return webRequest;
}
