import type { BusListener, BusMessage, BusResync } from '../../ports/event-bus';

/** A `message-delta` of `sessionId`: the message the bus tests publish. */
export function delta(sessionId: string, text: string): BusMessage {
  return {
    type: 'message-delta',
    workspaceId: 'workspace-test',
    sessionId,
    traceId: 'trace-test',
    messageId: 'message-test',
    seq: 0,
    text,
  };
}

/** Records what a listener receives; `waitFor` resolves once a message matches. */
export function createInbox() {
  const messages: Array<BusMessage | BusResync> = [];
  let wake = () => {};
  const listener: BusListener = (message) => {
    messages.push(message);
    wake();
  };
  async function waitFor(matches: (message: BusMessage | BusResync) => boolean): Promise<void> {
    // Bounded by the test's own timeout; each delivery wakes this loop to look again.
    while (!messages.some(matches)) {
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  }
  return { messages, listener, waitFor };
}
