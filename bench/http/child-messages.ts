import type { LatencySummary } from '../shared/percentiles';
import type { ModelCallTimes } from './time-model-calls';

/** How the parent configures a Parley server child (its first argument, as JSON). */
export interface BenchServerConfig {
  database: 'pglite' | 'postgresql';
  /** For `postgresql`: the server and the throwaway schema the bench made for the run. */
  postgres: { connectionString: string; schemaName: string; poolSize: number } | null;
  /** `postgresql`: LISTEN/NOTIFY, as instances of a deployment share one; else in-process. */
  eventBus: 'in-process' | 'postgresql';
  /** The fake OpenAI server's `baseURL`. */
  modelBaseUrl: string;
  customerTokenSecret: string;
  workspaceId: string;
  /** Where the `heap-snapshot` question writes its snapshots; `null`: it is refused. */
  heapSnapshotFolder: string | null;
}

/** What the server child says once it listens. */
export interface BenchServerReady {
  type: 'ready';
  /** `http://127.0.0.1:<port>/api/parley`. */
  baseUrl: string;
  agentId: string;
  agentKeyId: string;
  /** The agent key's secret (`pk_…`) widget sessions are opened with. */
  agentKey: string;
}

/** The server child's answer to `status`. */
export interface BenchServerStatus {
  turnsInFlight: number;
  /** Sockets the HTTP server holds. */
  connections: number;
  /** Event streams open, as the handler's `parley_sse_clients` gauge counts them. */
  streams: number;
}

/** The server child's answer to `times`: where its time went since the last `times`. */
export interface BenchServerTimes {
  model: ModelCallTimes;
  cpu: NodeJS.CpuUsage;
  /** Queries sent to PostgreSQL (every `pg` client's `query` calls); `null` on PGlite. */
  databaseQueries: number | null;
}

/** What the fake model child says once it listens. */
export interface FakeModelReady {
  type: 'ready';
  baseURL: string;
}

/** The fake's own time per request since the last `times`, by kind of request. */
export interface FakeModelTimes {
  streamed: LatencySummary;
  structured: LatencySummary;
  cpu: NodeJS.CpuUsage;
}
