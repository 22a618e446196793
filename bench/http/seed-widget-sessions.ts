import type { Store } from '@parley/core';
import { createCustomerTokens } from '@parley/http';
import { mapConcurrently, type WidgetSession } from './widget-session';

/** Whose sessions to seed: the agent and key a bench server made, and the server's secret. */
export interface WidgetSessionOwner {
  workspaceId: string;
  agentId: string;
  agentKeyId: string;
  customerTokenSecret: string;
}

/**
 * Creates `count` widget sessions straight in the store — a customer and a session in one
 * transaction, and a customer token for each, exactly what `POST /v1/sessions` with an
 * agent key makes — so that the server whose memory is measured has done nothing else.
 */
export async function seedWidgetSessions(
  store: Store,
  owner: WidgetSessionOwner,
  count: number,
): Promise<WidgetSession[]> {
  const tokens = createCustomerTokens({ secret: owner.customerTokenSecret });
  return mapConcurrently(Array.from({ length: count }), 16, async () => {
    const { session, customer } = await store.transaction(async (transaction) => {
      const scoped = transaction.forWorkspace(owner.workspaceId);
      const created = await scoped.customers.create({ name: null });
      return {
        customer: created,
        session: await scoped.sessions.create({ agentId: owner.agentId, customerId: created.id }),
      };
    });
    const { token } = await tokens.issue({
      workspaceId: owner.workspaceId,
      agentId: owner.agentId,
      sessionId: session.id,
      customerId: customer.id,
      agentKeyId: owner.agentKeyId,
    });
    return { sessionId: session.id, customerToken: token };
  });
}
