import type { BusListener, BusMessage, BusResync, Unsubscribe } from '../ports/event-bus';

/** The listeners of each session: the bookkeeping every event bus shares. */
export interface SessionListeners {
  /** Adds a listener; the same function added twice is two independent subscriptions. */
  add(sessionId: string, listener: BusListener): Unsubscribe;
  /** Adds a listener of every session. */
  addForAll(listener: BusListener): Unsubscribe;
  /** Hands a message to every listener of its session; a throwing listener never stops the rest. */
  deliver(sessionId: string, message: BusMessage | BusResync): void;
  /** Tells every listener of all sessions that messages may have been missed. */
  resyncAll(): void;
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
  const listenersOfAll = new Set<BusListener>();
  const call = (listener: BusListener, message: BusMessage | BusResync) => {
    try {
      listener(message);
    } catch (error) {
      onListenerError(error);
    }
  };
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
    addForAll(listener) {
      const entry: BusListener = (message) => listener(message);
      listenersOfAll.add(entry);
      return async () => {
        listenersOfAll.delete(entry);
      };
    },
    deliver(sessionId, message) {
      // Copies, so a listener that unsubscribes while being called does not skip another.
      for (const listener of [...(listenersBySession.get(sessionId) ?? [])])
        call(listener, message);
      for (const listener of [...listenersOfAll]) call(listener, message);
    },
    resyncAll() {
      for (const sessionId of [...listenersBySession.keys()]) {
        for (const listener of [...(listenersBySession.get(sessionId) ?? [])]) {
          call(listener, { type: 'bus-resync', sessionId });
        }
      }
      for (const listener of [...listenersOfAll])
        call(listener, { type: 'bus-resync', sessionId: '*' });
    },
    isEmpty: () => listenersBySession.size === 0 && listenersOfAll.size === 0,
    clear: () => {
      listenersBySession.clear();
      listenersOfAll.clear();
    },
  };
}
