import type { Store, WorkspaceStore } from '@parley/core';
import { type LatencySummary, summarizeLatencies } from '../shared/percentiles';
import { createCustomerMessage } from './customer-message';

/** Options of {@link measureAppends}. */
export interface AppendMeasurementOptions {
  /** The workspace the bench writes to (one per run). */
  workspaceId: string;
  /** The agent the bench's sessions belong to. */
  agentId: string;
  /** How many sessions are appended to at once, each by its own sequential loop. */
  sessionCount: number;
  /** How long the timed part runs, in milliseconds. */
  durationMs: number;
  /** Appends made (and not timed) before the timed part, spread over the sessions. */
  warmupAppends: number;
}

/** What {@link measureAppends} measured. */
export interface AppendMeasurement {
  sessionCount: number;
  /** Appends completed in the timed part, all sessions together. */
  appends: number;
  /** From the start of the timed part until the last loop's last append returned. */
  elapsedMs: number;
  appendsPerSecond: number;
  /** Latency of one `events.append` call as its caller waits for it. */
  latency: LatencySummary;
  /**
   * CPU time of this Node process per append, in milliseconds. On PostgreSQL that is the
   * client side alone (validation, SQL building, the driver); PGlite runs the database in
   * this process too, so there it is nearly all the work.
   */
  processCpuMsPerAppend: number;
}

/**
 * Appends one customer message per call, through the store, to `sessionCount` fresh sessions
 * concurrently: one loop per session, each waiting for its append before the next, as one
 * conversation does. Every returned offset is checked, so a throughput figure never hides
 * offsets that went wrong under concurrency.
 */
export async function measureAppends(
  store: Store,
  options: AppendMeasurementOptions,
): Promise<AppendMeasurement> {
  const workspace = store.forWorkspace(options.workspaceId);
  const sessionIds: string[] = [];
  for (let index = 0; index < options.sessionCount; index += 1) {
    const session = await workspace.sessions.create({ agentId: options.agentId });
    sessionIds.push(session.id);
  }
  const nextOffsets = new Map(sessionIds.map((sessionId) => [sessionId, 0]));

  // The warm-up has the timed part's shape, so every pooled connection is open and every
  // statement planned before the clock starts.
  const warmupPerSession = Math.ceil(options.warmupAppends / options.sessionCount);
  await runAppendLoops(workspace, nextOffsets, (appendsInLoop) => appendsInLoop < warmupPerSession);

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const deadline = started + options.durationMs;
  const latencies = await runAppendLoops(
    workspace,
    nextOffsets,
    () => performance.now() < deadline,
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);

  return {
    sessionCount: options.sessionCount,
    appends: latencies.length,
    elapsedMs,
    appendsPerSecond: (latencies.length / elapsedMs) * 1000,
    latency: summarizeLatencies(latencies),
    processCpuMsPerAppend: (cpu.user + cpu.system) / 1000 / latencies.length,
  };
}

/** Runs one sequential append loop per session until `keepGoing` says stop; returns the latencies. */
async function runAppendLoops(
  workspace: WorkspaceStore,
  nextOffsets: Map<string, number>,
  keepGoing: (appendsInLoop: number) => boolean,
): Promise<number[]> {
  const latencies: number[] = [];
  let sequence = 0;
  await Promise.all(
    [...nextOffsets.keys()].map(async (sessionId) => {
      for (let appendsInLoop = 0; keepGoing(appendsInLoop); appendsInLoop += 1) {
        const message = createCustomerMessage(sequence);
        sequence += 1;
        const started = performance.now();
        const [appended] = await workspace.events.append(sessionId, [message]);
        latencies.push(performance.now() - started);
        const expectedOffset = nextOffsets.get(sessionId) ?? 0;
        if (appended?.offset !== expectedOffset) {
          throw new Error(
            `Session ${sessionId}: append returned offset ${appended?.offset}, expected ${expectedOffset}`,
          );
        }
        nextOffsets.set(sessionId, expectedOffset + 1);
      }
    }),
  );
  return latencies;
}
