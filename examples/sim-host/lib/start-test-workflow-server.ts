/**
 * @module A stand-in for Sim's workflow API, test support: a real HTTP server on a free port of
 * 127.0.0.1 answering `POST /api/workflows/:id/execute` as Sim does (see
 * `createSimWorkflowExecutor`), with workflows given as functions. The vitest suites start it,
 * and it lives in `lib/` rather than `test/` so that `e2e/serve.ts` can start it for the
 * Playwright run too. Not for production: it keeps every call in memory.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A workflow of the test server: its input in, its result (Sim's final `data`) out. */
export type TestWorkflow = (input: Record<string, unknown>) => unknown | Promise<unknown>;

/** Options of {@link startTestWorkflowServer}. */
export interface TestWorkflowServerOptions {
  /** The one `X-API-Key` it accepts; any other gets a 401. */
  apiKey: string;
  /** The workflows by id; any other id gets a 404. */
  workflows: Record<string, TestWorkflow>;
}

/** A request the server received on the execute route, whether or not it was accepted. */
export interface TestWorkflowCall {
  workflowId: string;
  /** The body's `input`, or undefined when the body was not a JSON object. */
  input: unknown;
  /** The `X-API-Key` it sent, or null without one. */
  apiKey: string | null;
  /** The `X-Execution-Id` it was answered with, once the workflow ran. */
  executionId?: string;
}

/** A running test server; see {@link startTestWorkflowServer}. */
export interface TestWorkflowServer {
  /** `http://127.0.0.1:<port>`: the executor's `baseUrl`. */
  url: string;
  /** Every call of the execute route, in order. */
  calls: TestWorkflowCall[];
  /** Stops it, dropping open connections (a workflow still running is left to itself). */
  close(): Promise<void>;
}

const executePath = /^\/api\/workflows\/([^/]+)\/execute$/;

/**
 * Starts the server. A call with a wrong key gets 401, an unknown workflow 404, a body that is
 * not a JSON object 400, each as JSON `{ error }` (the 401's message quotes the key it was sent,
 * as careless servers do, so tests can check that a client goes no further). With
 * `stream: true` it answers `text/event-stream` at once (a `:` keep-alive comment), then when
 * the workflow returns: its result's JSON as two `{ blockId, chunk }` frames, the final frame
 * written in two pieces (so a client must join frames across reads), and `[DONE]`; a workflow
 * that throws ends the stream with `{ event: "error", error }`. Without it: JSON
 * `{ success: true, output, executionId }`, or a 500 `{ error }`. Every answer to a workflow run
 * carries a fresh `X-Execution-Id`.
 */
export async function startTestWorkflowServer(
  options: TestWorkflowServerOptions,
): Promise<TestWorkflowServer> {
  const calls: TestWorkflowCall[] = [];

  const server = createServer(async (request, response) => {
    const match = request.method === 'POST' ? executePath.exec(request.url ?? '') : null;
    const workflowId = match ? decodePathSegment(match[1]!) : null;
    if (workflowId === null) return sendJson(response, 404, { error: 'Not found' });
    const pieces: Buffer[] = [];
    for await (const piece of request) pieces.push(piece as Buffer);
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(pieces).toString('utf8'));
    } catch {
      body = undefined;
    }
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const fields = (isObject ? body : {}) as { input?: unknown; stream?: unknown };
    const apiKey = request.headers['x-api-key'];
    const call: TestWorkflowCall = {
      workflowId,
      input: isObject ? fields.input : undefined,
      apiKey: typeof apiKey === 'string' ? apiKey : null,
    };
    calls.push(call);

    if (call.apiKey !== options.apiKey) {
      return sendJson(response, 401, { error: `Invalid API key: ${call.apiKey ?? '(none)'}` });
    }
    const workflow = Object.hasOwn(options.workflows, workflowId)
      ? options.workflows[workflowId]
      : undefined;
    if (!workflow) return sendJson(response, 404, { error: `Workflow ${workflowId} not found` });
    if (!isObject) return sendJson(response, 400, { error: 'The body must be a JSON object' });
    const input = (
      typeof fields.input === 'object' && fields.input !== null ? fields.input : {}
    ) as Record<string, unknown>;
    call.executionId = randomUUID();
    const run = async () => workflow(input);

    if (fields.stream !== true) {
      try {
        const output = await run();
        return sendJson(
          response,
          200,
          { success: true, output, executionId: call.executionId },
          {
            'x-execution-id': call.executionId,
          },
        );
      } catch (error) {
        return sendJson(response, 500, { error: messageOf(error) });
      }
    }

    response.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-execution-id': call.executionId,
    });
    await write(response, ': keep-alive\n\n');
    let result: unknown;
    try {
      result = await run();
    } catch (error) {
      await write(response, frame({ event: 'error', error: messageOf(error) }));
      return response.end();
    }
    const text = JSON.stringify(result) ?? 'null';
    const half = Math.ceil(text.length / 2);
    await write(response, frame({ blockId: 'agent-1', chunk: text.slice(0, half) }));
    await write(response, frame({ blockId: 'agent-1', chunk: text.slice(half) }));
    const final = frame({ event: 'final', data: result ?? null });
    await write(response, final.slice(0, 20));
    await write(response, final.slice(20));
    await write(response, 'data: [DONE]\n\n');
    response.end();
  });

  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function frame(data: unknown): string {
  return `data: ${JSON.stringify(data)}\n\n`;
}

/** Writes one piece and lets it leave before the next, so pieces reach the client apart. */
async function write(response: ServerResponse, text: string): Promise<void> {
  // The client may have gone (aborted): nothing to write to.
  if (response.destroyed) return;
  await new Promise<void>((resolve) => response.write(text, () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 1));
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function decodePathSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
