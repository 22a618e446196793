/**
 * @module bench/retrieval — the guideline retrieval benchmark (`pnpm bench:retrieval`): how
 * well the offline embedder and the vector index find, for a customer message, the
 * guideline it belongs to. Each Banking77 category is one guideline ("the customer asks
 * about card arrival"), with E example messages (0, 10 or all) drawn from the example pool;
 * held-out messages are the queries. Prints a table, the search latency over 10,000
 * guidelines, and writes `bench/results/retrieval.json`. The last line of output is one JSON
 * object of the headline figures.
 *
 * Options: `--data DIR` (default: shared/data/banking77 beside the repository);
 * `--eval FILE.csv` (`text,category` columns) to evaluate that file with every training row
 * as the example pool, instead of the held-out slice; `--skip-scale` to skip the latency run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildGuidelines, type ExampleCount } from './benchmark-guideline';
import {
  defaultDataFolder,
  evaluationSplit,
  loadBanking77,
  mergeCategories,
  splitSettings,
} from './benchmark-slices';
import { evaluateRetrieval } from './evaluate-retrieval';
import { formatRetrievalTable, type RetrievalRow } from './format-retrieval-table';
import { type LabelledRow, readLabelledRows } from './labelled-row';
import { measureSearchAtScale, type ScaleSettings } from './measure-search-at-scale';

const exampleCounts: readonly ExampleCount[] = [0, 10, 'all'];

/** Figures the retrieval must reach (the issue's), checked and printed, never asserted. */
const targets = [
  { exampleCount: 10, metric: 'recall@10', minimum: 0.97 },
  { exampleCount: 10, metric: 'top-1', minimum: 0.72 },
  { exampleCount: 'all', metric: 'top-1', minimum: 0.88 },
] as const;

const scaleSettings: ScaleSettings = {
  itemCount: 10_000,
  vectorsPerItem: 50,
  queryCount: 500,
  seed: 20_240_601,
};

async function main(): Promise<void> {
  const started = performance.now();
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      eval: { type: 'string' },
      'skip-scale': { type: 'boolean', default: false },
    },
  });
  const dataFolder = path.resolve(values.data ?? defaultDataFolder());
  const data = await loadBanking77(dataFolder);

  let pool: LabelledRow[];
  let evaluation: LabelledRow[];
  let evaluationSource: string;
  if (values.eval === undefined) {
    ({ pool, evaluation } = evaluationSplit(data.rows));
    evaluationSource = `held-out slice of ${path.join(dataFolder, 'train.csv')} (${splitSettings.evaluationFraction * 100}% per category, seed ${splitSettings.evaluationSeed})`;
  } else {
    pool = data.rows;
    evaluation = await readLabelledRows(path.resolve(values.eval));
    evaluationSource = path.resolve(values.eval);
  }
  // A category only the evaluated file names still gets its guideline (condition only):
  // its messages then test retrieval from the category name alone.
  const categories = mergeCategories(data.categories, evaluation);
  const unseen = categories.length - mergeCategories(data.categories, pool).length;

  console.log(`data: ${dataFolder}`);
  console.log(`evaluating: ${evaluationSource}`);
  console.log(
    `example pool: ${pool.length} rows; evaluated: ${evaluation.length} rows; guidelines: ${categories.length}` +
      (unseen > 0 ? ` (${unseen} named only by the evaluated file)` : ''),
  );

  const rows: RetrievalRow[] = exampleCounts.map((exampleCount) => {
    const guidelines = buildGuidelines(categories, pool, exampleCount, splitSettings.exampleSeed);
    return { exampleCount, metrics: evaluateRetrieval(guidelines, evaluation) };
  });

  console.log('');
  console.log(formatRetrievalTable(rows));
  console.log('');
  const targetResults = targets.map((target) => {
    const row = rows.find((candidate) => candidate.exampleCount === target.exampleCount)!;
    const value = target.metric === 'top-1' ? row.metrics.top1 : row.metrics.recall[10];
    const met = value >= target.minimum;
    console.log(
      `target E=${target.exampleCount} ${target.metric} ≥ ${target.minimum}: ${value.toFixed(4)} ${met ? 'met' : 'NOT MET'}`,
    );
    return { ...target, value, met };
  });

  let scale = null;
  if (!values['skip-scale']) {
    scale = measureSearchAtScale(pool, evaluation, scaleSettings);
    console.log('');
    console.log(
      `search over ${scale.itemCount.toLocaleString('en-US')} guidelines × ${scale.vectorsPerItem} vectors ` +
        `(${scale.vectorCount.toLocaleString('en-US')} vectors), k = 20, ${scale.queryCount} queries: ` +
        `p50 ${scale.searchP50Milliseconds.toFixed(2)} ms, p99 ${scale.searchP99Milliseconds.toFixed(2)} ms, ` +
        `mean ${scale.searchMeanMilliseconds.toFixed(2)} ms; index build ${(scale.buildMilliseconds / 1000).toFixed(1)} s; ` +
        `embedding a query p50 ${scale.embedP50Milliseconds.toFixed(2)} ms`,
    );
  }

  const cpus = os.cpus();
  const report = {
    benchmark: 'retrieval',
    date: new Date().toISOString(),
    durationSeconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      arch: os.arch(),
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
    },
    data: dataFolder,
    evaluation: evaluationSource,
    splitSettings,
    poolRows: pool.length,
    evaluationRows: evaluation.length,
    rows: rows.map(({ exampleCount, metrics }) => ({ exampleCount, ...metrics })),
    targets: targetResults,
    scale,
  };
  const resultsFolder = new URL('../results/', import.meta.url);
  await mkdir(resultsFolder, { recursive: true });
  const resultsFile = new URL('retrieval.json', resultsFolder);
  await writeFile(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`Wrote ${resultsFile.pathname}`);

  const headline = (exampleCount: ExampleCount) => {
    const { metrics } = rows.find((row) => row.exampleCount === exampleCount)!;
    return { top1: round(metrics.top1), 'recall@10': round(metrics.recall[10]) };
  };
  console.log(JSON.stringify({ e0: headline(0), e10: headline(10), eall: headline('all') }));
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

main().catch((error: unknown) => {
  console.error('retrieval bench failed:', error);
  process.exitCode = 1;
});
