/**
 * What a chat shows, as the chat client keeps it: the timeline, the turn in progress, the
 * connection. Plain data, replaced (never mutated) on every change, so a React component
 * re-renders only what changed.
 */

/** Who said something. */
export type ChatRole = 'customer' | 'agent' | 'human_agent';

/** A message of the timeline. */
export interface ChatMessage {
  type: 'message';
  /**
   * Stable across the message's life: the `clientMessageId` of the customer's own message
   * (before and after the server stored it), the event id of everything else. Use as the
   * React key.
   */
  id: string;
  role: ChatRole;
  text: string;
  /**
   * `sending`: posted, not yet stored; `failed`: not stored (see `error`, retry resends it with
   * the same `clientMessageId`); `streaming`: the agent's reply being written; `sent`: stored.
   */
  delivery: 'sending' | 'failed' | 'streaming' | 'sent';
  /** The stored event's id, once stored (feedback refers to it). */
  eventId: string | null;
  /** The stored event's offset, once stored. */
  offset: number | null;
  /** The customer's own id for their message, for idempotent resends. */
  clientMessageId: string | null;
  /** For a human operator's message: the name they go by. */
  participantName: string | null;
  /** ISO 8601; the client's clock until stored. */
  createdAt: string;
  /** The trace of the turn that wrote it (agent replies). */
  traceId: string | null;
  /** Why a `failed` message was not stored. */
  error: ChatError | null;
  /** The feedback the customer gave this reply, if any. */
  feedback: 'up' | 'down' | null;
  /**
   * An agent's preamble: a holding line ("Let me look that up") sent while a slow turn works.
   * Shown lighter than a reply, without feedback buttons.
   */
  preamble: boolean;
  /**
   * What an agent's reply cites, in citation order: shown as links under it. Empty for every
   * other message (the customer's, a human operator's, a preamble, a reply still streaming:
   * its sources come with the stored message).
   */
  sources: ChatSource[];
}

/**
 * A source an agent's reply cites, as the chat shows it: checked on the way in (see
 * `readMessageSources`), so a component can render it as it is.
 */
export interface ChatSource {
  /**
   * Its number in the reply's citations, from 1: the reply's `[2]` is the source numbered 2.
   * A source the widget refused leaves its number unused, so the others keep theirs.
   */
  number: number;
  title: string;
  /** An absolute http or https address; `null` when the source has none (shown as text). */
  url: string | null;
}

/** A tool the agent ran, shown as a card: its name and how it went, never its data. */
export interface ChatToolCall {
  type: 'tool_call';
  /** The tool event's id. */
  id: string;
  toolName: string;
  traceId: string;
  offset: number;
  createdAt: string;
}

/** One entry of the timeline, oldest first. */
export type ChatItem = ChatMessage | ChatToolCall;

/** The turn the agent is taking, from the latest status event. */
export interface ChatTurn {
  /**
   * `idle` before any turn; then the latest status: `acknowledged`, `processing` (with a
   * `stage`), `typing`, and one of `ready`, `error`, `cancelled` once it ended.
   */
  status: 'idle' | 'acknowledged' | 'processing' | 'typing' | 'ready' | 'error' | 'cancelled';
  /** For `processing`: `guideline_matching`, `tool_calls`… */
  stage: string | null;
  traceId: string | null;
  /** For `error`: what failed, and whether `retry()` may help. */
  error: ChatError | null;
}

/**
 * The event stream: `idle` before `start()` (and after a failure that ended the attempts, with
 * `error` saying why), `connecting`, `open`, `reconnecting` after a passing failure (the
 * network, a 5xx, a 429, a timeout: tried again with backoff), `offline` while the browser
 * reports no network, `closed` after `dispose()`.
 *
 * `unavailable`: the chat cannot work on this page as it is set up, and nothing is tried again
 * (no request is made until `start()` is called anew, e.g. on the next page load). `error`
 * holds a configuration error, `retryable: false`, under one of these codes:
 * `origin_not_allowed` (the page's origin is not among the agent key's allowed origins),
 * `agent_key_invalid` (the server knows no such key, or it was revoked), `agent_key_revoked`
 * (the session's key was revoked since), `blocked_by_content_security_policy` (the page's
 * Content-Security-Policy blocks `connect-src` to the endpoint). The client tells the site's
 * owner the cause and the fix once, with `console.error` (see `ChatClientOptions.logger`).
 */
export type ConnectionState =
  | 'idle'
  | 'connecting'
  | 'open'
  | 'reconnecting'
  | 'offline'
  | 'unavailable'
  | 'closed';

/** A failure the chat shows, with what the user can do about it. */
export interface ChatError {
  /**
   * The server's error code (`model_failed`, `rate_limited`…), `network` when offline, or a
   * configuration error's code (see {@link ConnectionState}'s `unavailable`).
   */
  code: string;
  /** Readable, and safe to show a customer. */
  message: string;
  retryable: boolean;
}

/** Everything a chat renders. */
export interface ChatState {
  /** `null` until a session is opened or restored. */
  sessionId: string | null;
  /**
   * The live window of the timeline, oldest first: the latest page of history read at start,
   * then everything since. Older pages come from `loadHistoryPage`.
   */
  items: ChatItem[];
  /** Offset of the oldest stored event the window starts after reading; `null` before. */
  windowStartOffset: number | null;
  turn: ChatTurn;
  connection: ConnectionState;
  /**
   * A failure outside any one message: the session could not be opened, the token was
   * refused… `null` when all is well.
   */
  error: ChatError | null;
  /** Replies completed since the last `markRead()` (the launcher's badge). */
  unread: number;
  /**
   * Short answers offered as buttons: the client options' `suggestedReplies`, until the
   * customer's first message.
   */
  suggestedReplies: string[];
  /** True once the stored history has been read (the timeline is whole). */
  historyLoaded: boolean;
}
