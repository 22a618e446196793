import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { type EngineLogger, silentLogger } from '../engine/engine-logger';
import { ParleyError } from '../errors/parley-error';
import type { ToolProvider, ToolProviderRequest } from '../ports/tool-provider';
import { jsonSchemaTool } from '../tools/json-schema-tool';
import type { ToolDefinition } from '../tools/tool';
import { assignParleyToolNames } from './mcp-tool-names';
import { toToolResult } from './mcp-tool-result';

/** A value given as it is, or worked out for each workspace and agent. */
export type McpRequestValue<T> = T | ((request: ToolProviderRequest) => T | Promise<T>);

/** Options of {@link createMcpToolProvider}. */
export interface McpToolProviderOptions {
  /** Names the provider in logs, errors and health, e.g. `mcp:billing`. */
  id: string;
  /**
   * The server's Streamable HTTP endpoint (`https://mcp.example.com/mcp`), or a function of
   * the request that picks one per workspace or agent.
   */
  url: McpRequestValue<string | URL>;
  /**
   * Headers sent with every request to the server, e.g. `{ authorization: 'Bearer …' }`, or a
   * function of the request (an API key per workspace). Their values are never logged and
   * never appear in errors.
   */
  headers?: McpRequestValue<Record<string, string>>;
  /** Further `fetch` options for every request; `headers` are merged over its headers. */
  requestInit?: RequestInit;
  /**
   * Only these tools, by the server's name or by their Parley name (see
   * `toParleyToolName`); default: every tool the server lists.
   */
  toolNames?: readonly string[];
  /**
   * Milliseconds for connecting, for each page of `tools/list` and for each tool call (also
   * the tools' Parley `timeoutMs`); default 10 000.
   */
  timeoutMs?: number;
  /** How the client introduces itself to the server; default `{ name: 'parley', version: '0.1.0' }`. */
  clientInfo?: { name: string; version: string };
  /** Receives skipped tools and dropped connections; default: discards everything. */
  logger?: EngineLogger;
}

/** A {@link ToolProvider} over an MCP server; see {@link createMcpToolProvider}. */
export interface McpToolProvider extends ToolProvider {
  /**
   * Closes every open connection to the server. Hosts call it on shutdown, after the engine
   * has stopped; a later `tools()` or tool call connects again.
   */
  close(): Promise<void>;
}

type McpTool = Awaited<ReturnType<Client['listTools']>>['tools'][number];

/** Where one request goes: the resolved URL and headers, and the connection they share. */
interface Target {
  url: URL;
  headers: Record<string, string>;
  /** Identifies the connection; kept in memory only, since it holds the header values. */
  key: string;
}

/** A connection in the making or made; `fresh` until it has served one request. */
interface Connection {
  client: Promise<Client>;
  fresh: boolean;
}

const defaultClientInfo = { name: 'parley', version: '0.1.0' };
/** Stops a server whose cursors never end from keeping `tools()` busy forever. */
const maxToolPages = 100;

/**
 * A {@link ToolProvider} over an MCP server reached by Streamable HTTP, through the official
 * SDK's client (`@modelcontextprotocol/sdk`, an optional peer dependency):
 * `createMcpToolProvider({ id: 'mcp:billing', url: 'https://billing.example.com/mcp',
 * headers: ({ workspaceId }) => ({ authorization: `Bearer ${keys.get(workspaceId)}` }) })`.
 *
 * `tools()` connects on first use and keeps one connection per resolved URL and headers;
 * a connection that fails or closes is dropped and made again on the next use (`tools()`
 * tries once more at once on a fresh connection when a kept one fails). It lists every page of
 * the server's tools and returns one `jsonSchemaTool` per tool: its description, its
 * `inputSchema` as the parameters, and a handler that calls the tool with the turn's signal.
 * A tool's result is its `structuredContent` when present, else its text (see `toToolResult`);
 * a result with `isError` fails the call with the server's text.
 *
 * Names: an MCP name Parley's identifier rule refuses is mapped by `toParleyToolName`
 * (`github.create_issue` → `github_create_issue`) and the tool is still called by its MCP name;
 * mapped names two tools would share, and tools whose schema cannot be read, are left out and
 * logged as warnings.
 *
 * `tools()` rejects with a ParleyError naming the provider and the server's origin only (no
 * path, query or headers): `tool_failed` (reason `mcp_unavailable`, retryable) when the server
 * cannot be reached or answers with an error, `timeout`, `cancelled` when the request's signal
 * aborts, `validation_failed` for a URL that is not http(s). Call `close()` on shutdown.
 */
export function createMcpToolProvider(options: McpToolProviderOptions): McpToolProvider {
  const { id } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new ParleyError(
      'validation_failed',
      `MCP tool provider "${id}": timeoutMs must be above 0`,
    );
  }
  const logger = options.logger ?? silentLogger;
  const clientInfo = options.clientInfo ?? defaultClientInfo;
  const wanted = options.toolNames ? new Set(options.toolNames) : null;
  const connections = new Map<string, Connection>();

  function connect(target: Target): Connection {
    const existing = connections.get(target.key);
    if (existing) return existing;
    const client = new Client(clientInfo);
    const transport = new StreamableHTTPClientTransport(target.url, {
      requestInit: { ...options.requestInit, headers: target.headers },
    });
    const connection: Connection = {
      // Not the caller's signal: the connection outlives the request that opened it.
      client: client.connect(transport, { timeout: timeoutMs }).then(() => client),
      fresh: true,
    };
    const forget = () => {
      if (connections.get(target.key) === connection) connections.delete(target.key);
    };
    client.onclose = forget;
    client.onerror = (error) =>
      logger.debug('MCP connection reported an error', {
        providerId: id,
        origin: target.url.origin,
        error: error.message.slice(0, 200),
      });
    // Connecting failed: the next use connects again (the SDK closes the client itself).
    connection.client.catch(forget);
    connections.set(target.key, connection);
    return connection;
  }

  function drop(target: Target, connection: Connection, error: unknown): void {
    if (connections.get(target.key) !== connection) return;
    connections.delete(target.key);
    logger.debug('MCP connection dropped; the next use connects again', {
      providerId: id,
      origin: target.url.origin,
      error: messageOf(error),
    });
    connection.client.then((client) => client.close()).catch(() => undefined);
  }

  /** Runs `work` on the target's client, dropping the connection when the transport fails. */
  async function withClient<T>(
    target: Target,
    signal: AbortSignal,
    work: (client: Client) => Promise<T>,
    { retryOnStale }: { retryOnStale: boolean },
  ): Promise<T> {
    const connection = connect(target);
    const wasFresh = connection.fresh;
    try {
      const client = await abortable(connection.client, signal);
      connection.fresh = false;
      return await work(client);
    } catch (error) {
      if (signal.aborted || !isConnectionFailure(error)) throw error;
      drop(target, connection, error);
      // A kept connection may be stale (the server restarted): one more try on a new one.
      if (retryOnStale && !wasFresh)
        return withClient(target, signal, work, { retryOnStale: false });
      throw error;
    }
  }

  async function listAll(client: Client, signal: AbortSignal): Promise<McpTool[]> {
    const tools: McpTool[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | undefined;
    for (let page = 0; page < maxToolPages; page += 1) {
      const result = await client.listTools(cursor === undefined ? undefined : { cursor }, {
        signal,
        timeout: timeoutMs,
      });
      tools.push(...result.tools);
      cursor = result.nextCursor;
      if (cursor === undefined || seenCursors.has(cursor)) break;
      seenCursors.add(cursor);
    }
    return tools;
  }

  function definitionOf(
    target: Target,
    tool: McpTool,
    parleyName: string,
  ): ToolDefinition | undefined {
    const description =
      (tool.description ?? tool.title ?? tool.annotations?.title ?? '').trim() ||
      `The MCP tool ${tool.name}`;
    try {
      return jsonSchemaTool({
        name: parleyName,
        description: description.slice(0, 4000),
        parameters: tool.inputSchema as Record<string, unknown>,
        timeoutMs,
        handler: (args, context) =>
          withClient(
            target,
            context.signal,
            async (client) => {
              const result = await client.callTool(
                { name: tool.name, arguments: args },
                undefined,
                {
                  signal: context.signal,
                  timeout: timeoutMs,
                },
              );
              return toToolResult(result, parleyName);
            },
            // A call may have run before its connection failed: never sent twice.
            { retryOnStale: false },
          ).catch((error: unknown) => {
            throw callError(error, tool.name, context.signal);
          }),
      });
    } catch (error) {
      logger.warn('MCP tool left out: its input schema cannot be read', {
        providerId: id,
        toolName: tool.name,
        error: messageOf(error),
      });
      return undefined;
    }
  }

  function callError(error: unknown, toolName: string, signal: AbortSignal): ParleyError {
    if (signal.aborted) {
      return ParleyError.isInstance(signal.reason)
        ? signal.reason
        : new ParleyError('cancelled', `MCP tool "${toolName}" was cancelled`, { cause: error });
    }
    if (ParleyError.isInstance(error)) return error;
    if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
      return new ParleyError(
        'timeout',
        `MCP tool "${toolName}" (${id}) took longer than ${timeoutMs} ms`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    return new ParleyError(
      'tool_failed',
      `MCP tool "${toolName}" (${id}) failed: ${messageOf(error)}`,
      {
        reason: isConnectionFailure(error) ? 'mcp_unavailable' : 'mcp_request_failed',
        retryable: isConnectionFailure(error),
        cause: error,
      },
    );
  }

  async function resolveTarget(request: ToolProviderRequest): Promise<Target> {
    let url: string | URL;
    let headers: Record<string, string> | undefined;
    try {
      url = typeof options.url === 'function' ? await options.url(request) : options.url;
      headers =
        typeof options.headers === 'function' ? await options.headers(request) : options.headers;
    } catch (error) {
      throw new ParleyError(
        'tool_failed',
        `MCP tool provider "${id}": its url or headers could not be worked out: ${messageOf(error)}`,
        { reason: 'mcp_configuration', cause: error, details: { providerId: id } },
      );
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ParleyError(
        'validation_failed',
        `MCP tool provider "${id}": its url is not a URL`,
        {
          details: { providerId: id },
        },
      );
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ParleyError(
        'validation_failed',
        `MCP tool provider "${id}": its url must be http or https, not ${parsed.protocol}`,
        { details: { providerId: id } },
      );
    }
    const merged = new Headers(options.requestInit?.headers);
    for (const [name, value] of Object.entries(headers ?? {})) merged.set(name, value);
    const record = Object.fromEntries(merged.entries());
    const key = JSON.stringify([parsed.href, Object.entries(record).sort()]);
    return { url: parsed, headers: record, key };
  }

  async function tools(request: ToolProviderRequest): Promise<readonly ToolDefinition[]> {
    const { signal } = request;
    if (signal.aborted) throw cancelled(signal);
    const target = await resolveTarget(request);
    let listed: McpTool[];
    try {
      listed = await withClient(target, signal, (client) => listAll(client, signal), {
        retryOnStale: true,
      });
    } catch (error) {
      if (signal.aborted) throw cancelled(signal, error);
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        throw new ParleyError(
          'timeout',
          `MCP tool provider "${id}": ${target.url.origin} did not answer within ${timeoutMs} ms`,
          { retryable: true, cause: error, details: { providerId: id } },
        );
      }
      throw new ParleyError(
        'tool_failed',
        `MCP tool provider "${id}" could not list the tools of ${target.url.origin}: ${messageOf(error)}`,
        { reason: 'mcp_unavailable', retryable: true, cause: error, details: { providerId: id } },
      );
    }
    const { names, collisions } = assignParleyToolNames(listed.map((tool) => tool.name));
    for (const toolName of collisions) {
      logger.warn('MCP tool left out: its Parley name is taken by another of its tools', {
        providerId: id,
        toolName,
      });
    }
    const byName = new Map(listed.map((tool) => [tool.name, tool]));
    const definitions: ToolDefinition[] = [];
    for (const { mcpName, parleyName } of names) {
      if (wanted && !wanted.has(mcpName) && !wanted.has(parleyName)) continue;
      const definition = definitionOf(target, byName.get(mcpName) as McpTool, parleyName);
      if (definition) definitions.push(definition);
    }
    return definitions;
  }

  function cancelled(signal: AbortSignal, cause: unknown = signal.reason): ParleyError {
    if (ParleyError.isInstance(signal.reason)) return signal.reason;
    return new ParleyError('cancelled', `MCP tool provider "${id}": the request was cancelled`, {
      cause,
    });
  }

  async function close(): Promise<void> {
    const open = [...connections.values()];
    connections.clear();
    await Promise.allSettled(open.map((connection) => connection.client.then((c) => c.close())));
  }

  return { id, tools, close };
}

/**
 * Whether an error means the connection itself failed (nothing answered, the session is gone),
 * rather than the server answering a request with an error or taking too long.
 */
function isConnectionFailure(error: unknown): boolean {
  if (ParleyError.isInstance(error)) return false;
  if (error instanceof McpError) return error.code === ErrorCode.ConnectionClosed;
  return true;
}

/** An error's message and, for a failed fetch, its system code; cut short for logs and errors. */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 200);
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  const message = typeof code === 'string' ? `${error.message} (${code})` : error.message;
  return message.slice(0, 200);
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
