import { setTimeout as sleep } from 'node:timers/promises';
import { createEngine, type Retriever, type TurnOutcome } from '@parley/core';
import { createPgliteStore } from '@parley/core/pglite';
import { parleySchema } from '@parley/core/schema';
import { createScriptedChatModel, createSeededRandom } from '@parley/core/testing';
import { type LatencySummary, summarizeLatencies } from '../shared/percentiles';
import { judgeFirstCandidate } from './judge-first-candidate';
import { syntheticGuidelines } from './synthetic-guidelines';

/** Where the bench's retriever is attached, or none. */
export type RetrieverPlacement = 'none' | 'agent' | 'guidelines';

/** Time to the reply's start with and without a retriever beside matching. */
export interface RetrievalOverlapResult {
  placement: RetrieverPlacement;
  retrieverMs: number;
  judgementMs: number;
  /** From posting the message to the reply call starting: what the customer waits before the first token. */
  beforeReplyMs: LatencySummary;
  passagesPerTurn: number;
}

const warmupTurns = 10;

/**
 * Measures whether knowledge retrieval adds a step before the first token: a scripted model
 * whose judgement takes `judgementMs` (a model's latency), and a retriever taking
 * `retrieverMs`, attached to the agent or to every guideline, or absent. Run side by side with
 * matching, a retriever shorter than the judgement leaves the time before the reply as it is;
 * run after it, it would add its own latency.
 */
export async function measureRetrievalOverlap(options: {
  byCategory: Map<string, string[]>;
  guidelines: number;
  placement: RetrieverPlacement;
  retrieverMs: number;
  judgementMs: number;
  turns: number;
}): Promise<RetrievalOverlapResult> {
  const store = await createPgliteStore();
  const model = createScriptedChatModel();
  let replyStartedAt = 0;
  judgeFirstCandidate(model, options.judgementMs);
  model.onText('reply', () => {
    replyStartedAt = performance.now();
    return 'Here is what our policy says [1].';
  });
  const retriever: Retriever = {
    id: 'policies',
    async retrieve({ signal }) {
      await sleep(options.retrieverMs, undefined, { signal }).catch(() => undefined);
      return [
        {
          id: 'policy-1',
          text: 'Cards arrive within five business days.',
          score: 1,
          source: { title: 'Card policy' },
        },
      ];
    },
  };
  const engine = createEngine({
    store,
    model,
    retrievers: [retriever],
    preamble: { enabled: false },
  });
  const workspace = engine.forWorkspace('bench-workspace');
  const agent = await workspace.agents.create({
    name: 'Bank support',
    retrieverIds: options.placement === 'agent' ? ['policies'] : [],
  });
  const rows = syntheticGuidelines(options.byCategory, options.guidelines).map((row) => ({
    ...row,
    workspaceId: 'bench-workspace',
    agentId: agent.id,
    retrieverIds: options.placement === 'guidelines' ? ['policies'] : [],
  }));
  await store.database.insert(parleySchema.guideline).values(rows);
  const messages = [...options.byCategory.values()].flat();
  const random = createSeededRandom(options.guidelines);
  let session = await workspace.sessions.create({ agentId: agent.id });
  const samples: number[] = [];
  let passages = 0;
  for (let index = 0; index < warmupTurns + options.turns; index += 1) {
    if (index % 10 === 0) session = await workspace.sessions.create({ agentId: agent.id });
    const text = messages[Math.floor(random() * messages.length)] as string;
    const started = performance.now();
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text });
    const outcome = (await posted.turn) as TurnOutcome;
    if (outcome.status !== 'ready') throw new Error(`turn ended ${outcome.status}`);
    if (index < warmupTurns) continue;
    samples.push(replyStartedAt - started);
    passages += outcome.explanation.knowledge.passages.length;
  }
  await engine.close();
  await store.close();
  return {
    placement: options.placement,
    retrieverMs: options.retrieverMs,
    judgementMs: options.judgementMs,
    beforeReplyMs: summarizeLatencies(samples),
    passagesPerTurn: passages / options.turns,
  };
}
