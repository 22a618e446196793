import type { EngineOptions, EventBus, Store } from '@parley/core';
import type { PgliteStore } from '@parley/core/pglite';
import { createPostgresEventBus, createPostgresStore } from '@parley/core/postgres';
import { createScriptedChatModel, type ScriptedTextHandler } from '@parley/core/testing';
import { createHandlerKit, type HandlerKit, operatorToken } from '../handler-kit';
import {
  type PrivatePostgresCluster,
  startPrivatePostgresCluster,
} from './private-postgres-cluster';

/** A server on a PostgreSQL cluster of its own, which the test may crash and restart. */
export interface ClusterDeployment {
  cluster: PrivatePostgresCluster;
  kit: HandlerKit;
  /** A widget session of the deployment's agent, as its customer holds it. */
  sessionId: string;
  customerToken: string;
  /** What escaped the process meanwhile (a pool's `error` without a listener, say). */
  uncaught: unknown[];
  /** Closes the handler, the bus and the store, deletes the cluster. */
  close(): Promise<void>;
}

/** Options of {@link openClusterDeployment}. */
export interface ClusterDeploymentOptions {
  workspaceId: string;
  /** What the scripted model answers to each turn (guideline judgement: nothing applies). */
  reply: ScriptedTextHandler;
  /** More engine options (a logger, turn start retries…). */
  engine?: Partial<EngineOptions>;
}

/**
 * Starts a private PostgreSQL cluster (never the machine's shared one: other test files use
 * it at the same time) and a server built on it as the documentation says a production server
 * is (PostgreSQL store, `LISTEN/NOTIFY` bus), with one fluid agent and a widget session open.
 * Records uncaught exceptions and unhandled rejections until `close()`.
 */
export async function openClusterDeployment(
  options: ClusterDeploymentOptions,
): Promise<ClusterDeployment> {
  const uncaught: unknown[] = [];
  const recordUncaught = (error: unknown) => uncaught.push(error);
  process.on('uncaughtException', recordUncaught);
  process.on('unhandledRejection', recordUncaught);
  const cluster = await startPrivatePostgresCluster();
  let store: (Store & { close(): Promise<void> }) | undefined;
  let eventBus: EventBus | undefined;
  let kit: HandlerKit | undefined;
  const close = async () => {
    await kit?.close();
    await eventBus?.close();
    await store?.close();
    await cluster.destroy();
    process.off('uncaughtException', recordUncaught);
    process.off('unhandledRejection', recordUncaught);
  };
  try {
    store = await createPostgresStore({ connectionString: cluster.url });
    eventBus = createPostgresEventBus({ connectionString: cluster.url, onError: () => undefined });
    const model = createScriptedChatModel();
    model.onObject('guideline_judgement', () => ({
      guidelines: [],
      journey: { id: null, nextState: null },
      cannedResponse: null,
    }));
    model.onText('reply', options.reply);
    kit = await createHandlerKit({
      engine: { eventBus, model, ...options.engine },
      // The kit types its store as PGlite's but only hands it to the engine, and leaves a
      // store it was given open: any Store works.
      store: store as unknown as PgliteStore,
    });
    const synced = await kit.engine.sync(options.workspaceId, {
      name: 'Support',
      compositionMode: 'fluid',
    });
    const keyResponse = await kit.call('POST', `/v1/agents/${synced.agent.id}/keys`, {
      token: await operatorToken({ workspaceId: options.workspaceId }),
      body: { name: 'Website', allowedOrigins: ['https://shop.example'] },
    });
    if (keyResponse.status !== 201) throw new Error(await keyResponse.text());
    const { secret } = (await keyResponse.json()) as { secret: string };
    const opened = await kit.call('POST', '/v1/sessions', { body: { agentKey: secret } });
    if (opened.status !== 201) throw new Error(await opened.text());
    const { session, customerToken } = (await opened.json()) as {
      session: { id: string };
      customerToken: string;
    };
    return { cluster, kit, sessionId: session.id, customerToken, uncaught, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
