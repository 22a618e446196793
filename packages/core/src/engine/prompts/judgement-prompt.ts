import { z } from 'zod';
import type { CannedResponse } from '../../domain/canned-response';
import type { Guideline } from '../../domain/guideline';
import type { Journey, JourneyState } from '../../domain/journey';
import type { Term } from '../../domain/term';
import type { ChatMessage } from '../../ports/chat-model';
import { type ConversationLine, formatTranscript } from './conversation-lines';

/**
 * What the judgement call answers, for the candidates it was shown (by their short ids):
 * which guidelines apply now, which of those were already carried out earlier, where the
 * conversation stands in a journey, and which canned reply fits (canned modes only).
 * Every field is required and nullable rather than optional, as strict structured output
 * demands.
 */
export const judgementSchema = z.object({
  guidelines: z.array(
    z.object({
      id: z.string(),
      applies: z.boolean(),
      alreadyApplied: z.boolean(),
    }),
  ),
  journey: z.object({
    id: z.string().nullable(),
    nextState: z.string().nullable(),
  }),
  cannedResponse: z.string().nullable(),
});
export type Judgement = z.infer<typeof judgementSchema>;

/** A guideline shown to the judgement, with its short id. */
export interface GuidelineCandidate {
  shortId: string;
  guideline: Guideline;
  /** Carried out earlier in this session. */
  appliedBefore: boolean;
}

/** The journey in progress, and where it may go next. */
export interface ActiveJourneyView {
  shortId: string;
  journey: Journey;
  state: JourneyState;
  /** Keys and conditions of the states reachable from the current one. */
  next: Array<{ stateKey: string; condition: string | null; action: string | null }>;
}

/** Everything the judgement call sees. */
export interface JudgementPromptInput {
  agentName: string;
  agentDescription: string;
  conversation: readonly ConversationLine[];
  candidates: readonly GuidelineCandidate[];
  activeJourney: ActiveJourneyView | null;
  journeyCandidates: ReadonlyArray<{ shortId: string; journey: Journey }>;
  cannedCandidates: ReadonlyArray<{ shortId: string; response: CannedResponse }>;
  terms: readonly Term[];
}

function describeGuideline(candidate: GuidelineCandidate): string {
  const { guideline } = candidate;
  const action = guideline.action
    ? ` THEN ${guideline.action}`
    : ' (an observation: no action of its own)';
  const history = candidate.appliedBefore ? ' [carried out earlier in this conversation]' : '';
  return `- ${candidate.shortId}: WHEN ${guideline.condition}${action}${history}`;
}

/** The messages of the judgement call. */
export function buildJudgementMessages(input: JudgementPromptInput): ChatMessage[] {
  const sections: string[] = [
    `You decide how the support agent "${input.agentName}" should handle the customer's latest message. ${input.agentDescription}`.trim(),
    [
      'For every guideline listed, answer:',
      '- applies: true if its condition holds for the latest customer message in the context of the conversation;',
      '- alreadyApplied: true if it applies but the agent already carried out its action earlier and repeating it would not help.',
      'Answer for every listed guideline id, and only for those.',
    ].join('\n'),
    `Guidelines:\n${input.candidates.length > 0 ? input.candidates.map(describeGuideline).join('\n') : '(none)'}`,
  ];
  if (input.activeJourney) {
    const { shortId, journey, state, next } = input.activeJourney;
    const options = next.map(
      (option) =>
        `  - "${option.stateKey}"${option.condition ? `: if ${option.condition}` : ''}${option.action ? ` (then: ${option.action})` : ''}`,
    );
    sections.push(
      [
        `The conversation is in journey ${shortId} "${journey.title}", at step "${state.key}"${state.action ? ` (${state.action})` : ''}.`,
        `Set journey.id to "${shortId}" and journey.nextState to the step it should move to, or to "${state.key}" to stay:`,
        ...options,
        'Set journey.id to null only if the customer clearly abandoned the journey.',
      ].join('\n'),
    );
  } else if (input.journeyCandidates.length > 0) {
    sections.push(
      [
        'Journeys that may start with this message (set journey.id to the one that does, else null; leave journey.nextState null):',
        ...input.journeyCandidates.map(
          ({ shortId, journey }) =>
            `- ${shortId}: "${journey.title}" — starts when ${journey.conditions.join('; or when ')}`,
        ),
      ].join('\n'),
    );
  } else {
    sections.push('No journey is in progress: set journey.id and journey.nextState to null.');
  }
  if (input.cannedCandidates.length > 0) {
    sections.push(
      [
        'Prepared replies: set cannedResponse to the id of the one that best answers the customer given the applicable guidelines, or null if none fits.',
        ...input.cannedCandidates.map(
          ({ shortId, response }) => `- ${shortId}: ${response.template}`,
        ),
      ].join('\n'),
    );
  } else {
    sections.push('Set cannedResponse to null.');
  }
  if (input.terms.length > 0) {
    sections.push(
      `Glossary:\n${input.terms.map((term) => `- ${term.name}${term.synonyms.length > 0 ? ` (also: ${term.synonyms.join(', ')})` : ''}: ${term.description}`).join('\n')}`,
    );
  }
  return [
    { role: 'system', content: sections.join('\n\n') },
    {
      role: 'user',
      content: `Conversation so far (the last line is the latest message):\n${formatTranscript(input.conversation)}`,
    },
  ];
}
