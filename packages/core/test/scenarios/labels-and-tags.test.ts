import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../src/definition/define-agent';
import { createEngine, type WorkspaceEngine } from '../../src/engine/create-engine';
import { createInMemoryEventBus } from '../../src/event-bus/in-memory-event-bus';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

// Labels and customer tags across a conversation: a guideline that applies labels its session
// (beside the labels an operator set, which stay), a guideline and a journey scoped to a
// customer tag apply for a tagged customer and are never seen for anyone else, and a variable
// value set for a customer tag reaches only the customers carrying it.

const store = useScenarioStore();

const templates = {
  refund: 'You can return any item within 30 days for a full refund.',
  lounge: 'Gold members can use the lounge by gate 12, with free drinks.',
  discount: 'Your member discount is {{discount}} on every booking.',
  upgrade: 'Happy to upgrade your seat. Which seat would you like?',
};

const airline = defineAgent({
  name: 'Skyways',
  compositionMode: 'canned_strict',
  variables: [{ name: 'discount', description: 'The member discount', defaultValue: '0%' }],
  guidelines: [
    {
      key: 'refund',
      condition: 'the customer asks for a refund',
      action: 'explain the 30-day refund policy',
      examples: ['can I get my money back?', 'I want a refund for my ticket'],
      labels: ['refund', 'billing'],
    },
    {
      key: 'lounge',
      condition: 'the customer asks about the airport lounge',
      action: 'tell them where the lounge is',
      examples: ['can I use the airport lounge?', 'where is the lounge?'],
      labels: ['lounge'],
      customerTags: ['gold', 'platinum'],
    },
    {
      key: 'discount',
      condition: 'the customer asks what discount they get',
      action: 'tell them their member discount',
      examples: ['what discount do I get?', 'do I get a discount?'],
    },
  ],
  journeys: [
    {
      key: 'upgrade',
      title: 'Upgrade a seat',
      conditions: ['the customer wants to upgrade their seat'],
      initialState: 'ask_seat',
      states: [
        { key: 'ask_seat', kind: 'chat', action: 'Ask which seat they would like' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [{ from: 'ask_seat', to: 'done' }],
      labels: ['upgrade'],
      customerTags: ['gold'],
    },
  ],
  cannedResponses: Object.values(templates).map((template) => ({ template })),
});

const fallbackReply = 'Sorry, I can help with refunds, discounts and member perks.';

async function setUp(workspace: WorkspaceEngine, agentId: string) {
  const variables = await workspace.variables.list({ agentId });
  const discount = variables.items.find((variable) => variable.name === 'discount');
  if (!discount) throw new Error('the discount variable is missing');
  await workspace.variables.setValue(discount.id, { scope: 'customer_tag', tag: 'gold' }, '20%');
  const gold = await workspace.customers.create({ name: 'Ada', tags: ['gold'] });
  const plain = await workspace.customers.create({ name: 'Bob', tags: ['newsletter'] });
  return { gold, plain };
}

describe('labels and customer tags, without a model', () => {
  it('labels the session with what applied, keeps the operator labels, and scopes by customer tag', async () => {
    const engine = createEngine({ store: store(), fallbackReply });
    const workspaceId = freshWorkspaceId();
    const { agent } = await engine.sync(workspaceId, airline);
    const workspace = engine.forWorkspace(workspaceId);
    const { gold, plain } = await setUp(workspace, agent.id);
    const lounge = (await workspace.guidelines.list({ agentId: agent.id })).items.find(
      (guideline) => guideline.key === 'lounge',
    );
    const say = async (sessionId: string, text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(sessionId, { text })).turn);

    // A gold customer: the lounge guideline applies and labels the session beside the
    // operator's label.
    const ada = await workspace.sessions.create({
      agentId: agent.id,
      customerId: gold.id,
      labels: ['escalated'],
    });
    const perk = await say(ada.id, 'Can I use the airport lounge?');
    expect(perk.explanation.guidelines.map((guideline) => guideline.id)).toEqual([lounge?.id]);
    expect(perk.message.data).toEqual({ text: templates.lounge });
    expect(perk.explanation.labels).toEqual(['lounge']);
    expect((await workspace.sessions.get(ada.id)).labels).toEqual(['escalated', 'lounge']);

    // The ready status carries the labels, so a stream and the operators see them.
    const ready = (await workspace.events.list(ada.id))
      .filter((event) => event.kind === 'status' && event.data.status === 'ready')
      .at(-1);
    expect(ready?.kind === 'status' ? ready.data.explanation?.labels : null).toEqual(['lounge']);

    // An operator replaces the labels mid-conversation; the next turn adds to theirs.
    await workspace.sessions.update(ada.id, { labels: ['vip'] });
    const refund = await say(ada.id, 'I want a refund for my ticket');
    expect(refund.message.data).toEqual({ text: templates.refund });
    expect(refund.explanation.labels).toEqual(['refund', 'billing']);
    expect((await workspace.sessions.get(ada.id)).labels).toEqual(['vip', 'refund', 'billing']);

    // A turn that applies nothing labelled changes no label.
    const discount = await say(ada.id, 'What discount do I get?');
    expect(discount.message.data).toEqual({
      text: 'Your member discount is 20% on every booking.',
    });
    expect(discount.explanation.labels).toEqual([]);
    expect((await workspace.sessions.get(ada.id)).labels).toEqual(['vip', 'refund', 'billing']);

    // The listing finds the session by its labels.
    const labelled = await workspace.sessions.list({ labels: ['vip', 'refund'] });
    expect(labelled.items.map((session) => session.id)).toEqual([ada.id]);

    // A customer without the tag, and a session without a customer: the lounge guideline is
    // neither a candidate nor applied, and labels nothing; the tag's variable value is not theirs.
    const bob = await workspace.sessions.create({ agentId: agent.id, customerId: plain.id });
    const anonymous = await workspace.sessions.create({ agentId: agent.id });
    for (const session of [bob, anonymous]) {
      const refused = await say(session.id, 'Can I use the airport lounge?');
      expect(refused.explanation.guidelines.map((guideline) => guideline.id)).not.toContain(
        lounge?.id,
      );
      expect(refused.explanation.candidates.map((candidate) => candidate.id)).not.toContain(
        lounge?.id,
      );
      // Nor is its reply sent for words close to it: the customer gets the fallback.
      expect(refused.message.data).toEqual({ text: fallbackReply });
      expect(refused.explanation.labels).toEqual([]);
      expect((await workspace.sessions.get(session.id)).labels).toEqual([]);
      const theirs = await say(session.id, 'What discount do I get?');
      expect(theirs.message.data).toEqual({ text: 'Your member discount is 0% on every booking.' });
    }

    // Tagging the customer brings the guideline in for their next turn.
    await workspace.customers.update(plain.id, { tags: ['newsletter', 'platinum'] });
    const nowGold = await say(bob.id, 'Can I use the airport lounge?');
    expect(nowGold.explanation.guidelines.map((guideline) => guideline.id)).toEqual([lounge?.id]);
    expect((await workspace.sessions.get(bob.id)).labels).toEqual(['lounge']);
    await engine.close();
  });

  it('starts a journey scoped to a tag for that tag only, and labels the session with it', async () => {
    const engine = createEngine({ store: store(), fallbackReply });
    const workspaceId = freshWorkspaceId();
    const { agent } = await engine.sync(workspaceId, airline);
    const workspace = engine.forWorkspace(workspaceId);
    const { gold, plain } = await setUp(workspace, agent.id);
    const say = async (sessionId: string, text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(sessionId, { text })).turn);

    const ada = await workspace.sessions.create({ agentId: agent.id, customerId: gold.id });
    const started = await say(ada.id, 'I would like to upgrade my seat');
    expect(started.explanation.journey).toMatchObject({ state: 'ask_seat', started: true });
    expect(started.message.data).toEqual({ text: templates.upgrade });
    expect((await workspace.sessions.get(ada.id)).labels).toEqual(['upgrade']);

    const bob = await workspace.sessions.create({ agentId: agent.id, customerId: plain.id });
    const refused = await say(bob.id, 'I would like to upgrade my seat');
    expect(refused.explanation.journey).toBeNull();
    expect(refused.message.data).toEqual({ text: fallbackReply });
    expect((await workspace.sessions.get(bob.id)).labels).toEqual([]);
    await engine.close();
  });
});

describe('labels and customer tags, with a model', () => {
  it('never shows a guideline or journey scoped to another tag to the judgement, and labels what it applies', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({
      store: store(),
      model,
      eventBus: createInMemoryEventBus(),
      fallbackReply,
    });
    const workspaceId = freshWorkspaceId();
    const { agent } = await engine.sync(workspaceId, airline);
    const workspace = engine.forWorkspace(workspaceId);
    const { gold, plain } = await setUp(workspace, agent.id);
    const shown: Array<{ conditions: string[]; journeys: string[] }> = [];
    // A judgement that says yes to everything it is shown: what it is not shown cannot apply.
    scriptJudgement(model, (view) => {
      shown.push({
        conditions: view.candidates.map((candidate) => candidate.condition),
        journeys: view.journeyCandidates.map((journey) => journey.title),
      });
      return {
        applies: (candidate) => candidate.condition.includes('lounge'),
        cannedResponse: view.cannedCandidates.find((candidate) =>
          candidate.template.includes('lounge'),
        )?.shortId,
      };
    });
    const say = async (sessionId: string, text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(sessionId, { text })).turn);

    const bob = await workspace.sessions.create({ agentId: agent.id, customerId: plain.id });
    const refused = await say(bob.id, 'Can I use the airport lounge, or upgrade my seat?');
    expect(shown.at(-1)?.conditions).not.toContain('the customer asks about the airport lounge');
    expect(shown.at(-1)?.journeys).not.toContain('Upgrade a seat');
    expect(refused.explanation.guidelines).toEqual([]);
    expect(refused.message.data).toEqual({ text: fallbackReply });
    expect((await workspace.sessions.get(bob.id)).labels).toEqual([]);

    const ada = await workspace.sessions.create({
      agentId: agent.id,
      customerId: gold.id,
      labels: ['escalated'],
    });
    const perk = await say(ada.id, 'Can I use the airport lounge, or upgrade my seat?');
    expect(shown.at(-1)?.conditions).toContain('the customer asks about the airport lounge');
    expect(shown.at(-1)?.journeys).toContain('Upgrade a seat');
    expect(perk.explanation.guidelines.map((guideline) => guideline.condition)).toEqual([
      'the customer asks about the airport lounge',
    ]);
    expect(perk.message.data).toEqual({ text: templates.lounge });
    expect((await workspace.sessions.get(ada.id)).labels).toEqual(['escalated', 'lounge']);
    await engine.close();
  });
});
