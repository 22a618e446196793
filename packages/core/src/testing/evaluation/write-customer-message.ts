import { z } from 'zod';
import { maximumMessageLength } from '../../domain/event';
import type { ChatModel } from '../../ports/chat-model';
import type { SimulatedCustomer } from './evaluation-scenario';
import { formatTranscriptLines, type TranscriptLine } from './judge-criterion';

/** The simulated customer's next move: a message to send, or `done` to end the conversation. */
export interface CustomerMove {
  /** What the customer writes next; ignored when `done`. */
  message: string;
  /** True when the goal is reached, or the customer gives up: nothing more is sent. */
  done: boolean;
}

/** The customer model's answer; every property required, for strict Structured Outputs. */
export const customerMoveSchema = z.object({
  message: z.string().max(maximumMessageLength),
  done: z.boolean(),
});

/** What {@link writeCustomerMessage} writes from. */
export interface WriteCustomerMessageInput {
  customer: Pick<SimulatedCustomer, 'goal' | 'persona'>;
  /** The conversation so far, oldest first; empty for the first message. */
  transcript: readonly TranscriptLine[];
}

/**
 * Asks the customer model for the simulated customer's next message, through the `ChatModel`
 * port (`generateObject`, schema `simulated_customer_message`, temperature 0). Like the judge's,
 * the prompt holds only the goal, the persona and the transcript, so a conversation that goes
 * the same way makes the same requests and replays from a cassette.
 */
export async function writeCustomerMessage(
  model: ChatModel,
  input: WriteCustomerMessageInput,
): Promise<CustomerMove> {
  const { goal, persona } = input.customer;
  const system = [
    "You play a customer writing to a company's support chat. You are not an assistant: write",
    'only what this customer would type, one short chat message at a time, in the first person.',
    `Your goal: ${goal}`,
    `Who you are: ${persona ?? 'a polite customer who writes short, plain messages'}`,
    'Reveal details only when they are asked for or needed. When your goal is reached, or it is',
    'clear the agent cannot help, answer with "done": true (and an empty "message"); otherwise',
    '"done": false and your next "message".',
  ].join('\n');
  const { object } = await model.generateObject({
    purpose: 'simulated_customer',
    schemaName: 'simulated_customer_message',
    schema: customerMoveSchema,
    temperature: 0,
    messages: [
      { role: 'system', content: system },
      {
        role: 'user',
        content: `The conversation so far:\n${formatTranscriptLines(input.transcript)}\n\nWrite your next move.`,
      },
    ],
  });
  return { message: object.message.trim(), done: object.done };
}
