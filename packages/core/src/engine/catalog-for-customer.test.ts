import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAgent } from '../definition/define-agent';
import { syncAgent } from '../definition/sync-agent';
import { createPgliteStore, type PgliteStore } from '../pglite/create-pglite-store';
import { createOfflineEmbedder } from '../retrieval/offline-embedder';
import { type AgentCatalog, createAgentCatalogCache, intentItemId } from './agent-catalog';
import { catalogForCustomer, isForCustomer } from './catalog-for-customer';

const agent = defineAgent({
  name: 'Skyways',
  guidelines: [
    { key: 'refund', condition: 'the customer asks for a refund', examples: ['refund please'] },
    {
      key: 'lounge',
      condition: 'the customer asks about the lounge',
      examples: ['where is the lounge?'],
      customerTags: ['gold'],
    },
    { key: 'apologize', condition: 'something went wrong', customerTags: ['gold'] },
    { key: 'priority_boarding', condition: 'the customer asks to board first' },
  ],
  relationships: [
    // Towards a hidden guideline: gone, so it cannot bring the guideline in.
    { kind: 'entailment', source: 'refund', target: 'apologize' },
    // From a hidden guideline: gone with it.
    { kind: 'priority', source: 'lounge', target: 'refund' },
    // A dependency on a hidden guideline stays: unmet, its source does not apply.
    { kind: 'dependency', source: 'priority_boarding', target: 'lounge' },
  ],
  journeys: [
    {
      key: 'upgrade',
      title: 'Upgrade a seat',
      conditions: ['the customer wants a better seat'],
      initialState: 'ask',
      states: [
        { key: 'ask', kind: 'chat', action: 'Ask which seat' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [{ from: 'ask', to: 'done' }],
      customerTags: ['platinum'],
    },
  ],
  cannedResponses: [
    { template: 'Refunds take 5 days.' },
    { template: 'The lounge is by gate 12.' },
    { template: 'Which seat would you like: window or aisle?' },
  ],
});

let store: PgliteStore;
let catalog: AgentCatalog;
let keyOf: (id: string) => string | null;

beforeAll(async () => {
  store = await createPgliteStore();
  const { agent: stored } = await syncAgent(store, 'workspace-1', agent);
  const workspace = store.forWorkspace('workspace-1');
  const cache = createAgentCatalogCache({
    embedder: createOfflineEmbedder(),
    acceptance: { minimum: 0.2, margin: 0.04 },
  });
  catalog = await cache.get(workspace, stored.id);
  keyOf = (id) => catalog.guidelines.get(id)?.key ?? null;
});
afterAll(async () => {
  await store?.close();
});

describe('isForCustomer', () => {
  it('is true for records naming no tag, or one the customer carries', () => {
    expect(isForCustomer({ customerTags: [] }, [])).toBe(true);
    expect(isForCustomer({ customerTags: ['gold', 'platinum'] }, ['news', 'platinum'])).toBe(true);
    expect(isForCustomer({ customerTags: ['gold'] }, ['Gold'])).toBe(false);
    expect(isForCustomer({ customerTags: ['gold'] }, [])).toBe(false);
  });
});

describe('catalogForCustomer', () => {
  it('is the catalog itself when the customer may see everything', async () => {
    expect(await catalogForCustomer(catalog, ['gold', 'platinum'])).toBe(catalog);
  });

  it('hides what is scoped to tags the customer lacks: records, index hits, relationships, replies', async () => {
    const view = await catalogForCustomer(catalog, ['platinum']);
    expect([...view.guidelines.values()].map((guideline) => guideline.key).sort()).toEqual([
      'priority_boarding',
      'refund',
    ]);
    expect(view.journeys.size).toBe(1);
    expect(
      view.relationships.map(
        (relationship) =>
          `${relationship.kind}:${keyOf(relationship.sourceGuidelineId)}->${keyOf(relationship.targetGuidelineId)}`,
      ),
    ).toEqual(['dependency:priority_boarding->lounge']);
    const hits = await view.guidelineRetriever.search('where is the lounge?', 10);
    expect(hits.map((hit) => keyOf(hit.itemId))).not.toContain('lounge');
    expect(hits.length).toBeGreaterThan(0);
    expect(view.guidelineRetriever.size).toBe(catalog.guidelineRetriever.size - 2);
    expect(view.cannedResponses.map((response) => response.template)).toEqual([
      'Refunds take 5 days.',
      'Which seat would you like: window or aisle?',
    ]);
    const replies = await view.cannedResponseRetriever.search('the lounge by gate 12', 10);
    expect(replies.map((hit) => hit.itemId)).not.toContain(
      catalog.cannedResponses.find((response) => response.template.includes('lounge'))?.id,
    );
    // The original catalog, shared by every turn, is untouched.
    expect(catalog.guidelines.size).toBe(4);
    expect(catalog.relationships).toHaveLength(3);
  });

  it('hides a journey scoped to other tags, from its index and its replies', async () => {
    const view = await catalogForCustomer(catalog, []);
    expect(view.journeys.size).toBe(0);
    expect(view.guidelines.size).toBe(2);
    expect(await view.journeyRetriever.search('I want a better seat', 5)).toEqual([]);
    const intents = await view.intentRetriever.search('I want a better seat', 10);
    expect(intents.map((hit) => hit.itemId)).not.toContain(
      intentItemId('journey', [...catalog.journeys.keys()][0] as string),
    );
    expect(view.cannedResponses.map((response) => response.template)).toEqual([
      'Refunds take 5 days.',
    ]);
  });

  it('keeps one view per set of hidden records', async () => {
    const first = await catalogForCustomer(catalog, ['news']);
    expect(await catalogForCustomer(catalog, [])).toBe(first);
    expect(await catalogForCustomer(catalog, ['platinum'])).not.toBe(first);
  });
});
