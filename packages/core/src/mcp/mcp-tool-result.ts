import { ParleyError } from '../errors/parley-error';

/** The parts of an MCP `tools/call` result that Parley reads. */
export interface McpCallToolResult {
  content?: readonly unknown[];
  structuredContent?: unknown;
  isError?: boolean;
  /** What servers of protocol 2024-10-07 answer instead of `content`. */
  toolResult?: unknown;
}

/** The most of a failing tool's text a Parley error message carries. */
const maxErrorLength = 500;

/**
 * An MCP tool result as the JSON a Parley tool returns:
 * - `structuredContent` when the server sent it;
 * - else, when every content part is text, the texts joined by a newline (`null` for no content);
 * - else `{ text, content }`: the text parts joined, and the other parts (images, audio,
 *   resources) as the server sent them;
 * - from a server of the 2024-10-07 protocol, its `toolResult`.
 *
 * A result with `isError: true` throws a `tool_failed` ParleyError (reason `mcp_tool_error`)
 * whose message is the server's text, cut to 500 characters, so the turn records a failed call.
 */
export function toToolResult(result: McpCallToolResult, toolName: string): unknown {
  const content = Array.isArray(result.content) ? result.content : [];
  const texts: string[] = [];
  const others: unknown[] = [];
  for (const part of content) {
    if (isTextPart(part)) texts.push(part.text);
    else others.push(part);
  }
  const text = texts.join('\n');
  if (result.isError === true) {
    const message = text.trim() || `MCP tool "${toolName}" reported an error without text`;
    throw new ParleyError('tool_failed', message.slice(0, maxErrorLength), {
      reason: 'mcp_tool_error',
      details: { toolName },
    });
  }
  if (result.structuredContent !== undefined && result.structuredContent !== null) {
    return asJson(result.structuredContent);
  }
  if (content.length === 0) {
    return result.toolResult === undefined ? null : asJson(result.toolResult);
  }
  if (others.length === 0) return text;
  return { text, content: asJson(others) };
}

function isTextPart(part: unknown): part is { type: 'text'; text: string } {
  return (
    typeof part === 'object' &&
    part !== null &&
    (part as { type?: unknown }).type === 'text' &&
    typeof (part as { text?: unknown }).text === 'string'
  );
}

/** A plain JSON copy, so nothing the SDK hangs on its objects reaches the store. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
