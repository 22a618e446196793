/**
 * One rule of the rule-based moderator: what a category looks like, and what finding it does.
 * A string pattern matches as a whole word or phrase, ignoring case (spaces in it match any
 * run of white space); a `RegExp` matches as written (it is always searched globally).
 */
export interface ModerationRule {
  /** The category reported when the rule matches, e.g. `profanity`. */
  category: string;
  patterns: ReadonlyArray<string | RegExp>;
  /**
   * `flag` (default): the message is flagged, and the agent sends its configured reply.
   * `censor`: the matched words are only hidden from the model; the turn goes on.
   */
  action?: 'flag' | 'censor';
}
