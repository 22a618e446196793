import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type { ChatClient } from '../client/chat-client';
import type { ChatState } from '../client/chat-state';

/** What the chat's components call; each forwards to the {@link ChatClient}. */
export interface ParleyChatActions {
  /** Sends a customer message (it shows at once, then as sent or failed). */
  send(text: string): void;
  /** Resends a failed message, or (without an id) runs the failed reply again. */
  retry(messageId?: string): void;
  /** Stops the reply being written. */
  cancel(): void;
  /** Rates an agent reply by its message id. */
  sendFeedback(messageId: string, rating: 'up' | 'down'): void;
  /** The replies have been seen: the unread count goes back to 0. */
  markRead(): void;
}

/** The chat's state and the actions on it, as {@link useParleyChat} returns them. */
export interface ParleyChatController extends ParleyChatActions {
  state: ChatState;
}

/**
 * Reads a {@link ChatClient} from React: the component re-renders when the client's state
 * changes (through `useSyncExternalStore`, so a render never sees a torn state). The actions
 * keep their identity as long as the client does, so memoized children that take them do
 * not re-render on every streamed token.
 */
export function useParleyChat(client: ChatClient): ParleyChatController {
  const subscribe = useCallback((listener: () => void) => client.subscribe(listener), [client]);
  const getState = useCallback(() => client.getState(), [client]);
  const state = useSyncExternalStore(subscribe, getState, getState);
  const actions = useParleyActions(client);
  return useMemo(() => ({ state, ...actions }), [state, actions]);
}

/** The actions on a client, stable for the client's life (see {@link ParleyChatActions}). */
export function useParleyActions(client: ChatClient): ParleyChatActions {
  return useMemo(
    () => ({
      send: (text) => ignoreRejection(client.send(text)),
      retry: (messageId) => ignoreRejection(client.retry(messageId)),
      cancel: () => ignoreRejection(client.cancel()),
      sendFeedback: (messageId, rating) => ignoreRejection(client.sendFeedback(messageId, rating)),
      markRead: () => client.markRead(),
    }),
    [client],
  );
}

/**
 * The client reports every failure in its state (a failed message, the turn's error, the
 * connection), which the components render; a rejected promise from a button's click has
 * nowhere else to go and must not surface as an unhandled rejection.
 */
function ignoreRejection(promise: Promise<unknown>): void {
  promise.catch(() => {});
}
