import type { BusListener, BusMessage, EventBus, Unsubscribe } from '../ports/event-bus';
import { createSessionListeners } from './session-listeners';

/**
 * The in-process {@link EventBus}: enough when one process serves every conversation
 * (the PGlite default). Delivery is synchronous with `publish`, in subscription order.
 */
export function createInMemoryEventBus(): EventBus {
  // A listener's failure must not keep the message from the others; nothing to report to.
  const listeners = createSessionListeners(() => undefined);
  let closed = false;

  return {
    async publish(message: BusMessage) {
      if (!closed) listeners.deliver(message.sessionId, message);
    },
    async subscribe(sessionId: string, listener: BusListener): Promise<Unsubscribe> {
      return listeners.add(sessionId, listener);
    },
    async subscribeAll(listener: BusListener): Promise<Unsubscribe> {
      return listeners.addForAll(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
    },
    // In one process there is no connection to lose.
    connection: () => (closed ? 'closed' : 'listening'),
  };
}
