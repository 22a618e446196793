import type { ParleyEvent } from '../../domain/event';

/** One line of a conversation as prompts show it. */
export interface ConversationLine {
  speaker: 'customer' | 'agent' | 'human_agent';
  text: string;
}

/**
 * The messages of a history window as lines; tool events become short agent notes so the
 * model knows what was already looked up.
 */
export function toConversationLines(events: readonly ParleyEvent[]): ConversationLine[] {
  const lines: ConversationLine[] = [];
  for (const event of events) {
    if (event.kind === 'message') {
      const speaker =
        event.source === 'customer'
          ? 'customer'
          : event.source === 'human_agent'
            ? 'human_agent'
            : 'agent';
      lines.push({ speaker, text: event.data.text });
    } else if (event.kind === 'tool') {
      for (const call of event.data.calls) {
        const outcome = call.error
          ? `failed (${call.error.code})`
          : JSON.stringify(call.result ?? null);
        lines.push({
          speaker: 'agent',
          text: `[called ${call.toolName}(${JSON.stringify(call.arguments)}) → ${outcome}]`,
        });
      }
    }
  }
  return lines;
}

/** The lines as a transcript, one per line, newest last. */
export function formatTranscript(lines: readonly ConversationLine[]): string {
  const label = { customer: 'Customer', agent: 'Agent', human_agent: 'Agent (human)' } as const;
  return lines.map((line) => `${label[line.speaker]}: ${line.text}`).join('\n');
}
