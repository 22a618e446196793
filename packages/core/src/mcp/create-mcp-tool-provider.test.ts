import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../domain/agent';
import type { EngineLogger } from '../engine/engine-logger';
import { ParleyError } from '../errors/parley-error';
import type { ToolProviderRequest } from '../ports/tool-provider';
import type { ToolContext, ToolDefinition } from '../tools/tool';
import { createMcpToolProvider, type McpToolProvider } from './create-mcp-tool-provider';
import { startTestMcpServer, type TestMcpServer } from './start-test-mcp-server';

const agent = { id: 'agent-1', name: 'Shop' } as unknown as Agent;

function requestFor(workspaceId = 'ws-1', signal = new AbortController().signal) {
  return { workspaceId, agent, signal } satisfies ToolProviderRequest;
}

function contextFor(signal = new AbortController().signal): ToolContext {
  return { workspaceId: 'ws-1', agentId: 'agent-1', signal } as unknown as ToolContext;
}

/** A logger that keeps everything it is given, to check what reaches logs. */
function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  const logger: EngineLogger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { logger, lines };
}

function byName(tools: readonly ToolDefinition[], name: string): ToolDefinition {
  const found = tools.find((tool) => tool.name === name);
  if (!found) throw new Error(`no tool ${name} among ${tools.map((tool) => tool.name).join(', ')}`);
  return found;
}

describe('createMcpToolProvider against a real MCP server over HTTP', () => {
  let server: TestMcpServer;
  const providers: McpToolProvider[] = [];
  const make = (options: Partial<Parameters<typeof createMcpToolProvider>[0]> = {}) => {
    const provider = createMcpToolProvider({ id: 'mcp:test', url: server.url, ...options });
    providers.push(provider);
    return provider;
  };

  beforeAll(async () => {
    server = await startTestMcpServer();
  });
  afterEach(async () => {
    await Promise.all(providers.splice(0).map((provider) => provider.close()));
  });
  afterAll(async () => {
    await server.stop();
  });

  it('lists the server tools with their JSON Schemas, mapping a name Parley refuses', async () => {
    const tools = await make().tools(requestFor());
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'billing_list_invoices',
      'chart',
      'greet',
      'lookup_order',
      'refund',
      'wait_for_cancel',
    ]);
    const lookup = byName(tools, 'lookup_order');
    expect(lookup.description).toBe('Looks up an order by its number.');
    expect(lookup.timeoutMs).toBe(10_000);
    expect(lookup.jsonSchema).toMatchObject({
      type: 'object',
      properties: { orderNumber: { type: 'string', minLength: 3 }, verbose: { type: 'boolean' } },
      required: ['orderNumber'],
    });
  });

  it('validates arguments with the tool schema', async () => {
    const lookup = byName(await make().tools(requestFor()), 'lookup_order');
    expect(lookup.parameters.safeParse({ orderNumber: 'A-17' }).success).toBe(true);
    expect(lookup.parameters.safeParse({ orderNumber: 17 }).success).toBe(false);
    expect(lookup.parameters.safeParse({ orderNumber: 'A' }).success).toBe(false);
    expect(lookup.parameters.safeParse({}).success).toBe(false);
  });

  it('calls a tool through its handler: structured content, text, and other content', async () => {
    const tools = await make().tools(requestFor());
    await expect(
      byName(tools, 'lookup_order').handler({ orderNumber: 'A-17' }, contextFor()),
    ).resolves.toEqual({ orderNumber: 'A-17', status: 'shipped' });
    expect(server.calls.at(-1)).toEqual({ orderNumber: 'A-17' });
    await expect(byName(tools, 'greet').handler({ name: 'Ada' }, contextFor())).resolves.toBe(
      'Hello, Ada!\nNice to meet you.',
    );
    await expect(byName(tools, 'chart').handler({}, contextFor())).resolves.toEqual({
      text: 'A chart',
      content: [{ type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' }],
    });
  });

  it('calls a mapped tool by its MCP name', async () => {
    const tools = await make().tools(requestFor());
    await expect(byName(tools, 'billing_list_invoices').handler({}, contextFor())).resolves.toBe(
      'no invoices',
    );
  });

  it('throws the server text, cut to 500 characters, for a result with isError', async () => {
    const refund = byName(await make().tools(requestFor()), 'refund');
    const error = await Promise.resolve(
      refund.handler({ orderNumber: 'A-17' }, contextFor()),
    ).catch((caught: unknown) => caught);
    expect(ParleyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'tool_failed', reason: 'mcp_tool_error' });
    const message = (error as ParleyError).message;
    expect(message.startsWith('Refunds are closed for A-17.')).toBe(true);
    expect(message).toHaveLength(500);
  });

  it('keeps only toolNames, by MCP or Parley name', async () => {
    const tools = await make({ toolNames: ['greet', 'billing.list_invoices'] }).tools(requestFor());
    expect(tools.map((tool) => tool.name).sort()).toEqual(['billing_list_invoices', 'greet']);
    const again = await make({ toolNames: ['billing_list_invoices'] }).tools(requestFor());
    expect(again.map((tool) => tool.name)).toEqual(['billing_list_invoices']);
  });

  it('sends the headers a function gives for the workspace, and never logs them', async () => {
    const { logger, lines } = recordingLogger();
    const provider = make({
      headers: ({ workspaceId }) => ({ authorization: `Bearer secret-of-${workspaceId}` }),
      requestInit: { headers: { 'x-parley-host': 'tests' } },
      logger,
    });
    const before = server.requests.length;
    const tools = await provider.tools(requestFor('ws-42'));
    await byName(tools, 'greet').handler({ name: 'Ada' }, contextFor());
    const seen = server.requests.slice(before);
    expect(seen.length).toBeGreaterThan(0);
    for (const headers of seen.filter((headers) => headers['content-type'])) {
      expect(headers.authorization).toBe('Bearer secret-of-ws-42');
      expect(headers['x-parley-host']).toBe('tests');
    }
    // Another workspace gets its own connection with its own key.
    const other = server.requests.length;
    await provider.tools(requestFor('ws-43'));
    expect(
      server.requests.slice(other).every((h) => h.authorization === 'Bearer secret-of-ws-43'),
    ).toBe(true);
    expect(server.requests.length).toBeGreaterThan(other);
    expect(JSON.stringify(lines)).not.toContain('secret-of');
  });

  it('picks the url with a function of the request', async () => {
    const asked: string[] = [];
    const provider = make({
      url: ({ workspaceId }) => {
        asked.push(workspaceId);
        return new URL(server.url);
      },
    });
    expect((await provider.tools(requestFor('ws-7'))).length).toBeGreaterThan(0);
    expect(asked).toEqual(['ws-7']);
  });

  it('keeps one connection per url and headers', async () => {
    const provider = make();
    await provider.tools(requestFor());
    const before = server.requests.length;
    await provider.tools(requestFor());
    // A kept connection lists tools with one request: no second initialize.
    const initializes = server.requests
      .slice(before)
      .filter((headers) => !headers['mcp-protocol-version']);
    expect(initializes).toEqual([]);
  });

  it('rejects tools() at once when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await make()
      .tools(requestFor('ws-1', controller.signal))
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(ParleyError.isInstance(error)).toBe(true);
  });

  it('stops a call when its signal aborts, and tells the server', async () => {
    const slow = byName(await make().tools(requestFor()), 'wait_for_cancel');
    const controller = new AbortController();
    const call = Promise.resolve(slow.handler({}, contextFor(controller.signal))).catch(
      (caught: unknown) => caught,
    );
    await server.slowCallStarted;
    controller.abort();
    const error = await call;
    expect(ParleyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'cancelled' });
    await server.slowCallCancelled;
  });

  it('refuses a call whose signal is aborted before it starts', async () => {
    const greet = byName(await make().tools(requestFor()), 'greet');
    const controller = new AbortController();
    controller.abort();
    const before = server.requests.length;
    const error = await Promise.resolve(
      greet.handler({ name: 'Ada' }, contextFor(controller.signal)),
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'cancelled' });
    expect(server.requests.length).toBe(before);
  });
});

describe('createMcpToolProvider when the server is down', () => {
  it('rejects tools() with a ParleyError naming the provider, without path or secrets', async () => {
    const server = await startTestMcpServer();
    await server.stop();
    const { logger, lines } = recordingLogger();
    const provider = createMcpToolProvider({
      id: 'mcp:billing',
      url: `${server.url}?key=url-secret`,
      headers: { authorization: 'Bearer header-secret' },
      logger,
    });
    const error = await provider.tools(requestFor()).catch((caught: unknown) => caught);
    expect(ParleyError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'tool_failed',
      reason: 'mcp_unavailable',
      retryable: true,
    });
    const message = (error as ParleyError).message;
    expect(message).toContain('"mcp:billing"');
    expect(message).toContain(`http://127.0.0.1:${server.port}`);
    expect(message).not.toContain('/mcp');
    expect(message).not.toContain('secret');
    expect(JSON.stringify(lines)).not.toContain('secret');
    await provider.close();
  });

  it('refuses a url that is not http(s)', async () => {
    const provider = createMcpToolProvider({ id: 'mcp:x', url: 'ftp://example.com/mcp' });
    await expect(provider.tools(requestFor())).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });

  it('connects again once the server is back on the same port', async () => {
    const server = await startTestMcpServer();
    const provider = createMcpToolProvider({ id: 'mcp:restart', url: server.url });
    try {
      const tools = await provider.tools(requestFor());
      await server.stop();
      await expect(provider.tools(requestFor())).rejects.toMatchObject({ code: 'tool_failed' });
      const call = await Promise.resolve(
        byName(tools, 'greet').handler({ name: 'Ada' }, contextFor()),
      ).catch((caught: unknown) => caught);
      expect(call).toMatchObject({ code: 'tool_failed', reason: 'mcp_unavailable' });
      await server.restart();
      expect((await provider.tools(requestFor())).length).toBeGreaterThan(0);
      // The definitions listed before the restart work again too.
      await expect(byName(tools, 'greet').handler({ name: 'Ada' }, contextFor())).resolves.toBe(
        'Hello, Ada!\nNice to meet you.',
      );
    } finally {
      await provider.close();
      await server.stop();
    }
  });
  it('lists again on a new session, unasked, when a restart forgot the kept one', async () => {
    const server = await startTestMcpServer();
    const { logger, lines } = recordingLogger();
    const provider = createMcpToolProvider({ id: 'mcp:restart', url: server.url, logger });
    try {
      await provider.tools(requestFor());
      await server.stop();
      await server.restart();
      expect((await provider.tools(requestFor())).length).toBeGreaterThan(0);
      expect(lines.map((line) => line.message)).toContain(
        'MCP connection dropped; the next use connects again',
      );
    } finally {
      await provider.close();
      await server.stop();
    }
  });
});

describe('createMcpToolProvider against a stateless MCP server', () => {
  it('lists and calls tools with no session', async () => {
    const server = await startTestMcpServer({ mode: 'stateless' });
    const provider = createMcpToolProvider({ id: 'mcp:stateless', url: server.url });
    try {
      const tools = await provider.tools(requestFor());
      expect(tools.map((tool) => tool.name)).toContain('lookup_order');
      await expect(
        byName(tools, 'lookup_order').handler({ orderNumber: 'A-17' }, contextFor()),
      ).resolves.toEqual({ orderNumber: 'A-17', status: 'shipped' });
      expect(server.requests.every((headers) => headers['mcp-session-id'] === undefined)).toBe(
        true,
      );
    } finally {
      await provider.close();
      await server.stop();
    }
  });
});
