import { createSeededRandom } from '@parley/core/testing';
import type { LabelledRow } from './labelled-row';
import { groupByCategory, shuffle } from './split-by-category';

/** A Banking77 category as the engine would hold it: a condition and example messages. */
export interface BenchmarkGuideline {
  /** The category name, which doubles as the guideline id. */
  readonly id: string;
  readonly condition: string;
  readonly examples: readonly string[];
}

/** How many example messages each guideline gets: a count, or every row of the pool. */
export type ExampleCount = number | 'all';

/**
 * The condition a guideline author would write from a category name, kept generic on
 * purpose (no per-category wording): `card_arrival` → "the customer asks about card arrival".
 */
export function conditionOfCategory(category: string): string {
  return `the customer asks about ${category.replace(/_/g, ' ').trim()}`;
}

/**
 * One guideline per category, with `exampleCount` examples drawn from `pool` by a seeded
 * shuffle of each category's rows (fewer when a category has fewer rows).
 */
export function buildGuidelines(
  categories: readonly string[],
  pool: readonly LabelledRow[],
  exampleCount: ExampleCount,
  seed: number,
): BenchmarkGuideline[] {
  const random = createSeededRandom(seed);
  const poolByCategory = groupByCategory(pool);
  return categories.map((category) => {
    const rows = shuffle(poolByCategory.get(category) ?? [], random);
    const chosen = exampleCount === 'all' ? rows : rows.slice(0, exampleCount);
    return {
      id: category,
      condition: conditionOfCategory(category),
      examples: chosen.map((row) => row.text),
    };
  });
}
