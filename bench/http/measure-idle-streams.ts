import type { BenchServerReady, BenchServerStatus } from './child-messages';
import { connectToSessionStream, type SessionStreamConnection } from './connect-to-session-stream';
import type { BenchChild } from './start-bench-child';
import { mapConcurrently, type WidgetSession } from './widget-session';

/** Memory figures of the server child, in bytes, after garbage collection. */
type Memory = Pick<
  NodeJS.MemoryUsage,
  'rss' | 'heapUsed' | 'heapTotal' | 'external' | 'arrayBuffers'
>;

/** What holding many idle streams costs the server. */
export interface IdleStreamsMeasurement {
  /** Streams the bench tried to open. */
  attempted: number;
  /** Streams that connected and were still open when memory was measured (client side). */
  held: number;
  /** The server's own count: its `parley_sse_clients` gauge and its sockets. */
  server: BenchServerStatus;
  failures: Record<string, number>;
  memoryBefore: Memory;
  memoryAfter: Memory;
  /** Growth of the resident set per stream held, in KiB. */
  rssKibPerStream: number;
  /** Growth of the V8 heap in use per stream held, in KiB. */
  heapKibPerStream: number;
  /**
   * Growth of the V8 heap V8 keeps (in use or not) per stream held, in KiB: after the garbage
   * of opening thousands of streams, V8 keeps the pages it grew into for a while, and the
   * resident set follows this figure rather than the heap in use.
   */
  heapCommittedKibPerStream: number;
  /** Growth of memory outside the V8 heap (buffers) per stream held, in KiB. */
  externalKibPerStream: number;
  /** How long opening every stream took. */
  openingSeconds: number;
  /** The server's heap snapshots before and after, when they were asked for. */
  heapSnapshots: { before: string; after: string } | null;
}

const delay = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Opens one idle stream per session against a server that has done nothing else, and
 * measures the server's memory (after garbage collection) before and after: the difference
 * per stream is what a stream costs to hold. A few streams are opened and closed first, so
 * the code they run is loaded and compiled before the baseline is taken.
 */
export async function measureIdleStreams(
  server: BenchChild<BenchServerReady>,
  sessions: readonly WidgetSession[],
  options: { openConcurrency?: number; settleMs?: number; heapSnapshots?: boolean } = {},
): Promise<IdleStreamsMeasurement> {
  const { baseUrl } = server.ready;
  const ignoreFrames = () => undefined;
  const warmup = sessions.slice(0, Math.min(10, sessions.length));
  const warmupConnections = warmup.map((session) =>
    connectToSessionStream(baseUrl, session, ignoreFrames),
  );
  await Promise.all(warmupConnections.map((connection) => connection.connected));
  for (const connection of warmupConnections) connection.close();
  await Promise.allSettled(warmupConnections.map((connection) => connection.ended));
  await waitForStreams(server, 0);
  await delay(options.settleMs ?? 1_000);

  const pick = ({ rss, heapUsed, heapTotal, external, arrayBuffers }: NodeJS.MemoryUsage) => ({
    rss,
    heapUsed,
    heapTotal,
    external,
    arrayBuffers,
  });
  const memoryBefore = pick(await server.ask<NodeJS.MemoryUsage>('memory'));
  const snapshotBefore = options.heapSnapshots ? await server.ask<string>('heap-snapshot') : null;
  const connections: SessionStreamConnection[] = [];
  const failures: Record<string, number> = {};
  const openingStarted = performance.now();
  try {
    const opened = await mapConcurrently(
      sessions,
      options.openConcurrency ?? 200,
      async (session) => {
        const connection = connectToSessionStream(baseUrl, session, ignoreFrames);
        connections.push(connection);
        try {
          await connection.connected;
          return true;
        } catch (error) {
          const reason = String(error).slice(0, 120);
          failures[reason] = (failures[reason] ?? 0) + 1;
          return false;
        }
      },
    );
    const openingSeconds = (performance.now() - openingStarted) / 1000;
    await delay(options.settleMs ?? 1_000);
    const memoryAfter = pick(await server.ask<NodeJS.MemoryUsage>('memory'));
    const serverStatus = await server.ask<BenchServerStatus>('status');
    const snapshotAfter = snapshotBefore ? await server.ask<string>('heap-snapshot') : null;
    const held = opened.filter(Boolean).length;
    const perStream = (key: keyof Memory) =>
      held === 0 ? Number.NaN : (memoryAfter[key] - memoryBefore[key]) / held / 1024;
    return {
      attempted: sessions.length,
      held,
      server: serverStatus,
      failures,
      memoryBefore,
      memoryAfter,
      rssKibPerStream: perStream('rss'),
      heapKibPerStream: perStream('heapUsed'),
      heapCommittedKibPerStream: perStream('heapTotal'),
      externalKibPerStream: perStream('external'),
      openingSeconds,
      heapSnapshots:
        snapshotBefore && snapshotAfter ? { before: snapshotBefore, after: snapshotAfter } : null,
    };
  } finally {
    for (const connection of connections) connection.close();
    await Promise.allSettled(connections.map((connection) => connection.ended));
    await waitForStreams(server, 0);
  }
}

/** Waits (up to a minute) until the server holds `count` streams. */
async function waitForStreams(server: BenchChild<BenchServerReady>, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await server.ask<BenchServerStatus>('status')).streams !== count) {
    if (Date.now() > deadline) throw new Error(`the server did not get to ${count} streams`);
    await delay(100);
  }
}
