import type { ObjectGenerationRequest } from '../src/ports/chat-model';
import type { ScriptedChatModel } from '../src/testing/create-scripted-chat-model';

/** The judgement prompt, read back into what a test needs to decide like a model would. */
export interface JudgementView {
  candidates: Array<{ shortId: string; condition: string; action: string | null }>;
  latestCustomerMessage: string;
  activeJourney: { shortId: string; stateKey: string; next: string[] } | null;
  journeyCandidates: Array<{ shortId: string; title: string }>;
  cannedCandidates: Array<{ shortId: string; template: string }>;
}

/** What a test's decision may say; anything left out is "no". */
export interface JudgementDecision {
  applies?: (candidate: JudgementView['candidates'][number]) => boolean;
  alreadyApplied?: (candidate: JudgementView['candidates'][number]) => boolean;
  journey?: { id: string | null; nextState: string | null };
  cannedResponse?: string | null;
}

function contentOf(request: ObjectGenerationRequest<never>, role: 'system' | 'user'): string {
  const message = request.messages.find((candidate) => candidate.role === role);
  return message && 'content' in message ? message.content : '';
}

/** Reads the judgement prompt the engine wrote. */
export function readJudgementPrompt(request: ObjectGenerationRequest<never>): JudgementView {
  const system = contentOf(request, 'system');
  const user = contentOf(request, 'user');
  const candidates = [
    ...system.matchAll(
      /^- (g\d+): WHEN (.+?)(?: THEN (.+?)| \(an observation[^)]*\))(?: \[carried out[^\]]*\])?$/gm,
    ),
  ].map((match) => ({
    shortId: match[1] as string,
    condition: match[2] as string,
    action: match[3] ?? null,
  }));
  const customerLines = [...user.matchAll(/^Customer: (.*)$/gm)];
  const active = /journey (j\d+) "[^"]*", at step "([^"]+)"/.exec(system);
  const next = [...system.matchAll(/^ {2}- "([^"]+)"/gm)].map((match) => match[1] as string);
  return {
    candidates,
    latestCustomerMessage: customerLines.at(-1)?.[1] ?? '',
    activeJourney: active
      ? { shortId: active[1] as string, stateKey: active[2] as string, next }
      : null,
    journeyCandidates: [...system.matchAll(/^- (j\d+): "([^"]+)" — starts when/gm)].map(
      (match) => ({
        shortId: match[1] as string,
        title: match[2] as string,
      }),
    ),
    cannedCandidates: [...system.matchAll(/^- (c\d+): (.*)$/gm)].map((match) => ({
      shortId: match[1] as string,
      template: match[2] as string,
    })),
  };
}

/**
 * Answers every judgement call of the scripted model with `decide`, which sees the prompt as
 * a {@link JudgementView}: the deterministic stand-in for a model's judgement.
 */
export function scriptJudgement(
  model: ScriptedChatModel,
  decide: (view: JudgementView) => JudgementDecision,
): void {
  model.onObject('guideline_judgement', (request) => {
    const view = readJudgementPrompt(request as ObjectGenerationRequest<never>);
    const decision = decide(view);
    return {
      guidelines: view.candidates.map((candidate) => ({
        id: candidate.shortId,
        applies: decision.applies?.(candidate) ?? false,
        alreadyApplied: decision.alreadyApplied?.(candidate) ?? false,
      })),
      journey: decision.journey ?? {
        id: view.activeJourney?.shortId ?? null,
        nextState: view.activeJourney?.stateKey ?? null,
      },
      cannedResponse: decision.cannedResponse ?? null,
    };
  });
}
