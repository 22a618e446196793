import { z } from 'zod';
import type { ChatModel } from '../../ports/chat-model';

/** One line of an evaluated conversation, as the judge and the simulated customer read it. */
export interface TranscriptLine {
  speaker: 'customer' | 'agent';
  text: string;
}

/** What a judge model answers: a verdict and the reason for it, one or two sentences. */
export interface Judgement {
  passed: boolean;
  reason: string;
}

/**
 * The judge's answer, as the judge model writes it. Every property is required, so the OpenAI
 * adapter can ask for it in strict Structured Outputs mode.
 */
export const judgementSchema = z.object({
  passed: z.boolean(),
  reason: z.string().max(2000),
});

/** What {@link judgeCriterion} asks about. */
export interface JudgeCriterionInput {
  /** The conversation, oldest first; for a reply, it ends with that reply. */
  transcript: readonly TranscriptLine[];
  /** The statement to check, as the suite wrote it. */
  criterion: string;
  /**
   * `reply`: the criterion is about the agent's last message, in the light of what came
   * before; `conversation`: about the whole conversation (a simulated customer's success).
   */
  subject: 'reply' | 'conversation';
}

const instructions = `You are an impartial judge of conversations between a customer and a support agent.
You are given a transcript and one criterion. Decide whether the criterion holds, using only
what the transcript says: do not assume anything the agent did not write. Answer with JSON:
"passed" true or false, and "reason": one or two sentences naming what in the transcript
decided it.`;

/**
 * Asks the judge model whether one criterion holds, through the same `ChatModel` port the
 * engine uses (`generateObject`, schema `evaluation_judgement`, temperature 0). The prompt
 * holds only the transcript and the criterion (no ids, no times), so the same conversation
 * makes the same request: recorded once, it replays from a cassette.
 *
 * A failing judge model rejects with its own ParleyError (`model_failed`).
 */
export async function judgeCriterion(
  model: ChatModel,
  input: JudgeCriterionInput,
): Promise<Judgement> {
  const question =
    input.subject === 'reply'
      ? "Does the agent's last reply meet the criterion, given the conversation before it?"
      : 'Does the conversation as a whole meet the criterion?';
  const { object } = await model.generateObject({
    purpose: 'evaluation_judgement',
    schemaName: 'evaluation_judgement',
    schema: judgementSchema,
    temperature: 0,
    messages: [
      { role: 'system', content: instructions },
      {
        role: 'user',
        content: `Transcript:\n${formatTranscriptLines(input.transcript)}\n\nCriterion: ${input.criterion}\n\n${question}`,
      },
    ],
  });
  return { passed: object.passed, reason: object.reason.trim() };
}

/** The lines as `Customer: …` and `Agent: …`, one per line; `(no messages yet)` when empty. */
export function formatTranscriptLines(transcript: readonly TranscriptLine[]): string {
  if (transcript.length === 0) return '(no messages yet)';
  return transcript
    .map((line) => `${line.speaker === 'customer' ? 'Customer' : 'Agent'}: ${line.text}`)
    .join('\n');
}
