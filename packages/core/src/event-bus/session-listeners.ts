import type { BusListener, BusMessage, BusResync, Unsubscribe } from '../ports/event-bus';

/** The listeners of each session: the bookkeeping every event bus shares. */
export interface SessionListeners {
  /** Adds a listener; the same function added twice is two independent subscriptions. */
  add(sessionId: string, listener: BusListener): Unsubscribe;
  /** Hands a message to every listener of its session; a throwing listener never stops the rest. */
  deliver(sessionId: string, message: BusMessage | BusResync): void;
  /** Sessions with at least one listener. */
  sessionIds(): string[];
  /** Whether anyone listens at all. */
  isEmpty(): boolean;
  /** Drops every listener. */
  clear(): void;
}

/** Creates the registry; `onListenerError` receives what a listener throws. */
export function createSessionListeners(
  onListenerError: (error: unknown) => void,
): SessionListeners {
  const listenersBySession = new Map<string, Set<BusListener>>();
  return {
    add(sessionId, listener) {
      let listeners = listenersBySession.get(sessionId);
      if (!listeners) {
        listeners = new Set();
        listenersBySession.set(sessionId, listeners);
      }
      const entry: BusListener = (message) => listener(message);
      listeners.add(entry);
      return async () => {
        const current = listenersBySession.get(sessionId);
        current?.delete(entry);
        if (current?.size === 0) listenersBySession.delete(sessionId);
      };
    },
    deliver(sessionId, message) {
      // A copy, so a listener that unsubscribes while being called does not skip another.
      for (const listener of [...(listenersBySession.get(sessionId) ?? [])]) {
        try {
          listener(message);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    sessionIds: () => [...listenersBySession.keys()],
    isEmpty: () => listenersBySession.size === 0,
    clear: () => listenersBySession.clear(),
  };
}
