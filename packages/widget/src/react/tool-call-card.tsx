import { memo } from 'react';
import type { ChatToolCall } from '../client/chat-state';
import { useParleyContext } from './parley-context';
import { formatString } from './strings';

/** A tool the agent ran, as a small card with its name (never its arguments or result). */
export const ToolCallCard = memo(function ToolCallCard({ toolCall }: { toolCall: ChatToolCall }) {
  const { strings } = useParleyContext();
  return (
    <div className="parley-tool" data-tool-name={toolCall.toolName}>
      {formatString(strings.toolCall, { tool: toolCall.toolName })}
    </div>
  );
});
