/**
 * A tour of what Parley stores, on the embedded database (PGlite in `PARLEY_DATA_DIR`, default
 * `.parley-data/`) or on PostgreSQL when `DATABASE_URL` is set. Run it twice: the conversation
 * of the first run is still there in the second. The quickstart server replaces this tour
 * once the HTTP layer lands.
 */
import path from 'node:path';
import { createInMemoryEventBus, type Store } from '@parley/core';
import { createPgliteStore } from '@parley/core/pglite';
import { createPostgresStore } from '@parley/core/postgres';

const workspaceId = 'tour-workspace';

async function openStore(): Promise<{ store: Store; where: string }> {
  if (process.env.DATABASE_URL) {
    return {
      store: await createPostgresStore({ connectionString: process.env.DATABASE_URL }),
      where: 'PostgreSQL (DATABASE_URL)',
    };
  }
  const dataDir = path.resolve(process.env.PARLEY_DATA_DIR ?? '.parley-data');
  return { store: await createPgliteStore({ dataDir }), where: `PGlite in ${dataDir}` };
}

/** The sample agent, created once and found again on later runs. */
async function findOrCreateAgent(store: Store) {
  const workspace = store.forWorkspace(workspaceId);
  const existing = (await workspace.agents.list()).items.find((agent) => agent.name === 'Support');
  if (existing) return existing;
  const agent = await workspace.agents.create({
    name: 'Support',
    description: 'Answers questions about orders',
  });
  const refunds = await workspace.guidelines.create({
    agentId: agent.id,
    key: 'refunds',
    condition: 'the customer asks for a refund',
    action: 'explain the 30-day refund policy and offer to start one',
    examples: ['can I get my money back?'],
  });
  const lookup = await workspace.tools.create({
    name: 'lookup_order',
    description: 'Finds an order by its number',
    parameters: {
      type: 'object',
      properties: { orderNumber: { type: 'string' } },
      required: ['orderNumber'],
    },
  });
  await workspace.agents.attachTool(agent.id, lookup.id);
  await workspace.journeys.create({
    agentId: agent.id,
    key: 'track_order',
    title: 'Track an order',
    conditions: ['the customer wants to know where their order is'],
    initialState: 'ask_number',
    states: [
      { key: 'ask_number', kind: 'chat', action: 'Ask for the order number' },
      { key: 'lookup', kind: 'tool', toolId: lookup.id },
      { key: 'tell', kind: 'chat', action: 'Tell the customer where the order is' },
      { key: 'done', kind: 'end' },
    ],
    transitions: [
      { from: 'ask_number', to: 'lookup', condition: 'the customer gave an order number' },
      { from: 'lookup', to: 'tell' },
      { from: 'tell', to: 'done' },
    ],
    guidelineIds: [refunds.id],
  });
  await workspace.terms.create({
    agentId: agent.id,
    name: 'RMA',
    description: 'A return authorization number',
  });
  await workspace.cannedResponses.create({
    agentId: agent.id,
    template: 'Your order {{orderNumber}} is {{status}}.',
  });
  return agent;
}

const { store, where } = await openStore();
const bus = createInMemoryEventBus();
try {
  const workspace = store.forWorkspace(workspaceId);
  const agent = await findOrCreateAgent(store);
  const session = await workspace.sessions.create({
    agentId: agent.id,
    title: `Visit at ${new Date().toISOString()}`,
  });
  await bus.subscribe(session.id, (message) => {
    if (message.type === 'events-appended')
      console.log(`  (bus) session has events up to offset ${message.lastOffset}`);
  });
  const appended = await workspace.events.append(session.id, [
    {
      kind: 'message',
      source: 'customer',
      data: { text: 'Where is my order?', clientMessageId: 'tour-1' },
    },
    { kind: 'status', source: 'ai_agent', data: { status: 'acknowledged' } },
  ]);
  await bus.publish({
    type: 'events-appended',
    workspaceId,
    sessionId: session.id,
    lastOffset: appended.at(-1)?.offset ?? -1,
  });

  const sessions = await workspace.sessions.list({ agentId: agent.id, limit: 200 });
  const journeys = await workspace.journeys.list({ agentId: agent.id });
  console.log(`Parley store tour on ${where}`);
  console.log(
    `Agent "${agent.name}" with ${(await workspace.guidelines.listAll(agent.id)).length} guideline(s), journey "${journeys.items[0]?.title}" of ${journeys.items[0]?.states.length} states`,
  );
  console.log(`This run's session ${session.id}:`);
  for (const event of await workspace.events.list(session.id)) {
    console.log(
      `  #${event.offset} ${event.kind} from ${event.source}: ${JSON.stringify(event.data)}`,
    );
  }
  const found = await workspace.events.search({ query: 'order', agentId: agent.id });
  console.log(
    `${sessions.items.length} session(s) so far; full-text search for "order" finds ${found.length} message(s).`,
  );
  console.log('Run it again: the earlier conversations are still there.');
} finally {
  await bus.close();
  await store.close();
}
