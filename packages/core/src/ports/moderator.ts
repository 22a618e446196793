/** What a {@link Moderator} is asked to check. */
export interface ModerationRequest {
  /** The customer's message, as they wrote it. */
  text: string;
  /** Aborts the check: the turn was cancelled, or the engine's deadline for it passed. */
  signal?: AbortSignal;
}

/** A {@link Moderator}'s verdict on one message. */
export interface ModerationVerdict {
  /** The message must not be answered as usual: the agent sends its configured reply instead. */
  flagged: boolean;
  /** The categories found (e.g. `harassment`, `profanity`), flagged or only censored; may be empty. */
  categories: string[];
  /**
   * The text the model may read: the message with what must not reach it replaced (e.g. by
   * `***`). The message itself when nothing was censored.
   */
  censoredText: string;
}

/**
 * Input moderation: checks a customer's message before the model answers it. The engine asks
 * it in parallel with guideline matching; a flagged message gets the configured reply (no
 * tools run), and a censored one reaches the model's prompts censored. The customer's stored
 * message is never changed. A moderator may fail (throw, reject, outlast the engine's
 * deadline): the turn then goes on unmoderated, and the failure is logged.
 */
export interface Moderator {
  /** Names the moderator in logs and explanations, e.g. `rules` or `openai:omni-moderation-latest`. */
  readonly id: string;
  /** Checks one message. Rejects on failure; honours `signal`. */
  moderate(request: ModerationRequest): Promise<ModerationVerdict>;
}
