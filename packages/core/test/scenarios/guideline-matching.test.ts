import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine';
import { createInMemoryEventBus } from '../../src/event-bus/in-memory-event-bus';
import type { BusMessage, BusResync } from '../../src/ports/event-bus';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

const store = useScenarioStore();

async function supportAgent(
  workspace: ReturnType<ReturnType<typeof createEngine>['forWorkspace']>,
) {
  const agent = await workspace.agents.create({
    name: 'Support',
    description: 'Helps with orders.',
  });
  const refunds = await workspace.guidelines.create({
    agentId: agent.id,
    condition: 'the customer asks for a refund',
    action: 'explain the 30-day refund policy',
    examples: ['can I get my money back?'],
  });
  const shipping = await workspace.guidelines.create({
    agentId: agent.id,
    condition: 'the customer asks how long shipping takes',
    action: 'say that orders ship within 2 days',
  });
  return { agent, refunds, shipping };
}

describe('guideline matching', () => {
  it('lets a guideline that applies shape the reply and leaves one that does not out', async () => {
    const model = createScriptedChatModel();
    const bus = createInMemoryEventBus();
    const engine = createEngine({ store: store(), model, eventBus: bus });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, refunds } = await supportAgent(workspace);
    scriptJudgement(model, () => ({
      applies: (candidate) => candidate.condition.includes('refund'),
    }));
    model.onText('reply', () => 'You can return it within 30 days for a full refund.');

    const session = await workspace.sessions.create({ agentId: agent.id });
    const heard: Array<BusMessage | BusResync> = [];
    await bus.subscribe(session.id, (message) => heard.push(message));
    const posted = await workspace.sessions.postCustomerMessage(session.id, {
      text: 'I want my money back',
    });
    const outcome = await posted.turn;

    expect(outcome?.status).toBe('ready');
    if (outcome?.status !== 'ready') return;
    expect(outcome.explanation.guidelines.map((guideline) => guideline.id)).toEqual([refunds.id]);
    expect(outcome.message.data).toEqual({
      text: 'You can return it within 30 days for a full refund.',
    });

    const reply = model.calls.find((call) => call.purpose === 'reply');
    const instructions =
      reply?.messages[0] && 'content' in reply.messages[0] ? reply.messages[0].content : '';
    expect(instructions).toContain('explain the 30-day refund policy');
    expect(instructions).not.toContain('ship within 2 days');
    expect(model.calls.map((call) => call.purpose)).toEqual(['guideline_judgement', 'reply']);

    const events = await workspace.events.list(session.id);
    expect(
      events.map((event) =>
        event.kind === 'status'
          ? `status:${event.data.status}${event.data.stage ? `:${event.data.stage}` : ''}`
          : `${event.kind}:${event.source}`,
      ),
    ).toEqual([
      'message:customer',
      'status:acknowledged',
      'status:processing:guideline_matching',
      'status:typing',
      'message:ai_agent',
      'status:ready',
    ]);
    expect(new Set(events.slice(1).map((event) => event.traceId)).size).toBe(1);

    const deltas = heard.filter((message) => message.type === 'message-delta');
    expect(deltas.map((delta) => delta.text).join('')).toBe(
      'You can return it within 30 days for a full refund.',
    );
    expect(new Set(deltas.map((delta) => delta.messageId))).toEqual(new Set([outcome.message.id]));
    expect(deltas.map((delta) => delta.seq)).toEqual(deltas.map((_, index) => index));

    const after = await workspace.sessions.get(session.id);
    expect(after.turnState.appliedGuidelineIds).toEqual([refunds.id]);
    await engine.close();
  });

  it('brings in an entailed guideline the judgement did not pick', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, refunds } = await supportAgent(workspace);
    const apologize = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'a refund is being discussed',
      action: 'apologize for the trouble',
    });
    await workspace.relationships.create({
      agentId: agent.id,
      kind: 'entailment',
      sourceGuidelineId: refunds.id,
      targetGuidelineId: apologize.id,
    });
    scriptJudgement(model, () => ({
      applies: (candidate) => candidate.condition === 'the customer asks for a refund',
    }));
    model.onText('reply', () => 'Sorry about that! You have 30 days to return it.');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'I want a refund' })
    ).turn;
    if (outcome?.status !== 'ready') throw new Error(`turn ended ${outcome?.status}`);
    expect(outcome.explanation.guidelines.map((guideline) => guideline.id).sort()).toEqual(
      [refunds.id, apologize.id].sort(),
    );
    expect(outcome.explanation.relationshipSteps).toEqual([
      { guidelineId: apologize.id, change: 'entailed', because: refunds.id },
    ]);
    const instructions = JSON.stringify(
      model.calls.find((call) => call.purpose === 'reply')?.messages[0],
    );
    expect(instructions).toContain('apologize for the trouble');
    await engine.close();
  });

  it('lets a prioritized guideline override another that also applies', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, refunds } = await supportAgent(workspace);
    const vipRefunds = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'a VIP customer asks for a refund',
      action: 'refund at once, no questions asked',
    });
    await workspace.relationships.create({
      agentId: agent.id,
      kind: 'priority',
      sourceGuidelineId: vipRefunds.id,
      targetGuidelineId: refunds.id,
    });
    scriptJudgement(model, () => ({
      applies: (candidate) => candidate.condition.includes('refund'),
    }));
    model.onText('reply', () => 'Done: your refund is on its way.');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'As a VIP I want a refund' })
    ).turn;
    if (outcome?.status !== 'ready') throw new Error(`turn ended ${outcome?.status}`);
    expect(outcome.explanation.guidelines.map((guideline) => guideline.id)).toEqual([
      vipRefunds.id,
    ]);
    const instructions = JSON.stringify(
      model.calls.find((call) => call.purpose === 'reply')?.messages[0],
    );
    expect(instructions).toContain('no questions asked');
    expect(instructions).not.toContain('30-day refund policy');
    await engine.close();
  });

  it('drops a guideline whose dependency does not apply', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, refunds } = await supportAgent(workspace);
    const expressRefund = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer wants it fast',
      action: 'offer an express refund',
    });
    await workspace.relationships.create({
      agentId: agent.id,
      kind: 'dependency',
      sourceGuidelineId: expressRefund.id,
      targetGuidelineId: refunds.id,
    });
    model.onText('reply', () => 'We can ship faster.');
    // The customer wants speed, but not a refund: the express refund depends on one.
    scriptJudgement(model, () => ({
      applies: (candidate) => candidate.condition === 'the customer wants it fast',
    }));
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'I need my order fast' })
    ).turn;
    if (outcome?.status !== 'ready') throw new Error(`turn ended ${outcome?.status}`);
    expect(outcome.explanation.guidelines).toEqual([]);
    expect(outcome.explanation.relationshipSteps).toEqual([
      { guidelineId: expressRefund.id, change: 'dependency_unmet', because: refunds.id },
    ]);
    await engine.close();
  });

  it('asks which was meant when an ambiguous request fits several guidelines', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const agent = await workspace.agents.create({ name: 'Bank' });
    const vague = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer says there is a problem with their card',
    });
    const lost = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer lost their card',
      action: 'block the card',
    });
    const declined = await workspace.guidelines.create({
      agentId: agent.id,
      condition: 'the customer card was declined',
      action: 'check the account balance',
    });
    for (const target of [lost, declined]) {
      await workspace.relationships.create({
        agentId: agent.id,
        kind: 'disambiguation',
        sourceGuidelineId: vague.id,
        targetGuidelineId: target.id,
      });
    }
    scriptJudgement(model, () => ({
      applies: (candidate) => candidate.condition.includes('problem with their card'),
    }));
    model.onText('reply', () => 'Did you lose your card, or was it declined?');
    const session = await workspace.sessions.create({ agentId: agent.id });
    const outcome = await (
      await workspace.sessions.postCustomerMessage(session.id, {
        text: 'something is wrong with my card',
      })
    ).turn;
    if (outcome?.status !== 'ready') throw new Error(`turn ended ${outcome?.status}`);
    expect(outcome.explanation.guidelines).toEqual([]);
    expect(outcome.explanation.disambiguation).toEqual({
      observationId: vague.id,
      optionIds: [lost.id, declined.id].sort(),
    });
    const instructions = JSON.stringify(
      model.calls.find((call) => call.purpose === 'reply')?.messages[0],
    );
    expect(instructions).toContain('ask which one the customer means');
    expect(instructions).toContain('the customer lost their card');
    expect(instructions).toContain('the customer card was declined');
    expect(instructions).not.toContain('block the card');
    await engine.close();
  });

  it('does not repeat a guideline the judgement finds already carried out', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { agent, refunds } = await supportAgent(workspace);
    model.onText('reply', () => 'Anything else?');
    let turn = 0;
    scriptJudgement(model, () => {
      turn += 1;
      return {
        applies: (candidate) => candidate.condition.includes('refund'),
        alreadyApplied: () => turn > 1,
      };
    });
    const session = await workspace.sessions.create({ agentId: agent.id });
    await (await workspace.sessions.postCustomerMessage(session.id, { text: 'refund please' }))
      .turn;
    const second = await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'so, the refund?' })
    ).turn;
    if (second?.status !== 'ready') throw new Error(`turn ended ${second?.status}`);
    expect(second.explanation.guidelines).toEqual([]);
    expect(second.explanation.alreadyApplied).toEqual([refunds.id]);
    const judgementPrompt = JSON.stringify(
      model.calls.filter((call) => call.purpose === 'guideline_judgement')[1]?.messages,
    );
    expect(judgementPrompt).toContain('carried out earlier in this conversation');
    await engine.close();
  });
});
