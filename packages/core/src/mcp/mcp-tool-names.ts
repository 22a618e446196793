/** What Parley's tool names must match (the identifier rule of `tool()`). */
const parleyToolName = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/**
 * The Parley name of an MCP tool. MCP allows names Parley's identifier rule refuses
 * (`github.create_issue`, `docs/search`, `1st`, 100 characters): a name that fits is kept as
 * it is; any other has each character outside `A-Z a-z 0-9 _ -` replaced by `_`, `mcp_`
 * put before it when it does not start with a letter, and is cut to 64 characters. So
 * `github.create_issue` is called `github_create_issue` in guidelines and journey states.
 */
export function toParleyToolName(mcpName: string): string {
  if (parleyToolName.test(mcpName)) return mcpName;
  const replaced = mcpName.replace(/[^A-Za-z0-9_-]/g, '_');
  const prefixed = /^[A-Za-z]/.test(replaced) ? replaced : `mcp_${replaced}`;
  return prefixed.slice(0, 64);
}

/** One MCP tool's names, as {@link assignParleyToolNames} settles them. */
export interface McpToolName {
  /** The name the server lists and is called with. */
  mcpName: string;
  /** The name Parley registers; see {@link toParleyToolName}. */
  parleyName: string;
}

/** What {@link assignParleyToolNames} found: the names to use and the MCP names left out. */
export interface McpToolNameAssignment {
  names: McpToolName[];
  /** MCP names whose Parley name another tool of the server already has. */
  collisions: string[];
}

/**
 * Maps a server's tool names to Parley names, whatever order the server lists them in: a
 * name that already fits always keeps it; a mapped name that two tools would share (`a.b` and
 * `a/b`, or `a.b` beside a real `a_b`) is given to none of the mapped ones, which are reported
 * as collisions rather than picked by listing order.
 */
export function assignParleyToolNames(mcpNames: readonly string[]): McpToolNameAssignment {
  const unique = [...new Set(mcpNames)];
  const exact = new Set(unique.filter((name) => parleyToolName.test(name)));
  const mappedCount = new Map<string, number>();
  for (const name of unique) {
    if (exact.has(name)) continue;
    const mapped = toParleyToolName(name);
    mappedCount.set(mapped, (mappedCount.get(mapped) ?? 0) + 1);
  }
  const names: McpToolName[] = [];
  const collisions: string[] = [];
  for (const mcpName of unique) {
    if (exact.has(mcpName)) {
      names.push({ mcpName, parleyName: mcpName });
      continue;
    }
    const parleyName = toParleyToolName(mcpName);
    if (exact.has(parleyName) || (mappedCount.get(parleyName) ?? 0) > 1) collisions.push(mcpName);
    else names.push({ mcpName, parleyName });
  }
  return { names, collisions };
}
