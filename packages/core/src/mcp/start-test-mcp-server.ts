import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** A real MCP server on a `node:http` server, for the provider's tests (not exported). */
export interface TestMcpServer {
  /** `http://127.0.0.1:<port>/mcp`. */
  url: string;
  port: number;
  /** The headers of every HTTP request the server received, oldest first. */
  requests: IncomingHttpHeaders[];
  /** Arguments of each `lookup_order` call. */
  calls: unknown[];
  /** Resolves when a `wait_for_cancel` call has started on the server. */
  slowCallStarted: Promise<void>;
  /** Resolves when the server saw a `wait_for_cancel` call cancelled. */
  slowCallCancelled: Promise<void>;
  /** Stops listening and drops open connections. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

/** The tools the test server offers. */
function createToolServer(server: TestMcpServer, signals: Signals): McpServer {
  const mcp = new McpServer({ name: 'parley-test', version: '1.0.0' });
  mcp.registerTool(
    'lookup_order',
    {
      description: 'Looks up an order by its number.',
      inputSchema: { orderNumber: z.string().min(3), verbose: z.boolean().optional() },
      outputSchema: { orderNumber: z.string(), status: z.string() },
    },
    async (args) => {
      server.calls.push(args);
      const structuredContent = { orderNumber: args.orderNumber, status: 'shipped' };
      return {
        content: [{ type: 'text', text: JSON.stringify(structuredContent) }],
        structuredContent,
      };
    },
  );
  mcp.registerTool(
    'greet',
    { description: 'Greets someone.', inputSchema: { name: z.string() } },
    async ({ name }) => ({
      content: [
        { type: 'text', text: `Hello, ${name}!` },
        { type: 'text', text: 'Nice to meet you.' },
      ],
    }),
  );
  mcp.registerTool('chart', { description: 'Draws a chart.', inputSchema: {} }, async () => ({
    content: [
      { type: 'text', text: 'A chart' },
      { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
    ],
  }));
  mcp.registerTool(
    'refund',
    { description: 'Refunds an order.', inputSchema: { orderNumber: z.string() } },
    async ({ orderNumber }) => ({
      content: [
        { type: 'text', text: `Refunds are closed for ${orderNumber}. ${'x'.repeat(600)}` },
      ],
      isError: true,
    }),
  );
  mcp.registerTool(
    'billing.list_invoices',
    { description: 'Lists invoices.', inputSchema: {} },
    async () => ({ content: [{ type: 'text', text: 'no invoices' }] }),
  );
  mcp.registerTool(
    'wait_for_cancel',
    { description: 'Answers only after 20 s, unless cancelled.', inputSchema: {} },
    (_args, extra) =>
      new Promise((resolve) => {
        signals.started();
        const timer = setTimeout(
          () => resolve({ content: [{ type: 'text', text: 'late' }] }),
          20_000,
        );
        extra.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          signals.cancelled();
          resolve({ content: [{ type: 'text', text: 'cancelled' }] });
        });
      }),
  );
  return mcp;
}

interface Signals {
  started: () => void;
  cancelled: () => void;
}

/** How the test server keeps state between requests. */
export interface TestMcpServerOptions {
  /**
   * `session` (default): one `McpServer` per MCP session, so a `notifications/cancelled`
   * reaches the call it cancels and a restart forgets every session. `stateless`: a new
   * server and transport per HTTP request, as the SDK's stateless example does.
   */
  mode?: 'session' | 'stateless';
}

/** Starts the test server on port 0 of 127.0.0.1. */
export async function startTestMcpServer(
  options: TestMcpServerOptions = {},
): Promise<TestMcpServer> {
  let signals!: Signals;
  const started = new Promise<void>((resolve) => {
    signals = { started: resolve, cancelled: () => undefined };
  });
  const cancelled = new Promise<void>((resolve) => {
    signals.cancelled = resolve;
  });
  let http: Server | undefined;
  const state: TestMcpServer = {
    url: '',
    port: 0,
    requests: [],
    calls: [],
    slowCallStarted: started,
    slowCallCancelled: cancelled,
    stop: async () => {
      const current = http;
      http = undefined;
      if (!current) return;
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    restart: () => listen(state.port),
  };

  async function listen(port: number): Promise<void> {
    // Per listening server, so a restart forgets every session as a real restart does.
    const sessions = new Map<string, StreamableHTTPServerTransport>();
    const server = createServer(async (request, response) => {
      state.requests.push(request.headers);
      if (options.mode === 'stateless') {
        if (request.method !== 'POST') {
          response.writeHead(405, { allow: 'POST' }).end();
          return;
        }
        const mcp = createToolServer(state, signals);
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        response.on('close', () => {
          void transport.close();
          void mcp.close();
        });
        await mcp.connect(transport);
        await transport.handleRequest(request, response);
        return;
      }
      const sessionId = request.headers['mcp-session-id'];
      if (typeof sessionId === 'string') {
        const transport = sessions.get(sessionId);
        if (!transport) {
          response.writeHead(404, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              jsonrpc: '2.0',
              error: { code: -32001, message: 'Session not found' },
              id: null,
            }),
          );
          return;
        }
        await transport.handleRequest(request, response);
        return;
      }
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => {
          sessions.set(id, transport);
        },
      });
      transport.onclose = () => {
        if (transport.sessionId) sessions.delete(transport.sessionId);
      };
      await createToolServer(state, signals).connect(transport);
      await transport.handleRequest(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    http = server;
    state.port = (server.address() as AddressInfo).port;
    state.url = `http://127.0.0.1:${state.port}/mcp`;
  }

  await listen(0);
  return state;
}
