import type { Logger } from 'drizzle-orm';
import type pg from 'pg';

/** A drizzle logger that keeps the last statement the retriever sent, with its parameters. */
export interface StatementRecorder extends Logger {
  /** The last retrieval statement (not `begin`, `set_config`, `commit`), or `null` before any. */
  last(): { sql: string; params: unknown[] } | null;
}

/** Creates a {@link StatementRecorder}. */
export function createStatementRecorder(): StatementRecorder {
  let last: { sql: string; params: unknown[] } | null = null;
  return {
    logQuery(sql, params) {
      if (/^\s*with\b/.test(sql)) last = { sql, params };
    },
    last: () => last,
  };
}

/** What the plan of a retrieval statement shows. */
export interface StatementPlan {
  /** How the vector arm found its rows: the HNSW index, or another path (exact, by sorting). */
  vectorArm: 'hnsw index' | 'other' | 'absent';
  /** Whether PostgreSQL compiled the statement with JIT (tens of milliseconds when it does). */
  jit: boolean;
  /** The plan, as `explain (analyze, costs off, timing off)` printed it. */
  text: string;
}

/**
 * Runs `explain analyze` on a recorded statement in a transaction with the retriever's HNSW
 * settings, so the plan is the one its retrievals got.
 */
export async function explainStatement(
  pool: pg.Pool,
  statement: { sql: string; params: unknown[] },
  settings: Record<string, string>,
): Promise<StatementPlan> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    for (const [name, value] of Object.entries(settings)) {
      await client.query('select set_config($1, $2, true)', [name, value]);
    }
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `explain (analyze, costs off, timing off) ${statement.sql}`,
      statement.params,
    );
    await client.query('rollback');
    const text = rows.map((row) => row['QUERY PLAN']).join('\n');
    return {
      vectorArm: !text.includes('query_vector')
        ? 'absent'
        : text.includes('Index Scan using embedding_vector_hnsw_idx')
          ? 'hnsw index'
          : 'other',
      jit: /\bJIT:/.test(text),
      text,
    };
  } finally {
    client.release();
  }
}
