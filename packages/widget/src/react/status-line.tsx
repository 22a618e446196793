import { memo } from 'react';
import type { ChatTurn, ConnectionState } from '../client/chat-state';
import { useParleyContext } from './parley-context';
import { statusWords } from './status-words';

/** Properties of {@link StatusLine}. */
export interface StatusLineProps {
  status: ChatTurn['status'];
  stage: string | null;
  connection: ConnectionState;
}

/**
 * One line under the conversation: "Message received", "Looking that up…", "Typing…", or the
 * connection's trouble. Not a live region itself: the chat's live region announces changes.
 */
export const StatusLine = memo(function StatusLine({ status, stage, connection }: StatusLineProps) {
  const { strings } = useParleyContext();
  return (
    <div className="parley-status" data-status={status} data-connection={connection}>
      {statusWords({ status, stage }, connection, strings)}
    </div>
  );
});
