/**
 * @module @parley/core/mcp — a `ToolProvider` over an MCP server (Streamable HTTP), so an MCP
 * server's tools become an agent's tools. `@modelcontextprotocol/sdk` is an optional peer
 * dependency: install it to use this entry.
 */
export {
  createMcpToolProvider,
  type McpRequestValue,
  type McpToolProvider,
  type McpToolProviderOptions,
} from './create-mcp-tool-provider';
export { toParleyToolName } from './mcp-tool-names';
export { type McpCallToolResult, toToolResult } from './mcp-tool-result';
