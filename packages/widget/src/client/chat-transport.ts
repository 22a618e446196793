import type { WireEvent } from './wire-event';

/** What opening a session gives the client: the session and the token bound to it. */
export interface SessionGrant {
  sessionId: string;
  /** The customer token (a JWT bound to this one session); sent as `Authorization: Bearer`. */
  customerToken: string;
  /** ISO 8601: when the token stops working; renew before. */
  expiresAt: string;
  /** True when an identified customer got their latest session back (history included). */
  resumed: boolean;
}

/** How a site asks for a session: its publishable key, and optionally who the visitor is. */
export interface OpenSessionRequest {
  agentKey: string;
  /** A JWT the site's server signed with the key's identity secret (`signIdentityToken`). */
  identityToken?: string;
  customerName?: string;
}

/** A session the client already holds (restored from storage, or handed over by the host). */
export interface SessionCredentials {
  sessionId: string;
  customerToken: string;
}

/** The agent as a customer sees it. */
export interface AgentProfile {
  id: string;
  name: string;
  description: string | null;
}

/**
 * One frame of a session's event stream, as the SSE contract defines it: a persisted event
 * (its offset is the SSE `id:`), a piece of the reply being written, or the text so far of
 * a reply already in progress when the stream opened. `open` comes first, once the server
 * has accepted the stream: an idle session sends nothing else for a long time, and the client
 * must still know its connection is up.
 */
export type StreamFrame =
  | { type: 'open' }
  | { type: 'event'; event: WireEvent }
  | { type: 'delta'; traceId: string; messageId: string; seq: number; text: string }
  | { type: 'snapshot'; traceId: string; messageId: string; seq: number; text: string };

/**
 * Why a transport call failed, in the HTTP layer's error vocabulary: `status` 0 means no answer
 * came (offline, connection dropped; or, code `blocked_by_content_security_policy`, the page's
 * policy stopped the request); otherwise the envelope's code and message.
 */
export interface TransportFailure {
  status: number;
  code: string;
  message: string;
  reason?: string;
  retryable: boolean;
  /** Seconds the server asked to wait (429 `Retry-After`). */
  retryAfterSeconds?: number;
  /** The URL of the request that failed, when the transport knows one. */
  url?: string;
}

/**
 * The seam between the chat client and a Parley server: the HTTP transport speaks the
 * routes of `@parley/http`; a scripted transport plays a conversation in the browser for
 * Storybook. Every method rejects with a {@link TransportError} on failure.
 */
export interface ChatTransport {
  /** `POST /v1/sessions {agentKey, identityToken?, customerName?}`. */
  openSession(request: OpenSessionRequest, signal?: AbortSignal): Promise<SessionGrant>;
  /** `POST /v1/sessions/:id/token`: a fresh token while the current one is valid. */
  renewToken(
    credentials: SessionCredentials,
    signal?: AbortSignal,
  ): Promise<{ customerToken: string; expiresAt: string }>;
  /** `GET /v1/sessions/:id`: how far the session's events go (`-1`: none yet). */
  getSessionInfo(
    credentials: SessionCredentials,
    signal?: AbortSignal,
  ): Promise<{ lastOffset: number }>;
  /** `GET /v1/sessions/:id/agent`. */
  getAgentProfile(credentials: SessionCredentials, signal?: AbortSignal): Promise<AgentProfile>;
  /** `GET /v1/sessions/:id/events?after=&limit=`: stored events, oldest first. */
  listEvents(
    credentials: SessionCredentials,
    options: { after: number; limit: number },
    signal?: AbortSignal,
  ): Promise<WireEvent[]>;
  /**
   * `POST /v1/sessions/:id/events {text, clientMessageId}`: the stored message event, and
   * whether it was a repeat of one already stored (a retry of the same `clientMessageId`).
   */
  postMessage(
    credentials: SessionCredentials,
    message: { text: string; clientMessageId: string },
    signal?: AbortSignal,
  ): Promise<{ event: WireEvent; duplicate: boolean }>;
  /** `POST /v1/sessions/:id/cancel`: stops the turn in flight. */
  cancel(credentials: SessionCredentials, signal?: AbortSignal): Promise<void>;
  /** `POST /v1/sessions/:id/retry`: runs the failed turn again. */
  retryTurn(credentials: SessionCredentials, signal?: AbortSignal): Promise<void>;
  /** `POST /v1/sessions/:id/events/:eventId/feedback`. */
  sendFeedback(
    credentials: SessionCredentials,
    feedback: { eventId: string; rating: 'up' | 'down'; comment?: string },
    signal?: AbortSignal,
  ): Promise<void>;
  /**
   * `GET /v1/sessions/:id/stream` with `Last-Event-ID: after` (through `fetch`, the token in
   * `Authorization`): yields `open` once the server accepted it, then frames until `signal`
   * aborts (ends quietly) or the connection drops (throws a {@link TransportError} with status
   * 0, or the server's refusal).
   */
  stream(
    credentials: SessionCredentials,
    options: { after: number; signal: AbortSignal },
  ): AsyncIterable<StreamFrame>;
  /**
   * Optional: calls `listener` when the transport learns, outside any one call, that it cannot
   * reach its server from this page at all; returns the function that stops listening. The
   * HTTP transport hears the document's `securitypolicyviolation` events: the page's
   * Content-Security-Policy blocked a request to the endpoint (the request itself only fails
   * as a network error would). It calls `listener` once, with a {@link TransportError} of code
   * `blocked_by_content_security_policy`.
   */
  subscribeToConfigurationErrors?(listener: (error: TransportError) => void): () => void;
}

/** A transport call that failed; see {@link TransportFailure}. */
export class TransportError extends Error implements TransportFailure {
  readonly status: number;
  readonly code: string;
  readonly reason?: string;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;
  readonly url?: string;

  constructor(failure: TransportFailure) {
    super(failure.message);
    this.name = 'TransportError';
    this.status = failure.status;
    this.code = failure.code;
    this.reason = failure.reason;
    this.retryable = failure.retryable;
    this.retryAfterSeconds = failure.retryAfterSeconds;
    this.url = failure.url;
  }
}
