/**
 * @module Parley's `WorkflowExecutor` port on Sim's workflow API: an agent's workflow links run
 * as `POST /api/workflows/:id/execute` calls with a workspace API key, read as they stream.
 */
import type { JsonValue, WorkflowExecution, WorkflowExecutor } from '@parley/core';
import { readSseDataFrames } from './read-sse-data-frames';

/** Options of {@link createSimWorkflowExecutor}. */
export interface SimWorkflowExecutorOptions {
  /** Sim's origin, e.g. `https://sim.example.com` (a trailing `/` is fine). */
  baseUrl: string;
  /** A workspace API key, sent as `X-API-Key` and kept out of every error message. */
  apiKey: string;
  /** Default `globalThis.fetch`, looked up at each call. */
  fetch?: typeof fetch;
  /**
   * Ask for the event stream (default true). Streaming keeps a long workflow's connection busy
   * with block chunks rather than idle until it ends, so proxies do not time it out.
   */
  stream?: boolean;
}

/**
 * One of Sim's frames, as `data:` JSON: a block's text `{ blockId, chunk }`, the result
 * `{ event: "final", data }`, or a failure `{ event: "error", error }`.
 */
interface SimFrame {
  blockId?: string;
  chunk?: unknown;
  event?: string;
  data?: JsonValue;
  error?: unknown;
}

/** How much of Sim's error text a message carries: enough to act on, not a whole page. */
const maxDetailLength = 300;

/**
 * A {@link WorkflowExecutor} that runs Sim workflows over HTTP. With `stream` (the default) it
 * reads Sim's `text/event-stream`: `{ blockId, chunk }` frames, then `{ event: "final", data }`
 * (the output) and `[DONE]`; a stream with chunks but no final event gives
 * `{ text: <the chunks joined> }`, one with neither throws, and so does an
 * `{ event: "error" }` frame. Without it (or when a JSON answer comes back anyway) the body is
 * read as `{ success: boolean, output?: JsonValue, executionId?: string, error?: string }`. The
 * execution id is the `X-Execution-Id` response header (or the JSON's `executionId`). A non-2xx
 * answer (401 bad key, 404 unknown workflow, …) throws an Error naming the status and Sim's
 * `{ error }` text. `request.signal` aborts the call, reading the stream included.
 */
export function createSimWorkflowExecutor(options: SimWorkflowExecutorOptions): WorkflowExecutor {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const stream = options.stream ?? true;
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  // Sim's messages may quote what they were sent (as careless proxies do): never pass the key on.
  const describe = (text: string) => {
    const redacted = options.apiKey ? text.replaceAll(options.apiKey, '[redacted]') : text;
    return redacted.length > maxDetailLength ? `${redacted.slice(0, maxDetailLength)}…` : redacted;
  };

  return {
    async execute(request) {
      const label = `Sim workflow ${JSON.stringify(request.workflowId)}`;
      const response = await send(
        `${baseUrl}/api/workflows/${encodeURIComponent(request.workflowId)}/execute`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: stream ? 'text/event-stream' : 'application/json',
            'x-api-key': options.apiKey,
          },
          body: JSON.stringify({ input: request.input, stream }),
          signal: request.signal,
        },
      );
      if (!response.ok) {
        const text = await response.text().catch(() => '');
        const error = (parseJson(text) as { error?: unknown } | undefined)?.error;
        const detail = describe(typeof error === 'string' ? error : text.trim());
        throw new Error(`${label} failed with HTTP ${response.status}${detail && `: ${detail}`}`);
      }
      const headerId = response.headers.get('x-execution-id') ?? undefined;
      const withId = (output: JsonValue, executionId = headerId): WorkflowExecution =>
        executionId ? { output, executionId } : { output };

      // Read by what came back rather than by what was asked: an error page or a proxy may
      // answer JSON to a streamed request.
      if (!response.headers.get('content-type')?.startsWith('text/event-stream')) {
        const body = parseJson(await response.text()) as
          | { success?: boolean; output?: JsonValue; executionId?: string; error?: string }
          | undefined;
        if (typeof body !== 'object' || body === null) {
          throw new Error(`${label} answered neither an event stream nor JSON`);
        }
        if (body.success === false) {
          throw new Error(`${label} failed: ${describe(String(body.error ?? 'unknown error'))}`);
        }
        return withId(body.output ?? null, headerId ?? body.executionId);
      }

      const chunks: string[] = [];
      for await (const data of response.body ? readSseDataFrames(response.body) : []) {
        if (data === '[DONE]') break;
        // Frames this executor does not know (other events, non-JSON) are Sim's business: skipped.
        const frame = parseJson(data) as SimFrame | null | undefined;
        if (typeof frame !== 'object' || frame === null) continue;
        if (frame.event === 'final') return withId(frame.data ?? null);
        if (frame.event === 'error') {
          throw new Error(`${label} failed: ${describe(String(frame.error ?? 'unknown error'))}`);
        }
        if (typeof frame.chunk === 'string') chunks.push(frame.chunk);
      }
      if (chunks.length > 0) return withId({ text: chunks.join('') });
      throw new Error(`${label} ended its stream without a result`);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
