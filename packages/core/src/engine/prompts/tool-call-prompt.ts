import { z } from 'zod';
import type { ChatMessage } from '../../ports/chat-model';
import type { ToolDefinition } from '../../tools/tool';
import { type ConversationLine, formatTranscript } from './conversation-lines';

/**
 * What the tool-call proposal answers: for each tool it was offered, whether to call it now,
 * the arguments (as a JSON object written in a string, since each tool has its own shape and
 * strict structured output needs one fixed schema), and the required arguments the
 * conversation does not give.
 */
export const toolCallProposalSchema = z.object({
  calls: z.array(
    z.object({
      tool: z.string(),
      call: z.boolean(),
      arguments: z.string(),
      missingArguments: z.array(z.string()),
    }),
  ),
});
export type ToolCallProposal = z.infer<typeof toolCallProposalSchema>;

/** The messages of the tool-call proposal. */
export function buildToolCallMessages(input: {
  conversation: readonly ConversationLine[];
  tools: readonly ToolDefinition[];
  reasons: ReadonlyMap<string, string>;
}): ChatMessage[] {
  const toolList = input.tools
    .map(
      (tool) =>
        `- ${tool.name}: ${tool.description}${input.reasons.get(tool.name) ? ` (relevant because: ${input.reasons.get(tool.name)})` : ''}\n  arguments (JSON Schema): ${JSON.stringify(tool.jsonSchema)}`,
    )
    .join('\n');
  return [
    {
      role: 'system',
      content: [
        'Decide which of these tools the support agent should call now to answer the customer, and with which arguments.',
        'For each tool: call=true only if it helps answer the latest message; arguments is a JSON object matching its schema, using only values stated in the conversation; missingArguments lists required arguments the conversation does not provide (then call=false). Never guess values.',
        `Tools:\n${toolList}`,
      ].join('\n\n'),
    },
    { role: 'user', content: `Conversation so far:\n${formatTranscript(input.conversation)}` },
  ];
}
