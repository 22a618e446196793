import { createEngine, defineAgent } from '@parley/core';
import { createPostgresStore } from '@parley/core/postgres';
import {
  createPostgresTestDatabase,
  createPostgresTestSchema,
  type FakeOpenAIServer,
  startFakeOpenAIServer,
  startPgBouncer,
} from '@parley/core/testing';
import {
  basePath,
  customerSecret,
  operatorSecret,
  operatorToken,
  type SseFrame,
} from '../handler-kit';
import { collectFrames, type FrameCollector } from './frame-collector';
import { type InstanceProcess, startInstanceProcess } from './instance-process';
import type { InstanceEnvironment } from './instance-server';

/** An event frame's data: the wire form of a persisted event. */
export interface WireEvent {
  id: string;
  offset: number;
  kind: string;
  source: string;
  traceId: string | null;
  data: Record<string, unknown> & { status?: string; text?: string };
}

/** A delta frame's data. */
export interface WireDelta {
  traceId: string;
  messageId: string;
  seq: number;
  text: string;
}

/**
 * Several Parley instances, each in its own process, on one throwaway PostgreSQL schema and
 * one event bus channel, their engines streaming from one fake OpenAI server, with an agent
 * and its publishable key: a deployment behind a load balancer, in miniature.
 */
export interface DeploymentKit {
  readonly model: FakeOpenAIServer;
  readonly instances: readonly InstanceProcess[];
  readonly workspaceId: string;
  readonly agentId: string;
  /** The agent's publishable key (`pk_…`). */
  readonly agentKey: string;
  /** Opens a widget session through `instance`: its id and customer token. */
  openWidgetSession(
    instance: InstanceProcess,
  ): Promise<{ sessionId: string; customerToken: string }>;
  /** Opens the session's event stream on `instance`, resuming after `lastEventId` when given. */
  openStream(
    instance: InstanceProcess,
    sessionId: string,
    token: string,
    lastEventId?: number,
  ): Promise<FrameCollector>;
  /** The session's stored events, read through `instance`. */
  storedEvents(instance: InstanceProcess, sessionId: string, token: string): Promise<WireEvent[]>;
  /** Queues the model's answers for one turn: an empty judgement, then `reply` in `chunks`. */
  scriptTurn(reply: string, options?: { chunks?: number; chunkDelayMs?: number }): void;
  /** Stops the instances still running, then the model, and drops the schema. */
  close(): Promise<void>;
}

/** The persisted events of a stream's frames, in the order they came. */
export function eventsOf(frames: readonly SseFrame[]): WireEvent[] {
  return frames.filter((frame) => frame.event === 'event').map((frame) => frame.data as WireEvent);
}

/** The delta frames of a stream, in the order they came. */
export function deltasOf(frames: readonly SseFrame[]): WireDelta[] {
  return frames.filter((frame) => frame.event === 'delta').map((frame) => frame.data as WireDelta);
}

/** Whether the frames hold a `status` event of `traceId` (any turn when omitted) in `statuses`. */
export function hasStatus(
  frames: readonly SseFrame[],
  statuses: readonly string[],
  traceId?: string,
): boolean {
  return eventsOf(frames).some(
    (event) =>
      event.kind === 'status' &&
      statuses.includes(event.data.status ?? '') &&
      (traceId === undefined || event.traceId === traceId),
  );
}

/** The statuses that end a turn. */
export const terminalStatuses = ['ready', 'error', 'cancelled'] as const;

/** How the instances of a {@link DeploymentKit} reach PostgreSQL. */
export interface DeploymentDatabaseOptions {
  /** The driver each instance builds its store and bus on; default `node-postgres`. */
  driver?: 'node-postgres' | 'postgres-js';
  /**
   * Put a PgBouncer in transaction mode between the instances and a database of their own
   * (Sim's production setup): queries go through it, turn locks and LISTEN go direct.
   */
  behindPgBouncer?: boolean;
}

/**
 * Starts `instanceCount` instances on a fresh schema (or, behind PgBouncer, a fresh database);
 * everything started is stopped on failure.
 */
export async function createDeploymentKit(
  instanceCount: number,
  options: DeploymentDatabaseOptions = {},
): Promise<DeploymentKit> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('createDeploymentKit needs DATABASE_URL');
  const cleanups: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    let setupStore: Awaited<ReturnType<typeof createPostgresStore>>;
    let connection: Pick<
      InstanceEnvironment,
      'PARLEY_DATABASE_URL' | 'PARLEY_SCHEMA' | 'PARLEY_BUS_CHANNEL' | 'PARLEY_DIRECT_URL'
    >;
    // Migrated and seeded here, once, before any instance starts (as a deploy step would).
    if (options.behindPgBouncer) {
      const database = await createPostgresTestDatabase(databaseUrl);
      cleanups.push(() => database.drop());
      const bouncer = await startPgBouncer({ serverUrl: databaseUrl, poolSize: 4 });
      cleanups.push(() => bouncer.stop());
      setupStore = await createPostgresStore({ connectionString: database.url });
      connection = {
        PARLEY_DATABASE_URL: bouncer.pooledUrl(database.url),
        PARLEY_DIRECT_URL: database.url,
        PARLEY_SCHEMA: '',
        PARLEY_BUS_CHANNEL: `${database.databaseName}_bus`,
      };
    } else {
      const schema = await createPostgresTestSchema(databaseUrl);
      cleanups.push(() => schema.drop());
      setupStore = await createPostgresStore({ pool: schema.createPool(2) });
      connection = {
        PARLEY_DATABASE_URL: databaseUrl,
        PARLEY_SCHEMA: schema.schemaName,
        PARLEY_BUS_CHANNEL: `${schema.schemaName}_bus`,
      };
    }
    cleanups.push(() => setupStore.close());
    const workspaceId = `workspace-${globalThis.crypto.randomUUID()}`;
    const synced = await createEngine({ store: setupStore }).sync(
      workspaceId,
      defineAgent({ name: 'Support', compositionMode: 'fluid' }),
    );
    const model = await startFakeOpenAIServer();
    cleanups.push(() => model.close());

    const instances: InstanceProcess[] = [];
    cleanups.push(async () => {
      await Promise.all(instances.map((instance) => instance.kill('SIGTERM', 5000)));
    });
    const environment: InstanceEnvironment = {
      ...connection,
      PARLEY_DRIVER: options.driver ?? 'node-postgres',
      PARLEY_MODEL_BASE_URL: model.baseURL,
      PARLEY_CUSTOMER_SECRET: customerSecret,
      PARLEY_OPERATOR_SECRET: operatorSecret,
      PARLEY_BASE_PATH: basePath,
    };
    const started = await Promise.allSettled(
      Array.from({ length: instanceCount }, () => startInstanceProcess(environment)),
    );
    for (const result of started) if (result.status === 'fulfilled') instances.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;

    const first = instances[0] as InstanceProcess;
    const keyResponse = await first.call('POST', `/v1/agents/${synced.agent.id}/keys`, {
      token: await operatorToken({ workspaceId }),
      body: { name: 'Website', allowedOrigins: ['https://shop.example'] },
    });
    if (keyResponse.status !== 201) {
      throw new Error(`Creating the agent key failed: ${await keyResponse.text()}`);
    }
    const agentKey = ((await keyResponse.json()) as { secret: string }).secret;

    return {
      model,
      instances,
      workspaceId,
      agentId: synced.agent.id,
      agentKey,
      async openWidgetSession(instance) {
        const response = await instance.call('POST', '/v1/sessions', { body: { agentKey } });
        if (response.status !== 201) {
          throw new Error(
            `Opening a session failed (${response.status}): ${await response.text()}`,
          );
        }
        const body = (await response.json()) as { session: { id: string }; customerToken: string };
        return { sessionId: body.session.id, customerToken: body.customerToken };
      },
      async openStream(instance, sessionId, token, lastEventId) {
        const controller = new AbortController();
        const response = await instance.call('GET', `/v1/sessions/${sessionId}/stream`, {
          token,
          signal: controller.signal,
          headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) },
        });
        if (response.status !== 200) {
          throw new Error(
            `Opening the stream failed (${response.status}): ${await response.text()}`,
          );
        }
        const collector = collectFrames(response, controller);
        cleanups.push(() => collector.stop());
        return collector;
      },
      async storedEvents(instance, sessionId, token) {
        const response = await instance.call('GET', `/v1/sessions/${sessionId}/events?limit=1000`, {
          token,
        });
        if (response.status !== 200) {
          throw new Error(`Listing events failed (${response.status}): ${await response.text()}`);
        }
        return ((await response.json()) as { events: WireEvent[] }).events;
      },
      scriptTurn(reply, options = {}) {
        model.enqueue({
          json: { guidelines: [], journey: { id: null, nextState: null }, cannedResponse: null },
        });
        model.enqueue({ text: reply, ...options });
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
