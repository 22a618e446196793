import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AgentDefinitionInput,
  type ChatModel,
  type Clock,
  createEngine,
  type Engine,
} from '@parley/core';
import { createPgliteStore, type PgliteStore } from '@parley/core/pglite';
import { toWireEvent, type WireEvent } from '@parley/core/protocol';
import { createParleyHandler, type ParleyHandler, toNodeListener } from '@parley/http';

/**
 * A real Parley server for the chat client's tests: the `@parley/http` handler on a PGlite store,
 * served by `node:http` on a free port of 127.0.0.1, reached with the real `fetch`. One per test
 * file: a fresh PGlite costs seconds.
 */
export interface ChatServer {
  /** The handler's base URL, as a site passes it to `createHttpTransport`. */
  endpoint: string;
  engine: Engine;
  handler: ParleyHandler;
  /** Syncs an agent into its own workspace and issues it a publishable key. */
  addAgent(definition: AgentDefinitionInput): Promise<{ workspaceId: string; agentKey: string }>;
  /** The session's stored events, as the engine keeps them (operators' view). */
  storedEvents(workspaceId: string, sessionId: string): Promise<WireEvent[]>;
  /** Sessions of a workspace. */
  sessionCount(workspaceId: string): Promise<number>;
  /** Cuts every open connection (event streams included), as a network failure would. */
  dropConnections(): void;
  close(): Promise<void>;
}

/** What the {@link shopAgent} answers to an opening-hours question. */
export const openingHours = 'We are open from 9 to 17.';

/**
 * A shop agent for the chat client's tests, in canned-strict mode: no model needed, retrieval
 * picks its one reply, so turns are deterministic.
 */
export const shopAgent: AgentDefinitionInput = {
  name: 'Shop',
  compositionMode: 'canned_strict',
  guidelines: [
    {
      key: 'hours',
      condition: 'the customer asks about opening hours',
      action: 'give the opening hours',
      examples: ['when are you open'],
    },
  ],
  cannedResponses: [{ template: openingHours }],
};

const customerTokenSecret = 'customer-secret-for-widget-tests-0123456789';
const basePath = '/api/parley';

/** Starts a {@link ChatServer}; `model` writes replies, `clock` drives the tokens' lifetime. */
export async function startChatServer(
  options: { model?: ChatModel; clock?: Clock; customerTokenTtlSeconds?: number } = {},
): Promise<ChatServer> {
  const store: PgliteStore = await createPgliteStore();
  const engine = createEngine({ store, ...(options.model ? { model: options.model } : {}) });
  const handler = await createParleyHandler({
    engine,
    basePath,
    customerTokenSecret,
    rateLimit: false,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.customerTokenTtlSeconds
      ? { customerTokenTtlSeconds: options.customerTokenTtlSeconds }
      : {}),
  });
  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let agents = 0;
  return {
    endpoint: `http://127.0.0.1:${port}${basePath}`,
    engine,
    handler,
    async addAgent(definition) {
      agents += 1;
      const workspaceId = `widget-workspace-${agents}`;
      const report = await engine.sync(workspaceId, definition);
      const issued = await store
        .forWorkspace(workspaceId)
        .agentKeys.issue({ agentId: report.agent.id, name: 'Website' });
      return { workspaceId, agentKey: issued.secret };
    },
    async storedEvents(workspaceId, sessionId) {
      const events = await engine.forWorkspace(workspaceId).events.list(sessionId);
      return events.map(toWireEvent);
    },
    async sessionCount(workspaceId) {
      return (await store.forWorkspace(workspaceId).sessions.list({ limit: 200 })).items.length;
    },
    dropConnections() {
      server.closeAllConnections();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handler.close({ deadlineMs: 1000 });
      await store.close();
    },
  };
}
