/**
 * @module bench/http — the HTTP layer under load (`pnpm bench:http`): a real `node:http`
 * server in a child process, the real `openai` client against a fake OpenAI server answering
 * at once (another child), and clients here using `fetch` and reading SSE.
 *
 * 1. Time from the start of `POST …/events` to the first `delta` frame and to `status:
 *    ready`, at 1, 100 and 1,000 sessions, p50 and p99, with the model's share beside it:
 *    sessions conversing at a customer's pace (a 10 s pause after each reply) and saturated
 *    (the next message as soon as the reply is ready), on PostgreSQL (PGlite for reference).
 *    A run whose server stops finishing turns is reported STALLED and its server killed (the
 *    turn locks once deadlocked that way, so the bench keeps watching for it).
 * 2. Idle SSE streams one server process holds, and its memory per stream.
 * 3. Requests per second of `POST …/events`, on PostgreSQL and PGlite.
 *
 * Prints a table and writes `bench/results/http.json`. PostgreSQL comes from `DATABASE_URL`
 * (default `postgres://postgres@127.0.0.1:5432/test`), used inside a throwaway schema dropped
 * afterwards. `--quick` runs smaller figures; `--cpu-prof` writes the server children's CPU
 * profiles under `bench/results/http-profiles/`, `--heap-snapshot` the idle-streams server's
 * heap before and after opening its streams there too; `--only=latency,streams,throughput`
 * runs only the parts named.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type BenchRow,
  type BenchTarget,
  createBenchRow,
  describeTarget,
} from '../store/bench-row';
import { formatBenchTable } from '../store/format-bench-table';
import { createPhaseLog } from '../store/phase-log';
import { openPostgresBenchSchema, type PostgresBenchSchema } from '../store/postgres-bench-schema';
import {
  type HttpBenchResults,
  type HttpBenchSettings,
  type LatencyRunResult,
  type LatencyRunSettings,
  runHttpScenarios,
} from './run-http-scenarios';

const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';
const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--cpu-prof');
const heapSnapshot = process.argv.includes('--heap-snapshot');

/** The targets; printed against, never asserted. */
const firstDeltaTarget: BenchTarget = { comparison: 'at-most', value: 25 };
const streamsTarget: BenchTarget = { comparison: 'at-least', value: 5_000 };
const memoryPerStreamTarget: BenchTarget = { comparison: 'at-most', value: 30 };

/** A customer's pause between a reply and their next message, on average (see `thinkTimeMs`). */
const thinkTimeMs = 10_000;

type RunOptions = Partial<Pick<LatencyRunSettings, 'eventBus' | 'thinkTimeMs'>>;
const latencyRun = (
  database: LatencyRunSettings['database'],
  sessions: number,
  warmupRounds: number,
  measuredRounds: number,
  options: RunOptions = {},
): LatencyRunSettings => ({
  database,
  eventBus: options.eventBus ?? 'in-process',
  thinkTimeMs: options.thinkTimeMs ?? 0,
  sessions,
  warmupRounds,
  measuredRounds,
});
// Sessions conversing at a customer's pace; without it, every session sends its next message
// as soon as its reply is ready (the server saturated: `sessions` turns always under way).
const paced = { thinkTimeMs } as const;
// What several instances sharing one database pay: every delta through NOTIFY.
const notifyBus = { eventBus: 'postgresql' } as const;

const resultsFolder = new URL('../results/', import.meta.url);
const settings: HttpBenchSettings = quick
  ? {
      latency: [
        latencyRun('pglite', 1, 10, 50),
        latencyRun('pglite', 100, 1, 1, paced),
        latencyRun('postgresql', 1, 10, 50),
        latencyRun('postgresql', 100, 1, 1, paced),
        latencyRun('postgresql', 1_000, 1, 1, paced),
        latencyRun('postgresql', 100, 1, 1),
      ],
      idleStreams: { streams: 1_000 },
      throughput: {
        databases: ['postgresql'],
        sessions: 100,
        concurrency: 32,
        warmupSeconds: 2,
        measuredSeconds: 5,
      },
      serverPoolSize: 20,
      cpuProfileFolder: null,
      heapSnapshotFolder: null,
    }
  : {
      latency: [
        latencyRun('pglite', 1, 50, 200),
        latencyRun('pglite', 100, 1, 2, paced),
        latencyRun('pglite', 100, 1, 2),
        latencyRun('postgresql', 1, 50, 200),
        latencyRun('postgresql', 100, 1, 3, paced),
        latencyRun('postgresql', 1_000, 1, 2, paced),
        latencyRun('postgresql', 100, 1, 3),
        latencyRun('postgresql', 1_000, 1, 2),
        latencyRun('postgresql', 1, 50, 200, notifyBus),
        latencyRun('postgresql', 100, 1, 2, { ...paced, ...notifyBus }),
      ],
      idleStreams: { streams: 5_000 },
      throughput: {
        databases: ['postgresql', 'pglite'],
        sessions: 100,
        concurrency: 32,
        warmupSeconds: 3,
        measuredSeconds: 10,
      },
      serverPoolSize: 20,
      cpuProfileFolder: null,
      heapSnapshotFolder: null,
    };
// `--only=latency,streams,throughput` runs those parts alone.
const only = process.argv
  .find((argument) => argument.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
if (only && !only.includes('latency')) settings.latency = [];
if (only && !only.includes('streams')) settings.idleStreams = null;
if (only && !only.includes('throughput')) settings.throughput = null;
const profileFolder = fileURLToPath(new URL('http-profiles/', resultsFolder));
if (profile) settings.cpuProfileFolder = profileFolder;
if (heapSnapshot) settings.heapSnapshotFolder = profileFolder;

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** How a latency run is named in the table: sessions, pace and bus. */
function describeRun(run: LatencyRunResult): string {
  const parts = [
    `${run.sessions.toLocaleString('en-US')} session${run.sessions === 1 ? '' : 's'}`,
    run.thinkTimeMs > 0
      ? `${run.thinkTimeMs / 1000} s think`
      : run.sessions === 1
        ? 'back to back'
        : 'saturated',
  ];
  if (run.eventBus === 'postgresql') parts.push('NOTIFY bus');
  return parts.join(', ');
}

/** The table's rows: the figures the issue names, with their targets where it sets one. */
function rowsOf(results: HttpBenchResults): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const run of results.latency) {
    const where = describeRun(run);
    if (run.stalled) {
      // No figures: the server stopped finishing turns and was killed.
      rows.push(
        createBenchRow(
          `STALLED (no turn ended for 20 s), ${where}: turns ended before`,
          run.database,
          run.stalled.turnsFinished,
          'turns',
        ),
      );
      continue;
    }
    // The model's share as the engine waits for it: the judgement, then the reply's first part.
    const modelMs = run.model.engineSide.structured.p50 + run.model.engineSide.streamFirstPart.p50;
    const isTargeted =
      run.database === 'postgresql' &&
      run.eventBus === 'in-process' &&
      run.sessions === 100 &&
      run.thinkTimeMs > 0;
    rows.push(
      createBenchRow(`POST → first delta p50, ${where}`, run.database, run.firstDeltaMs.p50, 'ms'),
      createBenchRow(
        isTargeted
          ? `  same, model wait excluded (${where})`
          : '  same, model wait (judgement + first token) excluded',
        run.database,
        run.firstDeltaMs.p50 - modelMs,
        'ms',
        isTargeted ? firstDeltaTarget : null,
      ),
      createBenchRow(`  first delta p99`, run.database, run.firstDeltaMs.p99, 'ms'),
      createBenchRow(`  POST → ready p50`, run.database, run.readyMs.p50, 'ms'),
      createBenchRow(`  POST → ready p99`, run.database, run.readyMs.p99, 'ms'),
      createBenchRow(`  model wait p50 (engine side)`, run.database, modelMs, 'ms'),
      createBenchRow(
        `  model server's own time p50 (judgement + reply)`,
        run.database,
        run.model.fakeServer.structured.p50 + run.model.fakeServer.streamed.p50,
        'ms',
      ),
      createBenchRow(`  turns per second`, run.database, run.turnsPerSecond, 'turns/s'),
      createBenchRow(`  server CPU per turn`, run.database, run.serverCpuMsPerTurn, 'ms'),
      ...(run.databaseQueriesPerTurn === null
        ? []
        : [
            createBenchRow(
              '  database queries per turn',
              run.database,
              run.databaseQueriesPerTurn,
              'queries',
            ),
          ]),
      createBenchRow(`  failed turns`, run.database, run.failedTurns, 'turns'),
    );
  }
  const idle = results.idleStreams;
  if (idle) {
    rows.push(
      createBenchRow(
        'idle SSE streams held by one process',
        idle.database,
        idle.held,
        'streams',
        streamsTarget,
      ),
      createBenchRow(
        '  memory per idle stream (RSS, heap collected)',
        idle.database,
        idle.rssKibPerStream,
        'KiB',
        memoryPerStreamTarget,
      ),
      createBenchRow(
        '  memory per idle stream (V8 heap in use)',
        idle.database,
        idle.heapKibPerStream,
        'KiB',
      ),
      createBenchRow(
        '  memory per idle stream (V8 heap kept, in use or not)',
        idle.database,
        idle.heapCommittedKibPerStream,
        'KiB',
      ),
      createBenchRow(
        '  memory per idle stream (outside the heap)',
        idle.database,
        idle.externalKibPerStream,
        'KiB',
      ),
    );
  }
  for (const throughput of results.throughput) {
    const where = `${throughput.sessions} sessions, ${throughput.concurrency} at a time`;
    rows.push(
      createBenchRow(
        `POST …/events per second, ${where}`,
        throughput.database,
        throughput.requestsPerSecond,
        'req/s',
      ),
      createBenchRow(`  POST …/events p50`, throughput.database, throughput.latencyMs.p50, 'ms'),
      createBenchRow(`  POST …/events p99`, throughput.database, throughput.latencyMs.p99, 'ms'),
      createBenchRow(
        `  server CPU per request (turns included)`,
        throughput.database,
        throughput.serverCpuMsPerRequest,
        'ms',
      ),
      createBenchRow(
        `  failed POST …/events`,
        throughput.database,
        Object.values(throughput.failures).reduce((sum, count) => sum + count, 0),
        'requests',
      ),
    );
  }
  return rows;
}

async function main(): Promise<void> {
  const log = createPhaseLog();
  const startedAt = new Date();
  const loadAverageAtStart = os.loadavg().map((load) => Number(load.toFixed(2)));
  log.note(
    `machine: ${os.cpus().length} CPUs, load average ${loadAverageAtStart.join(' / ')} (1 / 5 / 15 min)${quick ? '; quick run' : ''}`,
  );
  const fromEnvironment = Boolean(process.env.DATABASE_URL);
  const databaseUrl = process.env.DATABASE_URL || defaultDatabaseUrl;
  let schema: PostgresBenchSchema | null = null;
  let postgresSkippedReason: string | null = null;
  try {
    schema = await openPostgresBenchSchema(databaseUrl);
    log.note(`PostgreSQL ${schema.serverVersion}, bench schema ${schema.schemaName}`);
  } catch (error) {
    postgresSkippedReason = describeError(error);
    log.note(
      `PostgreSQL scenarios SKIPPED: the database could not be used (${postgresSkippedReason})`,
    );
  }
  const openSchema = schema;
  const onInterrupt = () => {
    log.note('interrupted: dropping the bench schema');
    void (openSchema?.abort() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);

  let results: HttpBenchResults;
  try {
    if (profile || heapSnapshot) await mkdir(profileFolder, { recursive: true });
    results = await runHttpScenarios(
      settings,
      openSchema
        ? {
            connectionString: databaseUrl,
            schemaName: openSchema.schemaName,
            createPool: (max) => openSchema.createPool(max),
          }
        : null,
      log,
    );
  } finally {
    await openSchema?.drop();
    process.off('SIGINT', onInterrupt);
    if (openSchema) log.note(`dropped ${openSchema.schemaName}`);
  }

  const rows = rowsOf(results);
  const cpus = os.cpus();
  const report = {
    benchmark: 'http',
    date: startedAt.toISOString(),
    durationSeconds: Number(log.elapsedSeconds().toFixed(1)),
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpuModel: cpus[0]?.model ?? 'unknown',
      cpuCount: cpus.length,
      totalMemoryGiB: Number((os.totalmem() / 1024 ** 3).toFixed(1)),
      loadAverageAtStart,
      loadAverageAtEnd: os.loadavg().map((load) => Number(load.toFixed(2))),
    },
    settings: { ...settings, quick },
    postgresql: {
      status: openSchema ? 'measured' : 'skipped',
      urlSource: fromEnvironment ? 'DATABASE_URL' : 'default',
      serverVersion: openSchema?.serverVersion ?? null,
      settings: openSchema?.settings ?? null,
      skippedReason: postgresSkippedReason,
    },
    model: 'the real openai client against startFakeOpenAIServer in its own process, no delays',
    rows,
    results,
  };
  await mkdir(resultsFolder, { recursive: true });
  const resultsFile = new URL('http.json', resultsFolder);
  await writeFile(resultsFile, `${JSON.stringify(report, null, 2)}\n`);

  console.log('');
  console.log(formatBenchTable(rows));
  console.log('');
  for (const row of rows.filter((candidate) => candidate.target !== null)) {
    console.log(
      `Target: ${row.scenario.trim()} on ${row.database} ${describeTarget(row.target)} ${row.unit}: ${row.value.toFixed(1)} — ${row.met ? 'met' : 'not met'}`,
    );
  }
  for (const skipped of results.skipped) console.log(`Skipped: ${skipped}`);
  console.log(`Wrote ${fileURLToPath(resultsFile)} after ${log.elapsedSeconds().toFixed(1)} s.`);
}

main().catch((error: unknown) => {
  console.error('http bench failed:', error);
  process.exitCode = 1;
});
