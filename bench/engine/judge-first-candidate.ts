import type { ScriptedChatModel } from '@parley/core/testing';

/**
 * Scripts the model's guideline judgement to apply the first candidate shown and nothing
 * else, after `latencyMs` (a model's think time; default none): enough to exercise every
 * stage of a turn.
 */
export function judgeFirstCandidate(model: ScriptedChatModel, latencyMs = 0): void {
  model.onObject('guideline_judgement', async (request) => {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const system =
      request.messages[0] && 'content' in request.messages[0] ? request.messages[0].content : '';
    const ids = [...system.matchAll(/^- (g\d+): WHEN/gm)].map((match) => match[1] as string);
    return {
      guidelines: ids.map((id, index) => ({ id, applies: index === 0, alreadyApplied: false })),
      journey: { id: null, nextState: null },
      cannedResponse: null,
    };
  });
}
