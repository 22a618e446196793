import { useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { ChatClient } from '../client/chat-client';
import type { ChatItem } from '../client/chat-state';
import { useChatSelector } from './use-chat-selector';

/** How many stored events one "show earlier messages" click reads. */
export const historyPageSize = 50;

/** The pages of history read before the live window, as {@link useEarlierHistory} gives them. */
export interface EarlierHistory {
  /** Items older than the live window, oldest first. */
  items: ChatItem[];
  /** Whether older events remain to be read (the "show earlier messages" control shows). */
  hasMore: boolean;
  /** A page is being read. */
  isLoading: boolean;
  /** The last read failed (clicking again retries it). */
  failed: boolean;
  /** Reads the next older page. */
  loadMore(): void;
}

/**
 * Pages of history before the live window, read on demand through react-query's infinite
 * query: nothing is fetched until `loadMore()` is first called. Offsets are gapless per
 * session, so each page reads the `historyPageSize` events before the previous one. Needs a
 * `QueryClientProvider` above it, as {@link useAgentProfile} does.
 */
export function useEarlierHistory(client: ChatClient): EarlierHistory {
  const sessionId = useChatSelector(client, (state) => state.sessionId);
  const windowStartOffset = useChatSelector(client, (state) => state.windowStartOffset);
  const [requested, setRequested] = useState(false);
  const query = useInfiniteQuery({
    queryKey: ['parley', 'history', sessionId, windowStartOffset],
    queryFn: ({ pageParam }) =>
      client.loadHistoryPage({ beforeOffset: pageParam, limit: historyPageSize }),
    initialPageParam: windowStartOffset ?? 0,
    getNextPageParam: (lastPage, _allPages, lastPageParam) =>
      lastPage.hasMore && lastPageParam > 0
        ? Math.max(0, lastPageParam - historyPageSize)
        : undefined,
    enabled: requested && sessionId !== null && windowStartOffset !== null && windowStartOffset > 0,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  const { data, hasNextPage, isFetching, isError, fetchNextPage, refetch } = query;
  const items = useMemo(
    () => (data ? [...data.pages].reverse().flatMap((page) => page.items) : []),
    [data],
  );
  const loadMore = useCallback(() => {
    if (!requested) setRequested(true);
    else if (isError && !data) void refetch();
    else void fetchNextPage();
  }, [requested, isError, data, refetch, fetchNextPage]);
  const hasMore = data ? hasNextPage : windowStartOffset !== null && windowStartOffset > 0;
  // One object per change, so a memoized list skips the renders of streamed tokens.
  return useMemo(
    () => ({ items, hasMore, isLoading: isFetching, failed: isError, loadMore }),
    [items, hasMore, isFetching, isError, loadMore],
  );
}
