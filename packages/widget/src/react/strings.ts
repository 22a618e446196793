import { chatUnavailableMessage, isConfigurationError } from '../client/configuration-error';

/**
 * Every word the widget shows or announces, in English. A site translates the widget by
 * passing a partial {@link ParleyStrings} as the `strings` prop: what it leaves out keeps
 * the English default. Templates take `{name}` placeholders (see {@link formatString}), so a
 * translation can be plain JSON (the `<script>` embed reads it from a data attribute).
 */
export interface ParleyStrings {
  /** The chat's accessible name, and its title until the agent's name is known. */
  chatTitle: string;
  /** The accessible name of the conversation log. */
  conversationLabel: string;
  /** Shown in an empty conversation. */
  emptyConversation: string;
  /** Who wrote a message, for screen readers (`{name}` is a human operator's or the agent's). */
  customerAuthor: string;
  agentAuthor: string;
  /** The composer's label and placeholder. */
  composerLabel: string;
  composerPlaceholder: string;
  /** The send button. */
  send: string;
  /** The stop button, shown while a reply is in progress. */
  stop: string;
  /** Status of the turn in progress, in words. */
  statusAcknowledged: string;
  statusProcessing: string;
  statusTyping: string;
  statusCancelled: string;
  /** Words for the `processing` stages the engine reports; an unknown stage shows `statusProcessing`. */
  stages: Record<string, string>;
  /** The connection, when it is not simply open. */
  connectionConnecting: string;
  connectionReconnecting: string;
  connectionOffline: string;
  /** A customer message on its way, and one that was not stored. */
  messageSending: string;
  messageFailed: string;
  /** The retry button of a failed message and of a failed reply. */
  retry: string;
  /** Accessible name of a failed message's retry button. */
  retryMessage: string;
  /** Heads the error notice of a failed reply. */
  replyFailed: string;
  /**
   * The chat cannot work on this site as it is set up (its origin not allowed, the key unknown
   * or revoked, the site's Content-Security-Policy blocking it): shown instead of the
   * configuration error's own message, with no retry. `errors` may still word one code.
   */
  chatUnavailable: string;
  /**
   * Replacements of the server's error messages by error code (`model_failed`,
   * `rate_limited`, `network`…); a code left out shows the server's own message.
   */
  errors: Record<string, string>;
  /** A tool the agent ran; `{tool}` is its name. */
  toolCall: string;
  /** The group of suggested replies. */
  suggestedReplies: string;
  /** Feedback buttons on agent replies, and what the group is called. */
  feedbackLabel: string;
  feedbackUp: string;
  feedbackDown: string;
  /** Loads the page of history before the first message shown. */
  showEarlier: string;
  loadingEarlier: string;
  earlierFailed: string;
  /**
   * Names the list of sources under an agent's reply (shown as its label); each entry is
   * numbered `[1]`, `[2]`… as the reply cites it.
   */
  sources: string;
  /** A code block in a reply, which scrolls sideways: its name when it has the focus. */
  codeBlock: string;
  /**
   * The launcher's bubble while the panel is closed, the panel's close button, and the bubble
   * while the panel is open (another name than the close button's: two controls, two names).
   */
  openChat: string;
  closeChat: string;
  minimizeChat: string;
  /** Accessible description of the unread badge; `{count}` is what it shows (`99+` past 99). */
  unread: string;
  /** Announced when a reply is complete: `{author}` and `{text}`. */
  replyAnnouncement: string;
}

/** The English strings every `strings` prop is merged over. */
export const defaultStrings: ParleyStrings = {
  chatTitle: 'Chat',
  conversationLabel: 'Conversation',
  emptyConversation: 'Ask a question to start the conversation.',
  customerAuthor: 'You',
  agentAuthor: 'Assistant',
  composerLabel: 'Message',
  composerPlaceholder: 'Write a message…',
  send: 'Send',
  stop: 'Stop',
  statusAcknowledged: 'Message received',
  statusProcessing: 'Thinking…',
  statusTyping: 'Typing…',
  statusCancelled: 'Reply stopped',
  stages: {
    guideline_matching: 'Reading your message…',
    tool_calls: 'Looking that up…',
  },
  connectionConnecting: 'Connecting…',
  connectionReconnecting: 'Connection lost. Reconnecting…',
  connectionOffline: 'You are offline. Reconnect to send messages.',
  messageSending: 'Sending…',
  messageFailed: 'Not sent.',
  retry: 'Retry',
  retryMessage: 'Retry sending this message',
  replyFailed: 'The reply could not be written.',
  chatUnavailable: chatUnavailableMessage,
  errors: {},
  toolCall: 'Used {tool}',
  suggestedReplies: 'Suggested replies',
  feedbackLabel: 'Was this reply helpful?',
  feedbackUp: 'Helpful',
  feedbackDown: 'Not helpful',
  showEarlier: 'Show earlier messages',
  loadingEarlier: 'Loading earlier messages…',
  earlierFailed: 'Earlier messages could not be loaded.',
  sources: 'Sources',
  codeBlock: 'Code',
  openChat: 'Open chat',
  closeChat: 'Close chat',
  minimizeChat: 'Minimize chat',
  unread: '{count} unread',
  replyAnnouncement: '{author}: {text}',
};

/**
 * The default strings with a partial override on top; the `stages` and `errors` tables are
 * merged key by key, so overriding one stage keeps the others.
 */
export function resolveStrings(overrides?: Partial<ParleyStrings>): ParleyStrings {
  if (!overrides) return defaultStrings;
  return {
    ...defaultStrings,
    ...overrides,
    stages: { ...defaultStrings.stages, ...overrides.stages },
    errors: { ...defaultStrings.errors, ...overrides.errors },
  };
}

/** Fills `{name}` placeholders of a template; a placeholder without a value stays as written. */
export function formatString(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) =>
    name in values ? String(values[name]) : placeholder,
  );
}

/**
 * A failure in the visitor's words: the site's wording of its code (`errors`), else, for a
 * configuration error, {@link ParleyStrings.chatUnavailable}, else the server's own message.
 */
export function describeError(error: { code: string; message: string }, strings: ParleyStrings) {
  return (
    strings.errors[error.code] ??
    (isConfigurationError(error) ? strings.chatUnavailable : error.message)
  );
}
