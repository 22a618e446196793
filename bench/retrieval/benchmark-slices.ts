import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { type LabelledRow, readLabelledRows } from './labelled-row';
import { splitByCategory } from './split-by-category';

/** Seeds and shares of the splits: fixed, so every run scores the same rows. */
export const splitSettings = {
  /** Share of each category's rows held aside for the evaluation slice. */
  evaluationFraction: 0.2,
  evaluationSeed: 77_2020,
  /** Share of each category's pool rows held aside for tuning (the dev slice). */
  developmentFraction: 0.2,
  developmentSeed: 2003_04807,
  /** Seed of drawing each guideline's examples from the pool. */
  exampleSeed: 10_003,
} as const;

/** Banking77 as loaded: its category names and its training rows. */
export interface Banking77 {
  readonly categories: string[];
  readonly rows: LabelledRow[];
}

/** Where the data lives by default: `shared/data/banking77` beside the repository. */
export function defaultDataFolder(): string {
  const repositoryRoot = path.resolve(import.meta.dirname, '../..');
  return path.resolve(repositoryRoot, '../shared/data/banking77');
}

/**
 * Loads `train.csv` and `categories.json` from `folder`. Categories come from the JSON
 * file when present, else from the rows, in order of first appearance.
 */
export async function loadBanking77(folder: string): Promise<Banking77> {
  const rows = await readLabelledRows(path.join(folder, 'train.csv'));
  let categories: string[];
  try {
    const parsed: unknown = JSON.parse(
      await readFile(path.join(folder, 'categories.json'), 'utf8'),
    );
    if (!Array.isArray(parsed) || !parsed.every((name) => typeof name === 'string')) {
      throw new Error(`${folder}/categories.json is not a list of names`);
    }
    categories = parsed;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    categories = [];
  }
  return { categories: mergeCategories(categories, rows), rows };
}

/** The listed categories, then any category the rows name that the list lacks. */
export function mergeCategories(listed: readonly string[], rows: readonly LabelledRow[]): string[] {
  const merged = [...listed];
  const known = new Set(listed);
  for (const row of rows) {
    if (!known.has(row.category)) {
      known.add(row.category);
      merged.push(row.category);
    }
  }
  return merged;
}

/** The example pool and the evaluation slice: the rows the bench reports on. */
export function evaluationSplit(rows: readonly LabelledRow[]): {
  pool: LabelledRow[];
  evaluation: LabelledRow[];
} {
  const split = splitByCategory(
    rows,
    splitSettings.evaluationFraction,
    splitSettings.evaluationSeed,
  );
  return { pool: split.kept, evaluation: split.held };
}

/**
 * The tuning split, drawn inside the pool only: examples come from `tuningPool`, scores
 * from `development`. The evaluation slice never takes part.
 */
export function developmentSplit(rows: readonly LabelledRow[]): {
  tuningPool: LabelledRow[];
  development: LabelledRow[];
} {
  const { pool } = evaluationSplit(rows);
  const split = splitByCategory(
    pool,
    splitSettings.developmentFraction,
    splitSettings.developmentSeed,
  );
  return { tuningPool: split.kept, development: split.held };
}
