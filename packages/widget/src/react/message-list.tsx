import { memo, useLayoutEffect, useRef } from 'react';
import type { ChatItem } from '../client/chat-state';
import { MessageBubble } from './message-bubble';
import { useParleyContext } from './parley-context';
import { ToolCallCard } from './tool-call-card';
import type { EarlierHistory } from './use-earlier-history';

/** Properties of {@link MessageList}. */
export interface MessageListProps {
  /** The live window, oldest first. */
  items: ChatItem[];
  /** Pages read before the live window, and the control that reads more. */
  earlier: EarlierHistory;
  agentName: string;
  /** The stored history has been read: an empty list is really empty. */
  historyLoaded: boolean;
}

/** Within this many pixels of the bottom, the list follows new text as it arrives. */
const followThreshold = 48;

/**
 * The conversation, oldest first, with a "show earlier messages" control on top. It is a
 * `role="log"`, but not itself a live region (`aria-live="off"`): a screen reader would read
 * every streamed token; the chat's live region announces completed replies instead. Each row
 * is memoized and keyed by the item's id, so a token re-renders only the streaming row.
 */
export const MessageList = memo(function MessageList({
  items,
  earlier,
  agentName,
  historyLoaded,
}: MessageListProps) {
  const { strings } = useParleyContext();
  const listRef = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const previousHeight = useRef(0);
  const previousEarlierCount = useRef(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs after each change of the items, which it measures through the DOM
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    if (earlier.items.length !== previousEarlierCount.current) {
      // Older messages were put above: keep what the reader was looking at in place.
      list.scrollTop += list.scrollHeight - previousHeight.current;
    } else if (following.current) {
      list.scrollTop = list.scrollHeight;
    }
    previousHeight.current = list.scrollHeight;
    previousEarlierCount.current = earlier.items.length;
  }, [items, earlier.items]);

  // The list shrinks when the header grows (the agent's description arrives) or a phone's
  // keyboard opens: a reader at the bottom stays at the bottom.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (following.current) list.scrollTop = list.scrollHeight;
    });
    observer.observe(list);
    return () => observer.disconnect();
  }, []);

  const empty = historyLoaded && items.length === 0 && earlier.items.length === 0;
  return (
    <div
      ref={listRef}
      className="parley-log"
      role="log"
      aria-live="off"
      aria-label={strings.conversationLabel}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take the focus so the keyboard can scroll it
      tabIndex={0}
      onScroll={(event) => {
        const list = event.currentTarget;
        following.current =
          list.scrollHeight - list.scrollTop - list.clientHeight <= followThreshold;
      }}
    >
      {earlier.hasMore && (
        <button
          type="button"
          className="parley-button parley-earlier"
          onClick={earlier.loadMore}
          disabled={earlier.isLoading}
        >
          {earlier.isLoading ? strings.loadingEarlier : strings.showEarlier}
        </button>
      )}
      {earlier.failed && <p className="parley-earlier-error">{strings.earlierFailed}</p>}
      {earlier.items.map((item) => (
        <TimelineRow key={item.id} item={item} agentName={agentName} />
      ))}
      {items.map((item) => (
        <TimelineRow key={item.id} item={item} agentName={agentName} />
      ))}
      {empty && <p className="parley-empty">{strings.emptyConversation}</p>}
    </div>
  );
});

const TimelineRow = memo(function TimelineRow({
  item,
  agentName,
}: {
  item: ChatItem;
  agentName: string;
}) {
  return item.type === 'message' ? (
    <MessageBubble message={item} agentName={agentName} />
  ) : (
    <ToolCallCard toolCall={item} />
  );
});
