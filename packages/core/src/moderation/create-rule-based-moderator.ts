import { ParleyError } from '../errors/parley-error';
import type { Moderator } from '../ports/moderator';
import { defaultModerationRules } from './default-moderation-rules';
import type { ModerationRule } from './moderation-rule';

/** Options of {@link createRuleBasedModerator}. */
export interface RuleBasedModeratorOptions {
  /** The rules; default {@link defaultModerationRules}. Given rules replace the defaults. */
  rules?: readonly ModerationRule[];
  /** What replaces each censored span; default `***`. */
  replacement?: string;
  /** Default `rules`. */
  id?: string;
}

interface CompiledRule {
  category: string;
  flag: boolean;
  patterns: RegExp[];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A whole word or phrase, ignoring case; its spaces match any white space. */
function phrasePattern(phrase: string): RegExp {
  const words = phrase.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  // Word boundaries only where the phrase begins or ends with a word character.
  const start = /^\w/.test(phrase.trim()) ? '\\b' : '';
  const end = /\w$/.test(phrase.trim()) ? '\\b' : '';
  return new RegExp(`${start}${words}${end}`, 'giu');
}

function compile(rules: readonly ModerationRule[]): CompiledRule[] {
  return rules.map((rule, index) => {
    if (typeof rule.category !== 'string' || rule.category.trim() === '') {
      throw new ParleyError('validation_failed', `Moderation rule ${index} needs a category`, {
        details: { index },
      });
    }
    if (rule.patterns.length === 0) {
      throw new ParleyError(
        'validation_failed',
        `Moderation rule "${rule.category}" needs at least one pattern`,
        { details: { index, category: rule.category } },
      );
    }
    const patterns = rule.patterns.map((pattern) => {
      if (typeof pattern === 'string') {
        if (pattern.trim() === '') {
          throw new ParleyError(
            'validation_failed',
            `Moderation rule "${rule.category}" has an empty pattern`,
            { details: { index, category: rule.category } },
          );
        }
        return phrasePattern(pattern);
      }
      return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    });
    return { category: rule.category, flag: (rule.action ?? 'flag') === 'flag', patterns };
  });
}

/** Joins overlapping or touching spans, in order. */
function mergeSpans(spans: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((left, right) => left[0] - right[0] || left[1] - right[1]);
  const merged: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

/**
 * A {@link Moderator} that needs no network: each rule's patterns are searched in the message;
 * every match is censored (replaced by `replacement`), and a match of a `flag` rule flags the
 * message. `categories` lists every category that matched, in the rules' order. Deterministic
 * and instant; a first line of defence, not a classifier (pair it with `createOpenAIModerator`
 * for that). Invalid rules throw a `validation_failed` ParleyError here, not at the first
 * message.
 */
export function createRuleBasedModerator(options: RuleBasedModeratorOptions = {}): Moderator {
  const rules = compile(options.rules ?? defaultModerationRules);
  const replacement = options.replacement ?? '***';
  return {
    id: options.id ?? 'rules',
    async moderate({ text, signal }) {
      if (signal?.aborted) throw new ParleyError('cancelled', 'The moderation was cancelled');
      const spans: Array<[number, number]> = [];
      const categories: string[] = [];
      let flagged = false;
      for (const rule of rules) {
        let matched = false;
        for (const pattern of rule.patterns) {
          for (const match of text.matchAll(pattern)) {
            if (match[0].length === 0) continue;
            matched = true;
            spans.push([match.index, match.index + match[0].length]);
          }
        }
        if (matched) {
          if (!categories.includes(rule.category)) categories.push(rule.category);
          flagged ||= rule.flag;
        }
      }
      let censoredText = text;
      for (const [start, end] of mergeSpans(spans).reverse()) {
        censoredText = censoredText.slice(0, start) + replacement + censoredText.slice(end);
      }
      return { flagged, categories, censoredText };
    },
  };
}
