import type { Store } from '@parley/core';
import { type BenchDatabase, type BenchRow, type BenchTarget, createBenchRow } from './bench-row';
import { type AppendMeasurement, measureAppends } from './measure-appends';
import { type ListingMeasurement, measureListing } from './measure-listing';
import type { PhaseLog } from './phase-log';
import type { RunSql } from './run-sql';
import { seedEvents } from './seed-events';

/** How long and how big each scenario is; the same for every database. */
export interface StoreScenarioSettings {
  appendDurationMs: number;
  warmupAppends: number;
  concurrentSessions: number;
  listing: {
    sessionCount: number;
    eventsPerSession: number;
    sessionsPerBatch: number;
    pageSize: number;
    iterations: number;
    warmupIterations: number;
    seed: number;
  };
}

/** Options of {@link runStoreScenarios}. */
export interface StoreScenarioOptions {
  database: BenchDatabase;
  workspaceId: string;
  settings: StoreScenarioSettings;
  log: PhaseLog;
  /** Seeding stops early past this many milliseconds (see `seedEvents`); omit for no limit. */
  seedTimeBudgetMs?: number;
}

/** The seeding as recorded, without the list of session ids. */
export interface SeedingRecord {
  sessions: number;
  eventsPerSession: number;
  eventsSeeded: number;
  elapsedMs: number;
  insertMs: number;
  indexAndVacuumMs: number;
  stoppedByTimeBudget: boolean;
}

/** Everything one database's run measured. */
export interface StoreScenarioResults {
  database: BenchDatabase;
  rows: BenchRow[];
  appends: AppendMeasurement[];
  seeding: SeedingRecord;
  /** The listing, with the number of rows `parley_event` actually held while it ran. */
  listing: ListingMeasurement & { tableEvents: number };
}

/** The figures the issue asks for; anything not named here is reported without a target. */
const targets: Record<string, Partial<Record<BenchDatabase, BenchTarget>>> = {
  appendsOneSession: { pglite: { comparison: 'at-least', value: 2_000 } },
  appendsConcurrent: { postgresql: { comparison: 'at-least', value: 5_000 } },
  listingP50: { postgresql: { comparison: 'at-most', value: 2 } },
};

/**
 * Runs every scenario against one store: appends on one session, appends on many sessions at
 * once, then seeding a large event table and listing pages out of it. `runSql` reaches the
 * same database as `store`; only the seeding uses it.
 */
export async function runStoreScenarios(
  store: Store,
  runSql: RunSql,
  options: StoreScenarioOptions,
): Promise<StoreScenarioResults> {
  const { database, log, settings, workspaceId } = options;
  const workspace = store.forWorkspace(workspaceId);
  const agent = await workspace.agents.create({ name: `Store bench ${database}` });
  const rows: BenchRow[] = [];
  const appends: AppendMeasurement[] = [];

  for (const sessionCount of [1, settings.concurrentSessions]) {
    const label = sessionCount === 1 ? '1 session' : `${sessionCount} sessions concurrently`;
    const measured = await log.phase(`${database}: appends, ${label}`, () =>
      measureAppends(store, {
        workspaceId,
        agentId: agent.id,
        sessionCount,
        durationMs: settings.appendDurationMs,
        warmupAppends: settings.warmupAppends,
      }),
    );
    appends.push(measured);
    const target =
      sessionCount === 1
        ? targets.appendsOneSession?.[database]
        : targets.appendsConcurrent?.[database];
    rows.push(
      createBenchRow(`append, ${label}`, database, measured.appendsPerSecond, 'appends/s', target),
      createBenchRow(`append latency p50, ${label}`, database, measured.latency.p50, 'ms'),
      createBenchRow(`append latency p99, ${label}`, database, measured.latency.p99, 'ms'),
    );
  }

  const { listing: listingSettings } = settings;
  const plannedEvents = listingSettings.sessionCount * listingSettings.eventsPerSession;
  let reportedQuarter = 0;
  const seeded = await log.phase(
    `${database}: seeding ${plannedEvents.toLocaleString('en-US')} events with set-based SQL`,
    () =>
      seedEvents(runSql, {
        workspaceId,
        agentId: agent.id,
        sessionCount: listingSettings.sessionCount,
        eventsPerSession: listingSettings.eventsPerSession,
        sessionsPerBatch: listingSettings.sessionsPerBatch,
        timeBudgetMs: options.seedTimeBudgetMs,
        onInsertsDone: () =>
          log.note('  inserts done; rebuilding indexes and constraints, vacuuming'),
        onProgress: ({ events, elapsedMs }) => {
          // A line per quarter of the planned table, so a slow seed shows it is moving.
          const quarter = Math.floor((events * 4) / plannedEvents);
          if (quarter > reportedQuarter) {
            reportedQuarter = quarter;
            log.note(
              `  ${events.toLocaleString('en-US')} events after ${(elapsedMs / 1000).toFixed(1)} s`,
            );
          }
        },
      }),
  );
  if (seeded.stoppedByTimeBudget) {
    log.note(
      `  ${database}: seeding stopped by its ${((options.seedTimeBudgetMs ?? 0) / 1000).toFixed(0)} s budget at ${seeded.eventCount.toLocaleString('en-US')} events; listing uses that smaller table`,
    );
  }

  // The store must go on appending after seeded rows: the next offset is the seeded count.
  const [firstSeeded] = seeded.sessionIds;
  if (firstSeeded !== undefined) {
    const [appended] = await workspace.events.append(firstSeeded, [
      { kind: 'message', source: 'customer', data: { text: 'One more question after seeding.' } },
    ]);
    if (appended?.offset !== seeded.eventsPerSession) {
      throw new Error(
        `Seeded session ${firstSeeded}: the store appended at offset ${appended?.offset}, expected ${seeded.eventsPerSession}`,
      );
    }
  }

  const countRows = await runSql('select count(*)::integer as events from parley_event');
  const tableEvents = Number(countRows[0]?.events ?? 0);
  const listed = await log.phase(
    `${database}: listing ${listingSettings.pageSize} events after an offset, ${tableEvents.toLocaleString('en-US')} events in the table`,
    () =>
      measureListing(store, {
        workspaceId,
        sessionIds: seeded.sessionIds,
        eventsPerSession: seeded.eventsPerSession,
        pageSize: listingSettings.pageSize,
        iterations: listingSettings.iterations,
        warmupIterations: listingSettings.warmupIterations,
        seed: listingSettings.seed,
      }),
  );
  const tableLabel = `${seeded.eventCount.toLocaleString('en-US')} events${seeded.stoppedByTimeBudget ? ' (smaller table)' : ''}`;
  const listingLabel = `list ${listingSettings.pageSize} after offset`;
  rows.push(
    createBenchRow(`seed ${tableLabel}`, database, seeded.elapsedMs / 1000, 's'),
    createBenchRow(
      `${listingLabel} p50, ${tableLabel}`,
      database,
      listed.latency.p50,
      'ms',
      targets.listingP50?.[database],
    ),
    createBenchRow(`${listingLabel} p99, ${tableLabel}`, database, listed.latency.p99, 'ms'),
    createBenchRow(`${listingLabel} mean, ${tableLabel}`, database, listed.latency.mean, 'ms'),
  );

  return {
    database,
    rows,
    appends,
    seeding: {
      sessions: seeded.sessionIds.length,
      eventsPerSession: seeded.eventsPerSession,
      eventsSeeded: seeded.eventCount,
      elapsedMs: seeded.elapsedMs,
      insertMs: seeded.insertMs,
      indexAndVacuumMs: seeded.indexAndVacuumMs,
      stoppedByTimeBudget: seeded.stoppedByTimeBudget,
    },
    listing: { ...listed, tableEvents },
  };
}
