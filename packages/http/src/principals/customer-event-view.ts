import type { ParleyEvent } from '@parley/core';
import { toWireEvent, type WireEvent } from '@parley/core/protocol';
import type { RequestPrincipal } from './principal';

/** What a customer is told when their turn failed, whatever the cause inside. */
const customerErrorMessages: Record<string, string> = {
  cancelled: 'The reply was cancelled.',
  rate_limited: 'The assistant is busy right now. Please try again in a moment.',
};
const defaultCustomerErrorMessage = 'The assistant could not reply. Please try again.';

/**
 * An event as a customer may see it. Operators see everything; a customer (a widget
 * visitor) sees messages (without the operator's user id) and custom events whole, but only
 * the outward shape of the rest:
 * a turn's status and stage without the explanation (which guidelines matched and why), a
 * failure's code and whether to retry with a plain message instead of the internal one, and
 * which tools ran without their arguments, results or error text.
 */
export function toCustomerWireEvent(event: ParleyEvent): WireEvent {
  const wire = toWireEvent(event);
  if (wire.kind === 'status') {
    const { explanation: _explanation, error, ...status } = wire.data;
    return {
      ...wire,
      data: error
        ? {
            ...status,
            error: {
              code: error.code,
              message: customerErrorMessages[error.code] ?? defaultCustomerErrorMessage,
              retryable: error.retryable,
            },
          }
        : status,
    };
  }
  if (wire.kind === 'tool') {
    return {
      ...wire,
      data: { calls: wire.data.calls.map((call) => ({ toolName: call.toolName, arguments: {} })) },
    };
  }
  if (wire.kind === 'message' && wire.data.participantId !== undefined) {
    // Which of the host's users answered is the host's business, not the customer's.
    const { participantId: _participantId, ...message } = wire.data;
    return { ...wire, data: message };
  }
  return wire;
}

/**
 * The view of events that fits who is asking: operators see everything; customers, and the
 * host backends that act for them with a secret key, see the customer's view.
 */
export function wireEventViewFor(
  principal: RequestPrincipal | null,
): (event: ParleyEvent) => WireEvent {
  return principal?.kind === 'operator' ? toWireEvent : toCustomerWireEvent;
}
