import type { BusListener, BusMessage, EventBus, Unsubscribe } from '../ports/event-bus';

/**
 * The in-process {@link EventBus}: enough when one process serves every conversation
 * (the PGlite default). Delivery is synchronous with `publish`, in subscription order.
 */
export function createInMemoryEventBus(): EventBus {
  const listenersBySession = new Map<string, Set<BusListener>>();
  let closed = false;

  return {
    async publish(message: BusMessage) {
      if (closed) return;
      for (const listener of [...(listenersBySession.get(message.sessionId) ?? [])]) {
        try {
          listener(message);
        } catch {
          // A listener's failure must not keep the message from the others.
        }
      }
    },
    async subscribe(sessionId: string, listener: BusListener): Promise<Unsubscribe> {
      let listeners = listenersBySession.get(sessionId);
      if (!listeners) {
        listeners = new Set();
        listenersBySession.set(sessionId, listeners);
      }
      // Wrap so the same function subscribed twice gets two independent subscriptions.
      const entry: BusListener = (message) => listener(message);
      listeners.add(entry);
      return async () => {
        const current = listenersBySession.get(sessionId);
        current?.delete(entry);
        if (current?.size === 0) listenersBySession.delete(sessionId);
      };
    },
    async close() {
      closed = true;
      listenersBySession.clear();
    },
  };
}
