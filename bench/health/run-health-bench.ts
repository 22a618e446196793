/**
 * @module bench/health — what the health routes cost (`pnpm bench:health`): each route of the
 * tree called in-process through the handler (no socket: the routes' own work), as an operator
 * of a workspace with one agent, 200 sessions and 2,000 messages, on PGlite and on PostgreSQL
 * (`DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`, in a throwaway schema).
 * The dashboard summary is measured from its cache (the issue's figure: ≤ 5 ms p50) and
 * uncached (its first call after 10 s). Prints a table and writes `bench/results/health.json`.
 * `--quick` takes fewer samples.
 */
import { createEngine, type Engine, type Store } from '@parley/core';
import { createPgliteStore } from '@parley/core/pglite';
import { createPostgresStore } from '@parley/core/postgres';
import { createTestClock } from '@parley/core/testing';
import { createParleyHandler } from '@parley/http';
import { summarizeLatencies } from '../shared/percentiles';
import { writeBenchResults } from '../shared/write-bench-results';
import { openPostgresBenchSchema } from '../store/postgres-bench-schema';

const quick = process.argv.includes('--quick');
const samples = quick ? 50 : 300;
const workspaceId = 'bench-health';
const startedAt = performance.now();

/** One agent, 200 sessions of 10 messages each: what `usage` counts. */
async function seed(engine: Engine): Promise<void> {
  const workspace = engine.forWorkspace(workspaceId);
  const agent = await workspace.agents.create({ name: 'Bench', compositionMode: 'canned_strict' });
  for (let index = 0; index < 200; index += 1) {
    const session = await workspace.sessions.create({ agentId: agent.id });
    await workspace.events.append(
      session.id,
      Array.from({ length: 10 }, (_, offset) => ({
        kind: 'message' as const,
        source: offset % 2 === 0 ? ('customer' as const) : ('ai_agent' as const),
        data: { text: `message ${offset}` },
      })),
    );
  }
}

type Row = { database: string; route: string } & ReturnType<typeof summarizeLatencies>;

async function measure(database: string, store: Store): Promise<Row[]> {
  const engine = createEngine({ store });
  await seed(engine);
  const clock = createTestClock();
  const handler = await createParleyHandler({
    engine,
    customerTokenSecret: 'bench-health-customer-secret-0123456789abcdef',
    authenticate: () => ({ userId: 'bench', workspaceId, role: 'admin' }),
    rateLimit: false,
    clock,
  });
  const call = async (path: string) => {
    const response = await handler(new Request(`http://localhost${path}`));
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
    await response.arrayBuffer();
  };
  const rows: Row[] = [];
  const time = async (route: string, label = route, before?: () => void) => {
    const durations: number[] = [];
    for (let index = 0; index < samples + 10; index += 1) {
      before?.();
      const started = performance.now();
      await call(route);
      if (index >= 10) durations.push(performance.now() - started);
    }
    rows.push({ database, route: label, ...summarizeLatencies(durations) });
  };
  await time('/v1/health?service=quick');
  await time('/v1/health');
  await time('/v1/health/database');
  await time('/v1/health/engine');
  await time('/v1/health/engine/agents');
  await time('/v1/health/auth');
  await time('/v1/health/dashboard');
  await time('/v1/health/dashboard/summary');
  // Each call 10 s after the last: the cache has expired, the overview is checked again.
  await time('/v1/health/dashboard/summary', '/v1/health/dashboard/summary (uncached)', () =>
    clock.advance(10_000),
  );
  await handler.close({ deadlineMs: 1000 });
  return rows;
}

const rows: Row[] = [];
const pglite = await createPgliteStore();
rows.push(...(await measure('PGlite', pglite)));
await pglite.close();

const schema = await openPostgresBenchSchema(
  process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
  { prefix: 'parley_bench_health_' },
);
try {
  const pool = schema.createPool(4);
  rows.push(...(await measure('PostgreSQL', await createPostgresStore({ pool }))));
} finally {
  await schema.drop();
}

const format = (value: number) => value.toFixed(2).padStart(8);
console.log(`\n${'database'.padEnd(11)} ${'route'.padEnd(44)}   p50 ms   p99 ms`);
for (const row of rows) {
  console.log(
    `${row.database.padEnd(11)} ${row.route.padEnd(44)} ${format(row.p50)} ${format(row.p99)}`,
  );
}
await writeBenchResults(
  { name: 'health', startedAt },
  { settings: { samples, sessions: 200, messages: 2000 }, rows },
);
