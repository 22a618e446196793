import { type BenchRow, describeTarget } from './bench-row';

const columns = ['scenario', 'database', 'value', 'unit', 'target', 'met'] as const;

/** A value with the precision its unit deserves: whole appends, hundredths of milliseconds. */
function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = unit === 'ms' ? 2 : unit === 's' ? 1 : 0;
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** The rows as a plain-text table, numbers right-aligned, ready for a terminal or a PR. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => ({
    scenario: row.scenario,
    database: row.database,
    value: formatValue(row.value, row.unit),
    unit: row.unit,
    target: describeTarget(row.target),
    met: row.met === null ? '' : row.met ? 'yes' : 'NO',
  }));
  const widths = columns.map((column) =>
    Math.max(column.length, ...cells.map((cell) => cell[column].length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) => {
        const width = widths[index] ?? 0;
        return columns[index] === 'value' ? value.padStart(width) : value.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [
    line(columns),
    rule,
    ...cells.map((cell) => line(columns.map((column) => cell[column]))),
  ].join('\n');
}
