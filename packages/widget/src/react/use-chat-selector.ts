import { useCallback, useSyncExternalStore } from 'react';
import type { ChatClient } from '../client/chat-client';
import type { ChatState } from '../client/chat-state';

/**
 * One value read from a client's state: the component re-renders only when that value
 * changes (compared with `Object.is`), not on every streamed token. The selector must return
 * a primitive or a part of the state as it is, never a new object.
 */
export function useChatSelector<T>(client: ChatClient, select: (state: ChatState) => T): T {
  const subscribe = useCallback((listener: () => void) => client.subscribe(listener), [client]);
  const read = () => select(client.getState());
  return useSyncExternalStore(subscribe, read, read);
}
