import type { ChatItem, ChatState } from './chat-state';
import type {
  AgentProfile,
  ChatTransport,
  OpenSessionRequest,
  SessionCredentials,
} from './chat-transport';

/** Where a chat keeps its session across reloads; `localStorage` by default. */
export interface ChatSessionStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

/** The timers a chat client waits with (reconnection backoff, token renewal). */
export interface ChatTimers {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Options of `createChatClient`. */
export interface ChatClientOptions {
  /** How the client reaches the server: `createHttpTransport({ endpoint })`, or a scripted one. */
  transport: ChatTransport;
  /**
   * How a session is obtained: a publishable key (and optional identity) exchanged for a
   * session, or credentials the host already holds.
   */
  session: OpenSessionRequest | SessionCredentials;
  /**
   * Where the session id and customer token are kept so a reload resumes the conversation;
   * `null` keeps nothing. Default: `localStorage` when the page has it.
   */
  storage?: ChatSessionStorage | null;
  /** Offered as buttons until the customer's first message ("Where is my order?"). */
  suggestedReplies?: string[];
  /** Prefix of the storage key (one chat per key and prefix); default `parley`. */
  storageKey?: string;
  /** Reconnection backoff: first delay and cap, in ms (full jitter); default 500 and 15,000. */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Injectable for tests: ids of new messages, randomness of the jitter, timers, the clock. */
  createId?: () => string;
  random?: () => number;
  now?: () => Date;
  /** Default: the global `setTimeout` and `clearTimeout`. */
  timers?: ChatTimers;
  /**
   * Where the site's owner is told, once, why the chat cannot work on the page (a
   * configuration error: the origin not allowed, the key unknown or revoked, the endpoint
   * blocked by the page's CSP) and how to fix it; default the browser's `console`.
   */
  logger?: { error(message: string): void };
  /** Whether the browser is online, and a way to hear it change; default `navigator` + window events. */
  network?: {
    isOnline(): boolean;
    subscribe(listener: (online: boolean) => void): () => void;
  };
}

/**
 * A framework-free chat: opens or restores a session, keeps one event stream per session
 * (resumed with `Last-Event-ID` after a drop), sends messages optimistically and
 * idempotently, and exposes everything as one immutable {@link ChatState}. React reads it with
 * `useSyncExternalStore(client.subscribe, client.getState)`.
 */
export interface ChatClient {
  /** The current state; the same object until something changes. */
  getState(): ChatState;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /**
   * Opens (or restores from storage) the session, reads the latest page of history, and opens
   * the stream. Safe to call twice; resolves once the stream is connecting. After a failure
   * that ended the attempts (`state.error` set, the connection `idle` or `unavailable`), it
   * tries again.
   */
  start(): Promise<void>;
  /**
   * Sends a customer message: it appears at once (`sending`), then `sent` when stored; on
   * failure it stays `failed` with its error. Resolves with the message's id.
   */
  send(text: string): Promise<string>;
  /**
   * Retries: resends a `failed` message (same `clientMessageId`, so never twice), or, without an
   * id, runs the turn that ended in a retryable error again.
   */
  retry(messageId?: string): Promise<void>;
  /** Stops the reply being written; the turn ends `cancelled`. */
  cancel(): Promise<void>;
  /** Rates an agent reply. */
  sendFeedback(messageId: string, rating: 'up' | 'down', comment?: string): Promise<void>;
  /**
   * The agent's name and description (a plain read, for a query cache such as react-query).
   * Rejects before `start()` has a session.
   */
  loadAgentProfile(): Promise<AgentProfile>;
  /**
   * Items stored before `beforeOffset` (a plain read that leaves the state alone; a list shows
   * them above the live window): at most `limit` events (default 50) read, oldest first, and
   * whether older ones remain.
   */
  loadHistoryPage(options: {
    beforeOffset: number;
    limit?: number;
  }): Promise<{ items: ChatItem[]; hasMore: boolean }>;
  /** The user has seen the replies: `unread` goes back to 0. */
  markRead(): void;
  /** Forgets the stored session (the next `start()` opens a new one). */
  reset(): Promise<void>;
  /** Closes the stream and stops every timer; the client cannot be used afterwards. */
  dispose(): void;
}
