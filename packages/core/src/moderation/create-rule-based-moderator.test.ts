import { describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import { describeModeratorContract } from '../testing/moderator-contract-suite';
import { createRuleBasedModerator } from './create-rule-based-moderator';
import { defaultModerationRules } from './default-moderation-rules';

describeModeratorContract('rule-based, default rules', {
  create: () => createRuleBasedModerator(),
  benignText: 'Where is my parcel HP-123? It was due on Friday.',
  flaggedText: "If it is late again I'm going to kill you",
});

describe('createRuleBasedModerator', () => {
  it('flags a threat and censors it, reporting its category', async () => {
    const verdict = await createRuleBasedModerator().moderate({
      text: 'Fix it now. I will hurt you otherwise.',
    });
    expect(verdict).toEqual({
      flagged: true,
      categories: ['violence'],
      censoredText: 'Fix it now. *** otherwise.',
    });
  });

  it('only censors profanity by default: the message is not flagged', async () => {
    const verdict = await createRuleBasedModerator().moderate({
      text: 'This FUCKING router is shit, damn it',
    });
    expect(verdict).toEqual({
      flagged: false,
      categories: ['profanity'],
      censoredText: 'This *** router is ***, *** it',
    });
  });

  it('matches string patterns as whole words or phrases, ignoring case and spacing', async () => {
    const moderator = createRuleBasedModerator({
      rules: [{ category: 'competitor', patterns: ['Acme Corp', 'zeta'], action: 'censor' }],
      replacement: '[removed]',
    });
    expect(await moderator.moderate({ text: 'Is ACME   corp cheaper? Zetas, zeta!' })).toEqual({
      flagged: false,
      categories: ['competitor'],
      censoredText: 'Is [removed] cheaper? Zetas, [removed]!',
    });
    expect((await moderator.moderate({ text: 'acmecorp' })).categories).toEqual([]);
  });

  it('joins overlapping matches into one censored span and lists each category once', async () => {
    const moderator = createRuleBasedModerator({
      rules: [
        { category: 'secret', patterns: [/open sesame/i, 'sesame street'] },
        { category: 'secret', patterns: ['open'], action: 'censor' },
      ],
    });
    expect(await moderator.moderate({ text: 'say open sesame street now' })).toEqual({
      flagged: true,
      categories: ['secret'],
      censoredText: 'say *** now',
    });
  });

  it('leaves a message without matches as written', async () => {
    const text = 'Hello, could you help me with my bill?';
    expect(await createRuleBasedModerator().moderate({ text })).toEqual({
      flagged: false,
      categories: [],
      censoredText: text,
    });
  });

  it('refuses rules it cannot use, when it is created', () => {
    const failure = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return error;
      }
      throw new Error('expected a failure');
    };
    for (const rules of [
      [{ category: '', patterns: ['x'] }],
      [{ category: 'empty', patterns: [] }],
      [{ category: 'blank', patterns: ['   '] }],
    ]) {
      const error = failure(() => createRuleBasedModerator({ rules }));
      expect(ParleyError.isInstance(error) && error.code).toBe('validation_failed');
    }
  });

  it('ships default rules that flag only violence', () => {
    expect(defaultModerationRules.map((rule) => [rule.category, rule.action])).toEqual([
      ['violence', 'flag'],
      ['profanity', 'censor'],
    ]);
  });
});
