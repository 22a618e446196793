/**
 * @module bench/retrieval/tune — compares embedder and index settings on the development
 * slice, drawn inside the example pool (never on the evaluation slice the bench reports).
 * Usage: `tsx --conditions=@parley/source retrieval/tune.ts [--data DIR] [variants.json]`,
 * where the JSON file maps variant names to `{ embedder?, index? }` setups; without it the
 * default setup alone is scored.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildGuidelines, type ExampleCount } from './benchmark-guideline';
import {
  defaultDataFolder,
  developmentSplit,
  loadBanking77,
  splitSettings,
} from './benchmark-slices';
import { evaluateRetrieval, type RetrievalSetup } from './evaluate-retrieval';

const exampleCounts: readonly ExampleCount[] = [0, 10, 'all'];

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { data: { type: 'string' } },
    allowPositionals: true,
  });
  const data = await loadBanking77(values.data ?? defaultDataFolder());
  const { tuningPool, development } = developmentSplit(data.rows);
  const variants: Record<string, RetrievalSetup> =
    positionals[0] === undefined
      ? { default: {} }
      : JSON.parse(await readFile(positionals[0], 'utf8'));
  console.log(`dev slice: ${development.length} rows, tuning pool: ${tuningPool.length} rows`);
  const guidelinesByCount = exampleCounts.map((count) =>
    buildGuidelines(data.categories, tuningPool, count, splitSettings.exampleSeed),
  );
  for (const [name, setup] of Object.entries(variants)) {
    const cells = guidelinesByCount.map((guidelines, position) => {
      const metrics = evaluateRetrieval(guidelines, development, setup);
      const label = `E=${exampleCounts[position]}`;
      return `${label} top1 ${metrics.top1.toFixed(4)} r@10 ${metrics.recall[10].toFixed(4)}`;
    });
    console.log(`${name.padEnd(28)} ${cells.join(' | ')}`);
  }
}

main().catch((error: unknown) => {
  console.error('tuning failed:', error);
  process.exitCode = 1;
});
