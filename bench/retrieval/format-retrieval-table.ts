import type { ExampleCount } from './benchmark-guideline';
import type { RetrievalMetrics } from './evaluate-retrieval';

/** One line of the table: a number of examples per guideline and what it scored. */
export interface RetrievalRow {
  readonly exampleCount: ExampleCount;
  readonly metrics: RetrievalMetrics;
}

const headers = [
  'examples',
  'top-1',
  'recall@1',
  'recall@5',
  'recall@10',
  'recall@20',
  'eval rows',
  'guidelines',
  'vectors',
  'build ms',
  'search p50 ms',
] as const;

/** The rows as a plain-text table, numbers right-aligned, ready for a terminal or a PR. */
export function formatRetrievalTable(rows: readonly RetrievalRow[]): string {
  const cells = rows.map(({ exampleCount, metrics }) => [
    `E=${exampleCount}`,
    metrics.top1.toFixed(4),
    metrics.recall[1].toFixed(4),
    metrics.recall[5].toFixed(4),
    metrics.recall[10].toFixed(4),
    metrics.recall[20].toFixed(4),
    String(metrics.queryCount),
    String(metrics.guidelineCount),
    String(metrics.vectorCount),
    metrics.buildMilliseconds.toFixed(0),
    metrics.searchP50Milliseconds.toFixed(3),
  ]);
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((row) => row[column]!.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, column) =>
        column === 0 ? value.padEnd(widths[column]!) : value.padStart(widths[column]!),
      )
      .join('  ');
  return [
    line(headers),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map(line),
  ].join('\n');
}
