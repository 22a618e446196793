import os from 'node:os';
import path from 'node:path';
import { createEngine, type TurnOutcome } from '@parley/core';
import { createPgliteStore } from '@parley/core/pglite';
import { parleySchema } from '@parley/core/schema';
import { createScriptedChatModel, createSeededRandom } from '@parley/core/testing';
import { createUniversalSentenceEncoderEmbedder } from '@parley/core/universal-sentence-encoder';
import { summarizeLatencies } from '../shared/percentiles';
import { writeBenchResults } from '../shared/write-bench-results';
import { judgeFirstCandidate } from './judge-first-candidate';
import {
  measureRetrievalOverlap,
  type RetrievalOverlapResult,
  type RetrieverPlacement,
} from './measure-retrieval-overlap';
import { loadBankingRows, syntheticGuidelines } from './synthetic-guidelines';

const sizes = [10, 50, 100, 1_000, 10_000];
/** Sizes measured without a model, on words alone and on words and meaning. */
const noModelSizes = [100, 1_000];

/** With the scripted model; or without one, matching on words alone or on words and meaning. */
type Matching = 'model' | 'words' | 'meaning';
const warmupTurns = 20;
const measuredTurns = 200;
const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');
const dataFolder = path.resolve(repositoryRoot, '..', 'shared', 'data', 'banking77');

interface SizeResult {
  guidelines: number;
  overheadMs: ReturnType<typeof summarizeLatencies>;
  modelCallsPerTurn: number;
  roundTripsBeforeFirstToken: number;
  promptTokensPerTurn: number;
  catalogBuildMs: number;
}

/** Model calls that must finish before the reply starts, counting parallel judgement batches once. */
function roundTripsBeforeFirstToken(purposes: readonly string[]): number {
  const beforeReply = purposes.slice(0, Math.max(0, purposes.indexOf('reply')));
  const judgement = beforeReply.includes('guideline_judgement') ? 1 : 0;
  return judgement + beforeReply.filter((purpose) => purpose !== 'guideline_judgement').length + 1;
}

async function measureSize(
  byCategory: Map<string, string[]>,
  size: number,
  matching: Matching = 'model',
): Promise<SizeResult> {
  const store = await createPgliteStore();
  const model = createScriptedChatModel();
  judgeFirstCandidate(model);
  model.onText('reply', () => 'Here is what our policy says.');
  const semanticEmbedder =
    matching === 'meaning' ? createUniversalSentenceEncoderEmbedder() : undefined;
  await semanticEmbedder?.ready();
  const engine = createEngine({
    store,
    model: matching === 'model' ? model : null,
    ...(semanticEmbedder ? { semanticEmbedder } : {}),
  });
  const workspace = engine.forWorkspace('bench-workspace');
  const agent = await workspace.agents.create({
    name: 'Bank support',
    description: 'Answers banking questions.',
  });
  const rows = syntheticGuidelines(byCategory, size);
  for (let start = 0; start < rows.length; start += 500) {
    await store.database
      .insert(parleySchema.guideline)
      .values(
        rows
          .slice(start, start + 500)
          .map((row) => ({ ...row, workspaceId: 'bench-workspace', agentId: agent.id })),
      );
  }
  const messages = [...byCategory.values()].flat();
  const random = createSeededRandom(size);
  let session = await workspace.sessions.create({ agentId: agent.id });
  const turn = async (index: number): Promise<{ ms: number; outcome: TurnOutcome }> => {
    if (index % 10 === 0) session = await workspace.sessions.create({ agentId: agent.id });
    const text = messages[Math.floor(random() * messages.length)] as string;
    const started = performance.now();
    const posted = await workspace.sessions.postCustomerMessage(session.id, { text });
    const outcome = (await posted.turn) as TurnOutcome;
    const ms = performance.now() - started;
    if (outcome.status !== 'ready') throw new Error(`turn ended ${outcome.status}`);
    return { ms, outcome };
  };

  const buildStarted = performance.now();
  await turn(0);
  const catalogBuildMs = performance.now() - buildStarted;
  for (let index = 1; index < warmupTurns; index += 1) await turn(index);
  const samples: number[] = [];
  let calls = 0;
  let roundTrips = 0;
  let promptTokens = 0;
  for (let index = 0; index < measuredTurns; index += 1) {
    const { ms, outcome } = await turn(index);
    samples.push(ms);
    if (outcome.status === 'ready') {
      calls += outcome.explanation.model.calls;
      roundTrips += roundTripsBeforeFirstToken(outcome.explanation.model.purposes);
      promptTokens += outcome.explanation.model.promptTokens;
    }
  }
  await engine.close();
  await store.close();
  return {
    guidelines: size,
    overheadMs: summarizeLatencies(samples),
    modelCallsPerTurn: calls / measuredTurns,
    roundTripsBeforeFirstToken: roundTrips / measuredTurns,
    promptTokensPerTurn: promptTokens / measuredTurns,
    catalogBuildMs,
  };
}

const byCategory = loadBankingRows(dataFolder);
const started = performance.now();
const results: SizeResult[] = [];
for (const size of sizes) {
  process.stdout.write(`measuring ${size.toLocaleString('en-US')} guidelines…\n`);
  results.push(await measureSize(byCategory, size));
}
const noModelResults: Array<SizeResult & { matching: Matching }> = [];
for (const matching of ['words', 'meaning'] as const) {
  for (const size of noModelSizes) {
    process.stdout.write(
      `measuring ${size.toLocaleString('en-US')} guidelines without a model, ${matching}…\n`,
    );
    noModelResults.push({ ...(await measureSize(byCategory, size, matching)), matching });
  }
}
const overlapSettings = { guidelines: 100, judgementMs: 20, turns: 100 };
/** No retriever; an instant in-process one; one as slow as half the judgement, on the agent and on every guideline. */
const overlapRuns: Array<{ placement: RetrieverPlacement; retrieverMs: number }> = [
  { placement: 'none', retrieverMs: 0 },
  { placement: 'agent', retrieverMs: 0 },
  { placement: 'agent', retrieverMs: 10 },
  { placement: 'guidelines', retrieverMs: 10 },
];
const overlapResults: RetrievalOverlapResult[] = [];
for (const run of overlapRuns) {
  process.stdout.write(
    `measuring knowledge retrieval beside matching, a ${run.retrieverMs} ms retriever on ${run.placement}…\n`,
  );
  overlapResults.push(await measureRetrievalOverlap({ byCategory, ...overlapSettings, ...run }));
}
const baseline =
  results.find((result) => result.guidelines === 50)?.promptTokensPerTurn ?? Number.NaN;
const header = [
  'guidelines',
  'overhead p50 ms',
  'p99 ms',
  'model calls',
  'round trips',
  'prompt tokens',
  'vs 50',
  'first turn ms',
];
const table = results.map((result) => [
  result.guidelines.toLocaleString('en-US'),
  result.overheadMs.p50.toFixed(2),
  result.overheadMs.p99.toFixed(2),
  result.modelCallsPerTurn.toFixed(2),
  result.roundTripsBeforeFirstToken.toFixed(2),
  result.promptTokensPerTurn.toFixed(0),
  `${(result.promptTokensPerTurn / baseline).toFixed(2)}×`,
  result.catalogBuildMs.toFixed(0),
]);
const widths = header.map((title, column) =>
  Math.max(title.length, ...table.map((row) => (row[column] as string).length)),
);
const line = (cells: readonly string[]) =>
  cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join('  ');
process.stdout.write(
  `\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${table.map(line).join('\n')}\n`,
);
const noModelHeader = ['matching', 'guidelines', 'turn p50 ms', 'p99 ms', 'first turn ms'];
const noModelTable = noModelResults.map((result) => [
  result.matching,
  result.guidelines.toLocaleString('en-US'),
  result.overheadMs.p50.toFixed(2),
  result.overheadMs.p99.toFixed(2),
  result.catalogBuildMs.toFixed(0),
]);
const noModelWidths = noModelHeader.map((title, column) =>
  Math.max(title.length, ...noModelTable.map((row) => (row[column] as string).length)),
);
const noModelLine = (cells: readonly string[]) =>
  cells.map((cell, column) => cell.padStart(noModelWidths[column] ?? 0)).join('  ');
process.stdout.write(
  `\nWithout a model (the first turn builds the catalog, the encoder's vectors included):\n${noModelLine(noModelHeader)}\n${noModelWidths.map((width) => '-'.repeat(width)).join('  ')}\n${noModelTable.map(noModelLine).join('\n')}\n`,
);
process.stdout.write(
  `\nKnowledge retrieval beside matching (judgement ${overlapSettings.judgementMs} ms, ${overlapSettings.guidelines} guidelines): time from the post to the reply's start\n${overlapResults
    .map(
      (result) =>
        `  ${String(result.retrieverMs).padStart(2)} ms retriever on ${result.placement.padEnd(10)}  p50 ${result.beforeReplyMs.p50.toFixed(2)} ms  p99 ${result.beforeReplyMs.p99.toFixed(2)} ms  passages ${result.passagesPerTurn.toFixed(1)}`,
    )
    .join('\n')}\n`,
);
process.stdout.write(
  '\nTargets: overhead p50 ≤ 5 ms at 1,000 and ≤ 25 ms at 10,000; ≤ 3 model calls and ≤ 2 round trips before the first token; prompt tokens at 10,000 ≤ 1.5× those at 50.\n',
);

await writeBenchResults(
  { name: 'engine', startedAt: started, machine: { loadAverageAtStart: os.loadavg() } },
  {
    settings: {
      sizes,
      warmupTurns,
      measuredTurns,
      database: 'pglite (in memory)',
      model: 'scripted, zero latency',
    },
    results,
    withoutModel: noModelResults,
    retrievalOverlap: { settings: overlapSettings, results: overlapResults },
  },
);
