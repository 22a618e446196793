import { createParser, type EventSourceMessage } from 'eventsource-parser';
import {
  type AgentProfile,
  type ChatTransport,
  type SessionCredentials,
  type SessionGrant,
  type StreamFrame,
  TransportError,
} from './chat-transport';
import { coalesceDeltas } from './coalesce-deltas';
import { createPolicyViolationWatch, type PolicyEventTarget } from './policy-violation-watch';
import type { WireEvent } from './wire-event';

/** Options of {@link createHttpTransport}. */
export interface HttpTransportOptions {
  /** The handler's base URL, e.g. `https://shop.example/api/parley` (a trailing `/` is fine). */
  endpoint: string;
  /** Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * Where the page's `securitypolicyviolation` events are heard, to tell a request its
   * Content-Security-Policy blocked from a network failure; default the page's `document`
   * (none outside a browser).
   */
  policyEvents?: PolicyEventTarget | null;
}

/** What the error envelope of `@parley/http` holds. */
interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; reason?: unknown; retryable?: unknown };
}

/**
 * A {@link ChatTransport} over the routes of `@parley/http` (see docs/http.md): JSON requests
 * with the customer token as `Authorization: Bearer`, the error envelope turned into
 * {@link TransportError}s, and the session's event stream read through `fetch` (so no token
 * sits in a URL) and parsed with `eventsource-parser`. A request the page's
 * Content-Security-Policy blocked is told apart from a network failure by the document's
 * `securitypolicyviolation` events (see `policy-violation-watch.ts`).
 */
export function createHttpTransport(options: HttpTransportOptions): ChatTransport {
  const base = options.endpoint.replace(/\/+$/, '');
  const fetchImplementation = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const pageDocument = typeof document === 'undefined' ? null : document;
  const policy = createPolicyViolationWatch(
    absoluteUrl(base),
    options.policyEvents === undefined ? pageDocument : options.policyEvents,
  );

  /** Sends a request; answers the response when it is a success, throws a TransportError else. */
  async function send(
    method: string,
    path: string,
    init: {
      token?: string;
      body?: unknown;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const url = `${base}${path}`;
    /** The URL a failure names: absolute, so the owner's console line can name the origin. */
    const failedUrl = () => absoluteUrl(url) ?? url;
    let response: Response;
    try {
      response = await fetchImplementation(url, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      // A request the page's policy blocked fails like any network error: the violation
      // event, heard before (or, through `subscribeToConfigurationErrors`, after), says which.
      const blocked = policy.blocked();
      if (blocked && !init.signal?.aborted) throw blocked;
      throw networkFailure(init.signal, error, failedUrl());
    }
    if (!response.ok) throw await failureOf(response, failedUrl());
    return response;
  }

  async function json<TValue>(response: Response, signal?: AbortSignal): Promise<TValue> {
    try {
      return (await response.json()) as TValue;
    } catch (error) {
      throw networkFailure(signal, error);
    }
  }

  const sessionPath = (credentials: SessionCredentials, rest = '') =>
    `/v1/sessions/${encodeURIComponent(credentials.sessionId)}${rest}`;

  return {
    subscribeToConfigurationErrors: (listener) => policy.subscribe(listener),

    async openSession(request, signal) {
      const response = await send('POST', '/v1/sessions', {
        body: {
          agentKey: request.agentKey,
          ...(request.identityToken === undefined ? {} : { identityToken: request.identityToken }),
          ...(request.customerName === undefined ? {} : { customerName: request.customerName }),
        },
        signal,
      });
      const opened = await json<{
        session: { id: string };
        customerToken: string;
        expiresAt: string;
        resumed: boolean;
      }>(response, signal);
      const grant: SessionGrant = {
        sessionId: opened.session.id,
        customerToken: opened.customerToken,
        expiresAt: opened.expiresAt,
        resumed: opened.resumed,
      };
      return grant;
    },

    async renewToken(credentials, signal) {
      const response = await send('POST', sessionPath(credentials, '/token'), {
        token: credentials.customerToken,
        signal,
      });
      return json<{ customerToken: string; expiresAt: string }>(response, signal);
    },

    async getSessionInfo(credentials, signal) {
      const response = await send('GET', sessionPath(credentials), {
        token: credentials.customerToken,
        signal,
      });
      const session = await json<{ lastOffset?: unknown }>(response, signal);
      return { lastOffset: typeof session.lastOffset === 'number' ? session.lastOffset : -1 };
    },

    async getAgentProfile(credentials, signal) {
      const response = await send('GET', sessionPath(credentials, '/agent'), {
        token: credentials.customerToken,
        signal,
      });
      const agent = await json<AgentProfile>(response, signal);
      return { id: agent.id, name: agent.name, description: agent.description ?? null };
    },

    async listEvents(credentials, query, signal) {
      const search = `?after=${query.after}&limit=${query.limit}`;
      const response = await send('GET', sessionPath(credentials, `/events${search}`), {
        token: credentials.customerToken,
        signal,
      });
      return (await json<{ events: WireEvent[] }>(response, signal)).events;
    },

    async postMessage(credentials, message, signal) {
      const response = await send('POST', sessionPath(credentials, '/events'), {
        token: credentials.customerToken,
        body: { text: message.text, clientMessageId: message.clientMessageId },
        signal,
      });
      return json<{ event: WireEvent; duplicate: boolean }>(response, signal);
    },

    async cancel(credentials, signal) {
      const response = await send('POST', sessionPath(credentials, '/cancel'), {
        token: credentials.customerToken,
        signal,
      });
      await response.body?.cancel();
    },

    async retryTurn(credentials, signal) {
      const response = await send('POST', sessionPath(credentials, '/retry'), {
        token: credentials.customerToken,
        signal,
      });
      await response.body?.cancel();
    },

    async sendFeedback(credentials, feedback, signal) {
      const path = sessionPath(
        credentials,
        `/events/${encodeURIComponent(feedback.eventId)}/feedback`,
      );
      const response = await send('POST', path, {
        token: credentials.customerToken,
        body: {
          rating: feedback.rating,
          ...(feedback.comment === undefined ? {} : { comment: feedback.comment }),
        },
        signal,
      });
      await response.body?.cancel();
    },

    stream(credentials, { after, signal }) {
      return readEventStream(
        () =>
          send('GET', sessionPath(credentials, '/stream'), {
            token: credentials.customerToken,
            headers: {
              accept: 'text/event-stream',
              // Nothing stored yet is the stream's own default: no header needed.
              ...(after >= 0 ? { 'last-event-id': String(after) } : {}),
            },
            signal,
          }),
        signal,
      );
    },
  };
}

/**
 * The frames of an event stream response: `open` once it answered, then each SSE frame as it
 * is parsed. Ends quietly when `signal` aborts; a body that ends or breaks otherwise is a
 * dropped connection (status 0, retryable), carrying the server's `retry:` hint if it sent one.
 */
async function* readEventStream(
  open: () => Promise<Response>,
  signal: AbortSignal,
): AsyncGenerator<StreamFrame> {
  let response: Response;
  try {
    response = await open();
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  const body = response.body;
  if (!body) throw dropped('The event stream has no body');
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parsed: StreamFrame[] = [];
  let retryHintMs: number | undefined;
  const parser = createParser({
    onEvent: (message) => {
      const frame = toStreamFrame(message);
      if (frame) parsed.push(frame);
    },
    onRetry: (retryMs) => {
      retryHintMs = retryMs;
    },
  });
  let finished = false;
  try {
    yield { type: 'open' };
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) return;
        throw dropped('The event stream was interrupted', error);
      }
      if (chunk.done) {
        finished = true;
        if (signal.aborted) return;
        throw dropped('The event stream ended', undefined, retryHintMs);
      }
      parser.feed(decoder.decode(chunk.value, { stream: true }));
      // Pieces of a reply that arrived together are rendered together.
      for (const frame of coalesceDeltas(parsed.splice(0))) {
        if (signal.aborted) return;
        yield frame;
      }
    }
  } finally {
    // The reader stopped early (the consumer broke off, or aborted): release the connection.
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

/** One parsed SSE message as a frame; `null` for frames this client does not know. */
function toStreamFrame(message: EventSourceMessage): StreamFrame | null {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  if (message.event === 'event') return { type: 'event', event: data as WireEvent };
  if (message.event === 'delta' || message.event === 'snapshot') {
    const draft = data as { traceId: string; messageId: string; seq: number; text: string };
    return {
      type: message.event,
      traceId: draft.traceId,
      messageId: draft.messageId,
      seq: draft.seq,
      text: draft.text,
    };
  }
  return null;
}

function dropped(
  message: string,
  cause?: unknown,
  retryHintMs?: number,
  url?: string,
): TransportError {
  const error = new TransportError({
    status: 0,
    code: 'network',
    message,
    retryable: true,
    ...(retryHintMs === undefined ? {} : { retryAfterSeconds: retryHintMs / 1000 }),
    ...(url === undefined ? {} : { url }),
  });
  if (cause !== undefined) (error as { cause?: unknown }).cause = cause;
  return error;
}

/** A request that never got an answer: aborted by its caller, or the network failed. */
function networkFailure(
  signal: AbortSignal | undefined,
  cause: unknown,
  url?: string,
): TransportError {
  if (signal?.aborted) {
    const error = new TransportError({
      status: 0,
      code: 'aborted',
      message: 'The request was aborted',
      retryable: false,
      ...(url === undefined ? {} : { url }),
    });
    (error as { cause?: unknown }).cause = cause;
    return error;
  }
  return dropped('The network is unavailable', cause, undefined, url);
}

/** `url` resolved against the page (a relative endpoint is the page's origin); `null` outside one. */
function absoluteUrl(url: string): string | null {
  try {
    return new URL(url, globalThis.location?.href).href.replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** The TransportError of a failed answer, from its error envelope when it has one. */
async function failureOf(response: Response, url: string): Promise<TransportError> {
  let envelope: ErrorEnvelope | null = null;
  try {
    envelope = (await response.json()) as ErrorEnvelope;
  } catch {
    // Not the handler's envelope: a proxy's page, an empty body.
  }
  const details = envelope?.error;
  const retryAfterSeconds = parseRetryAfter(response.headers.get('retry-after'));
  const code =
    typeof details?.code === 'string'
      ? details.code
      : response.status >= 500
        ? 'unavailable'
        : 'http_error';
  return new TransportError({
    status: response.status,
    code,
    message:
      typeof details?.message === 'string'
        ? details.message
        : `The server answered ${response.status}`,
    ...(typeof details?.reason === 'string' ? { reason: details.reason } : {}),
    retryable:
      typeof details?.retryable === 'boolean'
        ? details.retryable
        : response.status >= 500 || response.status === 429,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    url,
  });
}

/** `Retry-After` in seconds: a number of seconds, or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}
