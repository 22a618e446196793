import { createSeededRandom, type RandomSource } from '@parley/core/testing';
import type { LabelledRow } from './labelled-row';

/** Two disjoint parts of a set of rows. */
export interface RowSplit {
  readonly kept: LabelledRow[];
  readonly held: LabelledRow[];
}

/**
 * Holds `fraction` of each category's rows aside (rounded, at least one row of any
 * category with two or more), chosen by a seeded shuffle: the same rows, the same seed,
 * the same split on every run. Stratified, so every category appears on both sides.
 */
export function splitByCategory(
  rows: readonly LabelledRow[],
  fraction: number,
  seed: number,
): RowSplit {
  const random = createSeededRandom(seed);
  const kept: LabelledRow[] = [];
  const held: LabelledRow[] = [];
  for (const categoryRows of groupByCategory(rows).values()) {
    const shuffled = shuffle(categoryRows, random);
    const heldCount = shuffled.length < 2 ? 0 : Math.max(1, Math.round(shuffled.length * fraction));
    held.push(...shuffled.slice(0, heldCount));
    kept.push(...shuffled.slice(heldCount));
  }
  return { kept, held };
}

/** Rows by category, categories in order of first appearance, rows in file order. */
export function groupByCategory(rows: readonly LabelledRow[]): Map<string, LabelledRow[]> {
  const groups = new Map<string, LabelledRow[]>();
  for (const row of rows) {
    const group = groups.get(row.category);
    if (group === undefined) groups.set(row.category, [row]);
    else group.push(row);
  }
  return groups;
}

/** A shuffled copy (Fisher–Yates) driven by `random`. */
export function shuffle<T>(items: readonly T[], random: RandomSource): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
