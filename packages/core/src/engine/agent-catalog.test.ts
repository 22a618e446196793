import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../definition/define-agent';
import { syncAgent } from '../definition/sync-agent';
import { createPgliteStore, type PgliteStore } from '../pglite/create-pglite-store';
import type { Embedder } from '../ports/embedder';
import { createOfflineEmbedder } from '../retrieval/offline-embedder';
import { tool } from '../tools/tool';
import {
  type AgentCatalog,
  cannedIntentKey,
  createAgentCatalogCache,
  guidelineOfIntent,
} from './agent-catalog';

const lookupBooking = tool({
  name: 'lookup_booking',
  description: 'Finds a booking by its reference',
  parameters: z.object({ reference: z.string().regex(/^BS-\d{4}$/) }),
  handler: async ({ reference }) => ({ found: { reference } }),
});
const lookupAccount = tool({
  name: 'lookup_account',
  description: 'Finds a broadband account by its number',
  parameters: z.object({ account: z.string().regex(/^NW\d{6}$/) }),
  handler: async ({ account }) => ({ found: { account } }),
});

const clinic = defineAgent({
  name: 'Clinic',
  tools: [lookupBooking],
  guidelines: [
    { key: 'hello', condition: 'the customer greets', examples: ['hi there', 'good morning'] },
    {
      key: 'booking',
      condition: 'the customer asks about a booking',
      examples: ['check my booking BS-1042', 'is NW100001 my number?'],
      tools: ['lookup_booking'],
    },
  ],
  cannedResponses: [{ template: 'Hello! How can I help?' }, { template: 'Found it.' }],
});
const broadband = defineAgent({
  name: 'Broadband',
  tools: [lookupAccount],
  guidelines: [
    {
      key: 'account',
      condition: 'the customer asks about their account',
      examples: ['check account NW100002'],
      tools: ['lookup_account'],
    },
  ],
});

let store: PgliteStore;
let catalog: AgentCatalog;
const embedded: string[] = [];

beforeAll(async () => {
  store = await createPgliteStore();
  const { agent } = await syncAgent(store, 'workspace-1', clinic);
  await syncAgent(store, 'workspace-1', broadband);
  const semantic: Embedder = {
    id: 'recording',
    dimensions: 2,
    embed: async (texts) => {
      embedded.push(...texts);
      return texts.map((text) => new Float32Array([text.length, 1]));
    },
  };
  const cache = createAgentCatalogCache({
    embedder: createOfflineEmbedder(),
    semantic: { embedder: semantic, weight: 0.5 },
    acceptance: { minimum: 0.2, margin: 0.04 },
  });
  catalog = await cache.get(store.forWorkspace('workspace-1'), agent.id);
});
afterAll(async () => {
  await store?.close();
});

describe('the agent catalog', () => {
  it("reads texts by meaning without the identifiers of this agent's tools, not another agent's", () => {
    expect(embedded).toContain('check my booking');
    expect(embedded.some((text) => text.includes('BS-1042'))).toBe(false);
    // The broadband agent's account numbers are words like any other to the clinic.
    expect(embedded.some((text) => text.includes('NW100001'))).toBe(true);
  });

  it('knows which guidelines are small talk, and which guideline an intent key names', () => {
    const hello = [...catalog.guidelines.values()].find((guideline) => guideline.key === 'hello');
    const booking = [...catalog.guidelines.values()].find(
      (guideline) => guideline.key === 'booking',
    );
    if (!hello || !booking) throw new Error('the guidelines were not synced');
    expect(catalog.smallTalkIntents.get(cannedIntentKey({ guidelineId: hello.id }))).toBe(
      'greeting',
    );
    expect(catalog.smallTalkIntents.has(cannedIntentKey({ guidelineId: booking.id }))).toBe(false);
    expect(guidelineOfIntent(catalog, cannedIntentKey({ guidelineId: booking.id }))).toBe(
      booking.id,
    );
    expect(guidelineOfIntent(catalog, cannedIntentKey({ guidelineId: 'gone' }))).toBeUndefined();
    expect(
      guidelineOfIntent(catalog, cannedIntentKey({ journeyId: booking.id, stateKey: 'ask' })),
    ).toBeUndefined();
  });
});
