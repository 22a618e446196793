import type { Agent } from '../domain/agent';
import type { ToolDefinition } from '../tools/tool';

/** What a {@link ToolProvider} is asked for: the tools one agent's turn may call. */
export interface ToolProviderRequest {
  workspaceId: string;
  agent: Agent;
  /** Aborted when the turn is cancelled: providers pass it to their network calls. */
  signal: AbortSignal;
}

/**
 * Resolves tools at run time, so tools a host's users make (its custom tools, an MCP server's)
 * become an agent's tools with no restart. A turn asks every provider for the agent's tools
 * when it starts, beside the engine's own `tools`; an engine-registered tool wins a name both
 * have. Answers are kept per workspace, agent and catalog revision for `cacheMs` (see
 * `EngineOptions.toolProviders`), so a provider is not asked every turn. Like any tool, a
 * provided one runs only where the agent's guidelines, journey states or variables name it.
 * A provider that fails or outlasts its deadline is logged and the turn goes on without its
 * tools.
 */
export interface ToolProvider {
  /** Names the provider in logs and health, e.g. `mcp:billing`. */
  readonly id: string;
  /** The tools the agent may call, made with `tool()` or `jsonSchemaTool()`. */
  tools(request: ToolProviderRequest): Promise<readonly ToolDefinition[]>;
}
