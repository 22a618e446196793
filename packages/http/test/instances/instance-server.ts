/**
 * One Parley HTTP instance in a process of its own, as a deployment behind a load balancer runs
 * it: the PostgreSQL store and the `LISTEN/NOTIFY` event bus on a shared schema, an engine
 * (streaming through the real `openai` client to a fake OpenAI-compatible server, or with no
 * model at all), the handler behind `node:http` on a free port.
 *
 * Started by the tests in this folder with `node --import tsx --conditions=@parley/source`.
 * Configured by environment variables (below); prints one JSON line `{"port":…,"pid":…}` on
 * stdout once it listens, stops gracefully on SIGTERM, and exits when its stdin closes (the test
 * process that started it went away).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventBus, Store } from '@parley/core';
import { createEngine } from '@parley/core';
import { createJwtVerifier } from '@parley/core/auth';
import { createOpenAIChatModel } from '@parley/core/openai';
import { createPostgresEventBus, createPostgresStore } from '@parley/core/postgres';
import { createPostgresJsEventBus, createPostgresJsStore } from '@parley/core/postgres-js';
import pg from 'pg';
import postgres from 'postgres';
import { createParleyHandler, toNodeListener } from '../../src/index';

/** The environment an instance reads; every instance of one deployment gets the same values. */
export interface InstanceEnvironment {
  /** The PostgreSQL every instance shares. */
  PARLEY_DATABASE_URL: string;
  /** The schema Parley's tables live in (already migrated); empty for the database's `public`. */
  PARLEY_SCHEMA: string;
  /** `node-postgres` (the default) or `postgres-js`. */
  PARLEY_DRIVER?: string;
  /**
   * The database's direct address when PARLEY_DATABASE_URL is a pooler's (PgBouncer in
   * transaction mode): the turn locks and LISTEN go there, and no statement is named.
   */
  PARLEY_DIRECT_URL?: string;
  /** The `LISTEN/NOTIFY` channel of the deployment. */
  PARLEY_BUS_CHANNEL: string;
  /** The fake OpenAI server's `baseURL`; empty for an engine without a model (canned replies). */
  PARLEY_MODEL_BASE_URL: string;
  /** Signs and checks customer tokens: the same on every instance. */
  PARLEY_CUSTOMER_SECRET: string;
  /** Checks operator tokens (HS256, issuer `test-host`, audience `parley`). */
  PARLEY_OPERATOR_SECRET: string;
  /** Where the routes live, e.g. `/api/parley`. */
  PARLEY_BASE_PATH: string;
}

/** The store, the bus, and what closes the connections they were given. */
interface Persistence {
  store: Store & { close(): Promise<void> };
  eventBus: EventBus;
  endConnections(): Promise<void>;
}

type Report = (what: string) => (error: unknown) => void;

/** As a node-postgres host builds them: two pools, the store's and the bus's. */
async function openOnNodePostgres(report: Report): Promise<Persistence> {
  const schema = setting('PARLEY_SCHEMA', false);
  const options = schema ? `-c search_path=${schema}` : undefined;
  const connectionString = setting('PARLEY_DATABASE_URL');
  const direct = setting('PARLEY_DIRECT_URL', false) || undefined;
  const storePool = new pg.Pool({ connectionString, max: 10, options });
  storePool.on('error', report('store pool'));
  const busPool = new pg.Pool({ connectionString, max: 2, options });
  busPool.on('error', report('bus pool'));
  const store = await createPostgresStore({
    pool: storePool,
    migrate: false,
    directConnectionString: direct,
    namedStatements: direct === undefined,
  });
  const eventBus = createPostgresEventBus({
    pool: busPool,
    listenConnectionString: direct,
    channel: setting('PARLEY_BUS_CHANNEL'),
    onError: report('event bus'),
  });
  return {
    store,
    eventBus,
    endConnections: async () => {
      await Promise.all([storePool.end(), busPool.end()]);
    },
  };
}

/** As a postgres-js host (Sim) builds them: its one client, unprepared behind a pooler. */
async function openOnPostgresJs(report: Report): Promise<Persistence> {
  const schema = setting('PARLEY_SCHEMA', false);
  const direct = setting('PARLEY_DIRECT_URL', false) || undefined;
  const sql = postgres(setting('PARLEY_DATABASE_URL'), {
    max: 10,
    prepare: direct === undefined,
    onnotice: () => undefined,
    connection: schema ? { search_path: schema } : {},
  });
  const store = await createPostgresJsStore({
    sql,
    migrate: false,
    directConnectionString: direct,
    namedStatements: direct === undefined,
  });
  const eventBus = createPostgresJsEventBus({
    sql,
    listenConnectionString: direct,
    channel: setting('PARLEY_BUS_CHANNEL'),
    onError: report('event bus'),
  });
  return { store, eventBus, endConnections: () => sql.end({ timeout: 5 }) };
}

function setting(name: keyof InstanceEnvironment, required = true): string {
  const value = process.env[name] ?? '';
  if (required && !value) throw new Error(`instance-server: ${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const report: Report = (what) => (error) =>
    process.stderr.write(`instance ${process.pid}: ${what}: ${String(error)}\n`);
  const { store, eventBus, endConnections } =
    setting('PARLEY_DRIVER', false) === 'postgres-js'
      ? await openOnPostgresJs(report)
      : await openOnNodePostgres(report);
  const modelBaseUrl = setting('PARLEY_MODEL_BASE_URL', false);
  const model = modelBaseUrl
    ? createOpenAIChatModel({
        model: 'gpt-test',
        baseURL: modelBaseUrl,
        apiKey: 'sk-test-key',
        maxRetries: 0,
      })
    : null;
  const engine = createEngine({ store, eventBus, model });
  const handler = await createParleyHandler({
    engine,
    basePath: setting('PARLEY_BASE_PATH'),
    verifier: createJwtVerifier({
      algorithms: ['HS256'],
      secret: setting('PARLEY_OPERATOR_SECRET'),
      issuer: 'test-host',
      audience: 'parley',
    }),
    customerTokenSecret: setting('PARLEY_CUSTOMER_SECRET'),
    rateLimit: false,
    logger: {
      info: () => undefined,
      error: (fields, message) =>
        process.stderr.write(`instance ${process.pid}: ${message} ${JSON.stringify(fields)}\n`),
    },
  });

  const server = createServer(toNodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);

  // The test process holds our stdin: when it goes away, however it ends, so do we.
  process.stdin.resume();
  process.stdin.once('end', () => process.exit(0));
  process.once('SIGTERM', () => {
    void (async () => {
      await handler.close({ deadlineMs: 1000 });
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await eventBus.close();
      await store.close();
      await endConnections();
      process.exit(0);
    })().catch((error: unknown) => {
      report('shutdown')(error);
      process.exit(1);
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`instance ${process.pid} failed to start: ${String(error)}\n`);
  process.exit(1);
});
