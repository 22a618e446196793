import { randomBytes, randomUUID } from 'node:crypto';
import { createPostgresStore } from '@parley/core/postgres';
import type pg from 'pg';
import type { PhaseLog } from '../store/phase-log';
import type {
  BenchServerConfig,
  BenchServerReady,
  BenchServerStatus,
  BenchServerTimes,
  FakeModelReady,
  FakeModelTimes,
} from './child-messages';
import { type IdleStreamsMeasurement, measureIdleStreams } from './measure-idle-streams';
import {
  type MessageThroughputMeasurement,
  type MessageThroughputSettings,
  measureMessageThroughput,
} from './measure-message-throughput';
import {
  measureReplyLatency,
  type ReplyLatencyMeasurement,
  type ReplyLatencySettings,
} from './measure-reply-latency';
import { seedWidgetSessions } from './seed-widget-sessions';
import { type BenchChild, startBenchChild } from './start-bench-child';

type Database = BenchServerConfig['database'];
type EventBusKind = BenchServerConfig['eventBus'];

/** One reply-latency run: how many sessions, on which database and bus. */
export interface LatencyRunSettings extends ReplyLatencySettings {
  database: Database;
  eventBus: EventBusKind;
}

/** What the HTTP bench runs; scenarios on PostgreSQL need {@link HttpBenchPostgres}. */
export interface HttpBenchSettings {
  latency: LatencyRunSettings[];
  /** Idle streams held by one server, on PostgreSQL; `null` to skip. */
  idleStreams: { streams: number } | null;
  /** Throughput of `POST …/events`, on each of `databases` (a fresh server each); `null` to skip. */
  throughput: (MessageThroughputSettings & { databases: Database[] }) | null;
  /** Connections of a server child's pool. */
  serverPoolSize: number;
  /** Where the server children write `--cpu-prof` profiles; `null` for none. */
  cpuProfileFolder: string | null;
  /** Where the idle-streams server writes heap snapshots before and after; `null` for none. */
  heapSnapshotFolder: string | null;
}

/** The PostgreSQL the bench may use: a throwaway schema and a way to reach it. */
export interface HttpBenchPostgres {
  connectionString: string;
  schemaName: string;
  /** A pool whose connections put the schema first on their `search_path`. */
  createPool(max: number): pg.Pool;
}

/** Where the model's time went during a run: the engine's view and the fake server's own. */
export interface ModelShare {
  /** The engine's wait on its model (the `openai` client, HTTP, the fake). */
  engineSide: BenchServerTimes['model'];
  /** The fake server's own time per request (headers in to response end). */
  fakeServer: Pick<FakeModelTimes, 'streamed' | 'structured'>;
}

/** A reply-latency run's figures, with the server's and the fake's CPU time per turn. */
export interface LatencyRunResult extends ReplyLatencyMeasurement {
  database: Database;
  eventBus: EventBusKind;
  model: ModelShare;
  /** CPU time of the Parley server process per measured turn (user + system). */
  serverCpuMsPerTurn: number;
  /** CPU time of the fake model process per measured turn. */
  fakeModelCpuMsPerTurn: number;
  /** Queries the server sent to PostgreSQL per measured turn (its streams' included); `null` on PGlite. */
  databaseQueriesPerTurn: number | null;
  /** What the server said when the run stalled (then it was killed); `null` if it did not. */
  serverAtStall: BenchServerStatus | null;
}

/** A throughput run's figures. */
export interface ThroughputRunResult extends MessageThroughputMeasurement {
  database: Database;
  eventBus: 'in-process';
  /** Server CPU per answered request, the turns it started included (those within the window). */
  serverCpuMsPerRequest: number;
}

/** Everything the HTTP bench measured. */
export interface HttpBenchResults {
  latency: LatencyRunResult[];
  idleStreams: (IdleStreamsMeasurement & { database: 'postgresql' }) | null;
  throughput: ThroughputRunResult[];
  /** Scenarios that were asked for but not run, and why. */
  skipped: string[];
}

const serverEntry = new URL('./bench-server-process.ts', import.meta.url);
const fakeModelEntry = new URL('./fake-model-process.ts', import.meta.url);
const cpuMilliseconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
const delay = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Runs the HTTP bench's scenarios: each Parley server is a child process of its own (one per
 * database and bus, reused across its session counts; a fresh one for idle streams, so its
 * memory holds nothing else), the fake OpenAI server another, and the clients run here.
 */
export async function runHttpScenarios(
  settings: HttpBenchSettings,
  postgres: HttpBenchPostgres | null,
  log: PhaseLog,
): Promise<HttpBenchResults> {
  const customerTokenSecret = randomBytes(32).toString('hex');
  const results: HttpBenchResults = {
    latency: [],
    idleStreams: null,
    throughput: [],
    skipped: [],
  };
  const skip = (what: string) => {
    results.skipped.push(what);
    log.note(`SKIPPED ${what}`);
  };

  const startServer = (database: Database, eventBus: EventBusKind, baseURL: string) => {
    const config: BenchServerConfig = {
      database,
      postgres:
        database === 'postgresql' && postgres
          ? {
              connectionString: postgres.connectionString,
              schemaName: postgres.schemaName,
              poolSize: settings.serverPoolSize,
            }
          : null,
      eventBus,
      modelBaseUrl: baseURL,
      customerTokenSecret,
      workspaceId: `http-bench-${randomUUID()}`,
      heapSnapshotFolder: settings.heapSnapshotFolder,
    };
    const nodeFlags = settings.cpuProfileFolder
      ? ['--cpu-prof', `--cpu-prof-dir=${settings.cpuProfileFolder}`]
      : [];
    return log.phase(`starting a Parley server on ${database} (${eventBus} bus)`, async () => ({
      config,
      child: await startBenchChild<BenchServerReady>(serverEntry, config, { nodeFlags }),
    }));
  };

  const fakeModel = await log.phase('starting the fake OpenAI server', () =>
    startBenchChild<FakeModelReady>(fakeModelEntry, null),
  );
  try {
    // One server per database and bus, in the order the runs were listed.
    const groups = new Map<string, LatencyRunSettings[]>();
    for (const run of settings.latency) {
      if (run.database === 'postgresql' && !postgres) {
        skip(`reply latency at ${run.sessions} sessions on PostgreSQL: no database`);
        continue;
      }
      const key = `${run.database}/${run.eventBus}`;
      groups.set(key, [...(groups.get(key) ?? []), run]);
    }
    for (const runs of groups.values()) {
      const { database, eventBus } = runs[0] as LatencyRunSettings;
      const start = async () =>
        (await startServer(database, eventBus, fakeModel.ready.baseURL)).child;
      let server: BenchChild<BenchServerReady> | null = await start();
      try {
        for (const run of runs) {
          server ??= await start();
          const current = server;
          const pace =
            run.thinkTimeMs > 0 ? `${run.thinkTimeMs / 1000} s think time` : 'no think time';
          const measured = await log.phase(
            `reply latency: ${run.sessions} sessions on ${database} (${eventBus} bus), ${pace}, ${run.warmupRounds} + ${run.measuredRounds} turns each`,
            () =>
              measureReplyLatency(current.ready, run, {
                beforeMeasuring: async () => {
                  await current.ask('times');
                  await fakeModel.ask('times');
                },
              }),
          );
          const serverTimes = await current.ask<BenchServerTimes>('times');
          const fakeTimes = await fakeModel.ask<FakeModelTimes>('times');
          const status = await current.ask<BenchServerStatus>('status');
          results.latency.push({
            database,
            eventBus,
            ...measured,
            model: {
              engineSide: serverTimes.model,
              fakeServer: { streamed: fakeTimes.streamed, structured: fakeTimes.structured },
            },
            serverCpuMsPerTurn: cpuMilliseconds(serverTimes.cpu) / measured.turns,
            fakeModelCpuMsPerTurn: cpuMilliseconds(fakeTimes.cpu) / measured.turns,
            databaseQueriesPerTurn:
              serverTimes.databaseQueries === null
                ? null
                : serverTimes.databaseQueries / measured.turns,
            serverAtStall: measured.stalled ? status : null,
          });
          if (measured.stalled) {
            log.note(
              `  STALLED during the ${measured.stalled.during}: no turn ended for 20 s after ${measured.stalled.turnsFinished} turns; the server has ${status.turnsInFlight} turns in flight; killing it`,
            );
            // A stuck server never finishes closing (its turns hold what closing waits for).
            server = null;
            await current.stop(2_000);
            continue;
          }
          log.note(
            `  first delta p50 ${measured.firstDeltaMs.p50.toFixed(1)} ms, p99 ${measured.firstDeltaMs.p99.toFixed(1)} ms; ready p50 ${measured.readyMs.p50.toFixed(1)} ms; ${measured.turnsPerSecond.toFixed(0)} turns/s; ${measured.failedTurns} failed`,
          );
          await waitForIdle(current);
        }
      } finally {
        await server?.stop();
      }
    }

    for (const database of settings.throughput?.databases ?? []) {
      const throughput = settings.throughput as NonNullable<HttpBenchSettings['throughput']>;
      if (database === 'postgresql' && !postgres) {
        skip('message route throughput on PostgreSQL: no database');
        continue;
      }
      const { child: server } = await startServer(database, 'in-process', fakeModel.ready.baseURL);
      try {
        results.throughput.push(await measureThroughputOn(server, database, throughput, log));
      } finally {
        await server.stop();
      }
    }

    if (settings.idleStreams && postgres) {
      const { streams } = settings.idleStreams;
      const { child: server, config } = await startServer(
        'postgresql',
        'in-process',
        fakeModel.ready.baseURL,
      );
      try {
        const pool = postgres.createPool(16);
        const store = await createPostgresStore({ pool, migrate: false });
        const sessions = await log.phase(`seeding ${streams} widget sessions`, async () => {
          try {
            return await seedWidgetSessions(
              store,
              { ...server.ready, workspaceId: config.workspaceId, customerTokenSecret },
              streams,
            );
          } finally {
            await store.close();
            await pool.end();
          }
        });
        const measured = await log.phase(`holding ${streams} idle streams`, () =>
          measureIdleStreams(server, sessions, {
            heapSnapshots: settings.heapSnapshotFolder !== null,
          }),
        );
        results.idleStreams = { database: 'postgresql', ...measured };
        log.note(
          `  held ${measured.held} streams (server counts ${measured.server.streams}); RSS ${measured.rssKibPerStream.toFixed(1)} KiB, heap in use ${measured.heapKibPerStream.toFixed(1)} KiB (kept ${measured.heapCommittedKibPerStream.toFixed(1)} KiB) per stream`,
        );
      } finally {
        await server.stop();
      }
    } else if (settings.idleStreams) {
      skip('idle streams on PostgreSQL: no database');
    }
  } finally {
    await fakeModel.stop();
  }
  return results;
}

async function measureThroughputOn(
  server: BenchChild<BenchServerReady>,
  database: Database,
  settings: MessageThroughputSettings,
  log: PhaseLog,
): Promise<ThroughputRunResult> {
  let windowStarted: Promise<unknown> = Promise.resolve();
  const measured = await log.phase(
    `POST …/events throughput on ${database}: ${settings.sessions} sessions, ${settings.concurrency} at a time, ${settings.measuredSeconds} s`,
    () =>
      // The server's CPU clock restarts when the measured window opens (after the warm-up).
      measureMessageThroughput(server.ready, settings, () => {
        windowStarted = server.ask('times');
      }),
  );
  await windowStarted;
  const { cpu } = await server.ask<BenchServerTimes>('times');
  log.note(
    `  ${measured.requestsPerSecond.toFixed(0)} requests/s, p50 ${measured.latencyMs.p50.toFixed(1)} ms; waiting for the turns it started`,
  );
  await waitForIdle(server);
  return {
    database,
    eventBus: 'in-process',
    ...measured,
    // Includes the turns the requests started that ran within the window.
    serverCpuMsPerRequest: cpuMilliseconds(cpu) / measured.requests,
  };
}

/** Waits (up to two minutes) until the server runs no turn and holds no stream. */
async function waitForIdle(server: BenchChild<BenchServerReady>): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = await server.ask<BenchServerStatus>('status');
    if (status.turnsInFlight === 0 && status.streams === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`the server stayed busy: ${JSON.stringify(status)}`);
    }
    await delay(100);
  }
}
