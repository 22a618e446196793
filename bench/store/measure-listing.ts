import type { Store } from '@parley/core';
import { createSeededRandom, randomInteger } from '@parley/core/testing';
import { type LatencySummary, summarizeLatencies } from '../shared/percentiles';

/** Options of {@link measureListing}. */
export interface ListingMeasurementOptions {
  workspaceId: string;
  /** Sessions to pick from at random; each holds at least `eventsPerSession` events. */
  sessionIds: readonly string[];
  eventsPerSession: number;
  /** Events asked for per listing. */
  pageSize: number;
  /** Timed listings. */
  iterations: number;
  /** Listings made, untimed, before the timed ones. */
  warmupIterations: number;
  /** Seed of the session and offset picks, so runs repeat the same access pattern. */
  seed: number;
}

/** What {@link measureListing} measured. */
export interface ListingMeasurement {
  pageSize: number;
  iterations: number;
  /** Latency of one `events.list` call, in milliseconds. */
  latency: LatencySummary;
  /** CPU time of this Node process per listing, in milliseconds (see `measureAppends`). */
  processCpuMsPerListing: number;
}

/**
 * Lists `pageSize` events after a random offset of a random session, through the store, one
 * listing at a time: what a client resuming a stream does. The offset is drawn so that a full
 * page always follows it (0 … 899 for 1,000 events and pages of 100), and every page is
 * checked to hold exactly the offsets that follow.
 */
export async function measureListing(
  store: Store,
  options: ListingMeasurementOptions,
): Promise<ListingMeasurement> {
  const workspace = store.forWorkspace(options.workspaceId);
  const random = createSeededRandom(options.seed);
  const lastAfter = options.eventsPerSession - options.pageSize - 1;

  const listOnce = async (): Promise<number> => {
    const sessionIndex = randomInteger(random, 0, options.sessionIds.length - 1);
    const sessionId = options.sessionIds[sessionIndex] ?? '';
    const after = randomInteger(random, 0, lastAfter);
    const started = performance.now();
    const events = await workspace.events.list(sessionId, { after, limit: options.pageSize });
    const elapsed = performance.now() - started;
    const first = events[0]?.offset;
    const last = events.at(-1)?.offset;
    if (
      events.length !== options.pageSize ||
      first !== after + 1 ||
      last !== after + options.pageSize
    ) {
      throw new Error(
        `Session ${sessionId} after ${after}: listed ${events.length} events, offsets ${first}…${last}`,
      );
    }
    return elapsed;
  };

  for (let iteration = 0; iteration < options.warmupIterations; iteration += 1) await listOnce();
  const latencies: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let iteration = 0; iteration < options.iterations; iteration += 1) {
    latencies.push(await listOnce());
  }
  const cpu = process.cpuUsage(cpuBefore);
  return {
    pageSize: options.pageSize,
    iterations: options.iterations,
    latency: summarizeLatencies(latencies),
    processCpuMsPerListing: (cpu.user + cpu.system) / 1000 / options.iterations,
  };
}
