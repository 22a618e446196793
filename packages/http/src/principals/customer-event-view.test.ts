import type { ParleyEvent } from '@parley/core';
import { describe, expect, it } from 'vitest';
import { toCustomerWireEvent, wireEventViewFor } from './customer-event-view';

const operatorMessage: ParleyEvent = {
  id: 'event-1',
  workspaceId: 'workspace-1',
  sessionId: 'session-1',
  offset: 3,
  kind: 'message',
  source: 'human_agent',
  traceId: 'trace-1',
  createdAt: new Date('2026-12-02T10:00:00Z'),
  data: { text: 'I am taking over.', participantName: 'Grace Hopper', participantId: 'user-grace' },
} as ParleyEvent;

describe('the customer view of an operator message', () => {
  it("shows the operator's name but not their user id in the host", () => {
    expect(toCustomerWireEvent(operatorMessage).data).toEqual({
      text: 'I am taking over.',
      participantName: 'Grace Hopper',
    });
  });

  it('leaves the user id to operators', () => {
    const operator = { kind: 'operator', userId: 'user-ada', email: null, name: null } as const;
    expect(wireEventViewFor(operator)(operatorMessage).data).toMatchObject({
      participantId: 'user-grace',
    });
  });
});
