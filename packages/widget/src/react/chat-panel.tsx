import type { ReactNode } from 'react';
import type { ChatState } from '../client/chat-state';
import { Composer } from './composer';
import { ErrorNotice } from './error-notice';
import { LiveRegion } from './live-region';
import { MessageList } from './message-list';
import { useParleyContext } from './parley-context';
import { StatusLine } from './status-line';
import { SuggestedReplies } from './suggested-replies';
import { useAgentProfile } from './use-agent-profile';
import { useEarlierHistory } from './use-earlier-history';
import { useParleyChat } from './use-parley-chat';

/** Properties of {@link ChatPanel}. */
export interface ChatPanelProps {
  /** The id of the title, for the panel's `aria-labelledby`. */
  titleId: string;
  /** Shown at the end of the header (the launcher's close button). */
  headerEnd?: ReactNode;
}

const replyingStatuses: ReadonlySet<ChatState['turn']['status']> = new Set([
  'acknowledged',
  'processing',
  'typing',
]);

/**
 * The inside of a chat, shared by `<ParleyChat>` and the launcher's panel: header with the
 * agent's name, the conversation, the status line, errors with retry, suggested replies, the
 * composer and the live region.
 */
export function ChatPanel({ titleId, headerEnd }: ChatPanelProps) {
  const { client, strings } = useParleyContext();
  const { state } = useParleyChat(client);
  const profile = useAgentProfile(client);
  const earlier = useEarlierHistory(client);
  const agentName = profile.data?.name ?? strings.agentAuthor;
  // Nothing can be sent: offline, disposed, or a chat that cannot work on this site.
  const offline =
    state.connection === 'offline' ||
    state.connection === 'closed' ||
    state.connection === 'unavailable';
  const replying =
    replyingStatuses.has(state.turn.status) ||
    state.items.some((item) => item.type === 'message' && item.delivery === 'streaming');

  return (
    <>
      <div className="parley-header">
        <div className="parley-title-block">
          <h2 id={titleId} className="parley-title">
            {profile.data?.name ?? strings.chatTitle}
          </h2>
          {profile.data?.description && (
            <p className="parley-description">{profile.data.description}</p>
          )}
        </div>
        {headerEnd}
      </div>
      <MessageList
        items={state.items}
        earlier={earlier}
        agentName={agentName}
        historyLoaded={state.historyLoaded}
      />
      <StatusLine
        status={state.turn.status}
        stage={state.turn.stage}
        connection={state.connection}
      />
      <ErrorNotice
        turnError={state.turn.status === 'error' ? state.turn.error : null}
        chatError={state.error}
      />
      <SuggestedReplies replies={state.suggestedReplies} disabled={offline} />
      <Composer disabled={offline} replying={replying} />
      <LiveRegion state={state} agentName={agentName} />
    </>
  );
}
