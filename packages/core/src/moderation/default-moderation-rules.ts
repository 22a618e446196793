import type { ModerationRule } from './moderation-rule';

/**
 * The rule-based moderator's rules when none are given: threats of violence are flagged,
 * common profanity is only censored. A small, conservative starting point, in English; spread
 * it into your own list to extend it (`[...defaultModerationRules, { category: … }]`).
 */
export const defaultModerationRules: readonly ModerationRule[] = Object.freeze([
  {
    category: 'violence',
    action: 'flag',
    patterns: [
      /\bi(?:'ll| will| am going to|'m going to|'m gonna| gonna)\s+(?:kill|murder|stab|shoot|hurt|beat up)\s+(?:you|him|her|them|everyone|your)\b/i,
      /\b(?:bomb|burn down|blow up)\s+(?:your|the)\s+(?:office|store|shop|building|house)\b/i,
    ],
  },
  {
    category: 'profanity',
    action: 'censor',
    patterns: [
      /\bf+u+c+k+(?:ing|ed|er|ers|s)?\b/i,
      /\bs+h+i+t+(?:ty|s)?\b/i,
      /\bbullshit\b/i,
      /\basshole[s]?\b/i,
      /\bbastard[s]?\b/i,
      /\bbitch(?:es|y)?\b/i,
      /\bdamn(?:ed|it)?\b/i,
      /\bcrap(?:py)?\b/i,
      /\bwtf\b/i,
    ],
  },
] satisfies ModerationRule[]);
