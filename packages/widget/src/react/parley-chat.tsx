import { useId } from 'react';
import { ChatPanel } from './chat-panel';
import { ParleyFrame, type ParleyViewProps } from './parley-frame';

/** Properties of {@link ParleyChat}. */
export type ParleyChatProps = ParleyViewProps;

/**
 * The chat inline, filling the box the page gives it (give it a height): the conversation,
 * the composer, status, errors with retry, suggested replies, and a live region for screen
 * readers.
 *
 * ```tsx
 * const client = createChatClient({ transport: createHttpTransport({ endpoint }), session: { agentKey } });
 * <div style={{ height: 600 }}><ParleyChat client={client} theme="dark" /></div>
 * ```
 */
export function ParleyChat(props: ParleyChatProps) {
  const titleId = useId();
  return (
    <ParleyFrame {...props} rootClassName="parley-chat" role="region" aria-labelledby={titleId}>
      <ChatPanel titleId={titleId} />
    </ParleyFrame>
  );
}
