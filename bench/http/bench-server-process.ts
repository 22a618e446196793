/**
 * Child process of the HTTP bench: Parley as a deployment runs it — an engine on PGlite or
 * PostgreSQL, the real `openai` client (against the fake model child), `createParleyHandler`
 * behind `node:http` through `toNodeListener` — and nothing else, so its CPU time and memory
 * are the server's alone. Configured by its first argument (a `BenchServerConfig` in JSON);
 * answers `status`, `memory`, `times`, `heap-snapshot` and `close` over IPC.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import v8 from 'node:v8';
import { createEngine, type EventBus, type Store } from '@parley/core';
import { createOpenAIChatModel } from '@parley/core/openai';
import { createPgliteStore } from '@parley/core/pglite';
import { createPostgresEventBus, createPostgresStore } from '@parley/core/postgres';
import { createParleyHandler, toNodeListener } from '@parley/http';
import pg from 'pg';
import { answerParent, collectedMemoryUsage } from './answer-parent';
import { benchAgent } from './bench-agent';
import type {
  BenchServerConfig,
  BenchServerReady,
  BenchServerStatus,
  BenchServerTimes,
} from './child-messages';
import { timeModelCalls } from './time-model-calls';

const config = JSON.parse(process.argv[2] ?? '{}') as BenchServerConfig;
const basePath = '/api/parley';

// Counts the queries every node-postgres client of this process sends: the pool's, and the
// store's turn-lock connection.
let databaseQueries = 0;
const sendQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(this: pg.Client, ...parameters: unknown[]) {
  databaseQueries += 1;
  return (sendQuery as (...values: unknown[]) => unknown).apply(this, parameters);
} as typeof sendQuery;

let pool: pg.Pool | null = null;
let store: Store;
if (config.database === 'postgresql' && config.postgres) {
  const { connectionString, schemaName, poolSize } = config.postgres;
  pool = new pg.Pool({
    connectionString,
    // Named after the schema, so an interrupted run's connections can be found and ended (the
    // store's turn-lock connection is opened with these settings too).
    application_name: schemaName,
    options: `-c search_path=${schemaName}`,
    max: poolSize,
  });
  pool.on('error', () => undefined);
  store = await createPostgresStore({ pool });
} else {
  store = await createPgliteStore();
}
const eventBus: EventBus | undefined =
  config.eventBus === 'postgresql' && pool ? createPostgresEventBus({ pool }) : undefined;
const model = timeModelCalls(
  // No retries: a failing call must show as a failed turn, not as a slow one.
  createOpenAIChatModel({
    model: 'bench-model',
    baseURL: config.modelBaseUrl,
    apiKey: 'bench',
    maxRetries: 0,
  }),
);
const engine = createEngine({ store, model, eventBus });
const { agent } = await engine.sync(config.workspaceId, benchAgent);
const issued = await engine.forWorkspace(config.workspaceId).agentKeys.issue({
  agentId: agent.id,
  name: 'Bench widget',
  allowedOrigins: ['*'],
});
const handler = await createParleyHandler({
  engine,
  basePath,
  customerTokenSecret: config.customerTokenSecret,
  // The bench is one client address sending thousands of requests: limits would only say no.
  rateLimit: false,
});
const server = http.createServer(toNodeListener(handler));
// Thousands of clients connect at once: a short accept queue would drop and delay some.
await new Promise<void>((resolve) =>
  server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve),
);
const { port } = server.address() as AddressInfo;
let cpuSince = process.cpuUsage();
let heapSnapshots = 0;

const openStreams = async () => {
  const gauge = await handler.metrics.registry.getSingleMetric('parley_sse_clients')?.get();
  return gauge?.values[0]?.value ?? 0;
};

answerParent(
  {
    baseUrl: `http://127.0.0.1:${port}${basePath}`,
    agentId: agent.id,
    agentKeyId: issued.agentKey.id,
    agentKey: issued.secret,
  } satisfies Omit<BenchServerReady, 'type'>,
  {
    async status(): Promise<BenchServerStatus> {
      const connections = await new Promise<number>((resolve) =>
        server.getConnections((error, count) => resolve(error ? -1 : count)),
      );
      return { turnsInFlight: engine.turnsInFlight, connections, streams: await openStreams() };
    },
    memory: () => collectedMemoryUsage(),
    'heap-snapshot'() {
      if (!config.heapSnapshotFolder) throw new Error('heap snapshots were not asked for');
      heapSnapshots += 1;
      const file = `server-${process.pid}-${heapSnapshots}.heapsnapshot`;
      return v8.writeHeapSnapshot(path.join(config.heapSnapshotFolder, file));
    },
    times(): BenchServerTimes {
      const times = {
        model: model.takeTimes(),
        cpu: process.cpuUsage(cpuSince),
        databaseQueries: pool ? databaseQueries : null,
      };
      cpuSince = process.cpuUsage();
      databaseQueries = 0;
      return times;
    },
    async close() {
      await handler.close({ deadlineMs: 5_000 });
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await eventBus?.close();
      await store.close();
      await pool?.end();
    },
  },
);
