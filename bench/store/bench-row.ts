/** The databases the store bench runs on. */
export type BenchDatabase = 'pglite' | 'postgresql';

/** A figure the issue asks a measurement to reach. */
export interface BenchTarget {
  comparison: 'at-least' | 'at-most';
  value: number;
}

/** One line of the bench's table and of its JSON. */
export interface BenchRow {
  scenario: string;
  database: BenchDatabase;
  value: number;
  unit: string;
  /** `null` for figures reported for insight, with nothing to reach. */
  target: BenchTarget | null;
  /** Whether `value` reaches `target`; `null` without a target. */
  met: boolean | null;
}

/** A row, with `met` worked out from the target. */
export function createBenchRow(
  scenario: string,
  database: BenchDatabase,
  value: number,
  unit: string,
  target: BenchTarget | null = null,
): BenchRow {
  const met =
    target === null
      ? null
      : target.comparison === 'at-least'
        ? value >= target.value
        : value <= target.value;
  return { scenario, database, value, unit, target, met };
}

/** A target as the table prints it, e.g. `≥ 5,000`. */
export function describeTarget(target: BenchTarget | null): string {
  if (target === null) return '';
  const sign = target.comparison === 'at-least' ? '≥' : '≤';
  return `${sign} ${target.value.toLocaleString('en-US')}`;
}
