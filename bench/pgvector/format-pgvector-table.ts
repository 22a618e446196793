/** One line of the pgvector bench: a retrieval mode at one `ef_search`. */
export interface PgvectorBenchRow {
  mode: string;
  efSearch: number;
  p50Milliseconds: number;
  p99Milliseconds: number;
  meanMilliseconds: number;
  /** Recall@10 of the vector arm against exact search; `null` for hybrid results. */
  recallAt10: number | null;
  /** Passages returned per query, on average (10 unless the search came up short). */
  passagesPerQuery: number;
  /** Share of queries whose passages include the chunk the query was drawn from. */
  sourceChunkFound: number;
  /** How the last query's vector arm found its rows, by `explain analyze`. */
  vectorArmPlan: 'hnsw index' | 'other' | 'absent';
  /** Whether the last query's plan was compiled with JIT. */
  jit: boolean;
}

const columns = [
  'mode',
  'ef_search',
  'p50 ms',
  'p99 ms',
  'mean ms',
  'recall@10',
  'passages',
  'source found',
  'vector arm plan',
  'jit',
] as const;

/** The rows as a plain-text table, numbers right-aligned. */
export function formatPgvectorTable(rows: readonly PgvectorBenchRow[]): string {
  const cells = rows.map((row) => [
    row.mode,
    String(row.efSearch),
    row.p50Milliseconds.toFixed(2),
    row.p99Milliseconds.toFixed(2),
    row.meanMilliseconds.toFixed(2),
    row.recallAt10 === null ? '' : row.recallAt10.toFixed(3),
    row.passagesPerQuery.toFixed(1),
    row.sourceChunkFound.toFixed(3),
    row.vectorArmPlan,
    row.jit ? 'yes' : 'no',
  ]);
  const widths = columns.map((column, index) =>
    Math.max(column.length, ...cells.map((cell) => cell[index]?.length ?? 0)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((value, index) =>
        index === 0 || index >= columns.length - 2
          ? value.padEnd(widths[index] ?? 0)
          : value.padStart(widths[index] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [
    line(columns),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map(line),
  ].join('\n');
}
