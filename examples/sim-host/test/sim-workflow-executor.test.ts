import type { JsonValue, WorkflowExecutionRequest } from '@parley/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readSseDataFrames } from '../lib/read-sse-data-frames';
import { createSimWorkflowExecutor } from '../lib/sim-workflow-executor';
import {
  startTestWorkflowServer,
  type TestWorkflowServer,
} from '../lib/start-test-workflow-server';

// The Sim executor over real HTTP against the test workflow server, then the stream's edge cases
// through an injected `fetch`, then the SSE reader on hand-cut chunks.

const apiKey = 'sim-key-4f1c9a7e2b';
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

function requestFor(
  workflowId: string,
  input: Record<string, JsonValue> = {},
  signal: AbortSignal = new AbortController().signal,
): WorkflowExecutionRequest {
  return {
    workflowId,
    input,
    workspaceId: 'workspace-1',
    agentId: 'agent-1',
    sessionId: 'session-1',
    trigger: 'tool',
    signal,
  };
}

/** Rejects when `promise` is still pending after `ms`: a hang fails fast, not at the timeout. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** What `promise` rejects with; fails the test when it resolves instead. */
async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const outcome = await promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`resolved with ${JSON.stringify(outcome.value)}`);
  expect(outcome.error).toBeInstanceOf(Error);
  return outcome.error as Error;
}

/** A body made of exactly these chunks, left open after them unless `close`. */
function streamOf(chunks: Array<string | Uint8Array>, { close = true, onCancel = () => {} } = {}) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) {
        controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
      }
      if (close) controller.close();
    },
    cancel: onCancel,
  });
}

async function collect(body: ReadableStream<Uint8Array>): Promise<string[]> {
  const frames: string[] = [];
  for await (const data of readSseDataFrames(body)) frames.push(data);
  return frames;
}

describe('createSimWorkflowExecutor on the test workflow server', () => {
  let server: TestWorkflowServer;
  let hang = { started: deferred(), release: deferred() };
  const orderStatus = { orderId: 'A-1001', status: 'shipped', note: 'Livraison prévue lundi ✓' };

  beforeAll(async () => {
    server = await startTestWorkflowServer({
      apiKey,
      workflows: {
        'order-status': (input) => ({ ...orderStatus, asked: input.orderId ?? null }),
        'team/report': () => 'report ready',
        refund: () => {
          throw new Error('Refund service unavailable');
        },
        hangs: async () => {
          hang.started.resolve();
          await hang.release.promise;
          return 'too late';
        },
      },
    });
  });
  afterEach(() => {
    hang.release.resolve();
    hang = { started: deferred(), release: deferred() };
  });
  afterAll(() => server.close());

  const executor = () => createSimWorkflowExecutor({ baseUrl: server.url, apiKey });

  it('runs a workflow and returns its final data and the execution id', async () => {
    const execution = await executor().execute(requestFor('order-status', { orderId: 'A-1001' }));

    expect(execution.output).toEqual({ ...orderStatus, asked: 'A-1001' });
    expect(execution.executionId).toMatch(uuid);
    expect(execution.executionId).toBe(server.calls.at(-1)?.executionId);
  });

  it('sends the input to the workflow and the key as X-API-Key', async () => {
    const input = { orderId: 'B-7', customer: { email: 'ada@example.com' }, urgent: true };
    await executor().execute(requestFor('order-status', input));

    expect(server.calls.at(-1)).toEqual({
      workflowId: 'order-status',
      input,
      apiKey,
      executionId: expect.stringMatching(uuid),
    });
  });

  it('encodes the workflow id into the path, whatever the base URL ends with', async () => {
    const execution = await createSimWorkflowExecutor({
      baseUrl: `${server.url}/`,
      apiKey,
    }).execute(requestFor('team/report'));

    expect(execution.output).toBe('report ready');
    expect(server.calls.at(-1)?.workflowId).toBe('team/report');
  });

  it('reads the JSON answer with `stream: false`', async () => {
    const contentTypes: Array<string | null> = [];
    const execution = await createSimWorkflowExecutor({
      baseUrl: server.url,
      apiKey,
      stream: false,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        contentTypes.push(response.headers.get('content-type'));
        return response;
      },
    }).execute(requestFor('order-status', { orderId: 'C-3' }));

    expect(contentTypes).toEqual(['application/json']);
    expect(execution).toEqual({
      output: { ...orderStatus, asked: 'C-3' },
      executionId: server.calls.at(-1)?.executionId,
    });
  });

  it('rejects a wrong key with a message naming 401, never the key', async () => {
    const wrongKey = 'sim-key-wrong-93d0e1';
    const failure = await failureOf(
      createSimWorkflowExecutor({ baseUrl: server.url, apiKey: wrongKey }).execute(
        requestFor('order-status'),
      ),
    );

    // The server's message quotes the key it was sent: the executor must not pass it on.
    expect(failure.message).toMatch(/HTTP 401: Invalid API key: \[redacted\]/);
    expect(failure.message).not.toContain(wrongKey);
    expect(server.calls.at(-1)?.apiKey).toBe(wrongKey);
  });

  it('rejects an unknown workflow with the 404 and its error text', async () => {
    await expect(executor().execute(requestFor('no-such-workflow'))).rejects.toThrow(
      /HTTP 404: Workflow no-such-workflow not found/,
    );
  });

  it("rejects with a workflow's failure, streamed or answered as a 500", async () => {
    await expect(executor().execute(requestFor('refund'))).rejects.toThrow(
      /"refund" failed: Refund service unavailable/,
    );
    await expect(
      createSimWorkflowExecutor({ baseUrl: server.url, apiKey, stream: false }).execute(
        requestFor('refund'),
      ),
    ).rejects.toThrow(/HTTP 500: Refund service unavailable/);
  });

  it('aborts the call, stream and all, when the request signal aborts', async () => {
    const controller = new AbortController();
    const execution = executor().execute(requestFor('hangs', {}, controller.signal));
    // The server has answered its headers and the workflow is running: only the body is left.
    await withDeadline(hang.started.promise, 2_000);
    controller.abort();

    await expect(withDeadline(execution, 2_000)).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe("createSimWorkflowExecutor on a stream's edge cases", () => {
  const respondWith =
    (body: ReadableStream<Uint8Array>): typeof fetch =>
    async () =>
      new Response(body, {
        headers: { 'content-type': 'text/event-stream', 'x-execution-id': 'execution-9' },
      });
  const executorOn = (body: ReadableStream<Uint8Array>) =>
    createSimWorkflowExecutor({ baseUrl: 'http://sim.test', apiKey, fetch: respondWith(body) });

  it("returns the chunks' text when the stream has no final event", async () => {
    const body = streamOf([
      'data: {"blockId":"agent-1","chunk":"Your order "}\n\n',
      'data: {"blockId":"agent-1","chunk":"has shipped."}\n\ndata: [DONE]\n\n',
    ]);

    expect(await executorOn(body).execute(requestFor('any'))).toEqual({
      output: { text: 'Your order has shipped.' },
      executionId: 'execution-9',
    });
  });

  it('throws when the stream ends with neither a final event nor chunks', async () => {
    const body = streamOf([': keep-alive\n\n', 'data: {"event":"block_started"}\n\n']);

    await expect(executorOn(body).execute(requestFor('any'))).rejects.toThrow(
      /ended its stream without a result/,
    );
  });

  it('stops at [DONE] and closes the connection, though the server keeps it open', async () => {
    let cancelled = false;
    const body = streamOf(['data: {"blockId":"a","chunk":"hi"}\n\ndata: [DONE]\n\n'], {
      close: false,
      onCancel: () => {
        cancelled = true;
      },
    });

    expect(await withDeadline(executorOn(body).execute(requestFor('any')), 2_000)).toEqual({
      output: { text: 'hi' },
      executionId: 'execution-9',
    });
    expect(cancelled).toBe(true);
  });

  it('truncates a long error text to 300 characters', async () => {
    const executor = createSimWorkflowExecutor({
      baseUrl: 'http://sim.test',
      apiKey,
      fetch: async () => Response.json({ error: 'x'.repeat(1_000) }, { status: 502 }),
    });

    const failure = await failureOf(executor.execute(requestFor('any')));
    expect(failure.message).toMatch(/HTTP 502: x{300}…$/);
  });
});

describe('readSseDataFrames', () => {
  it('joins a frame split across chunks, mid-line and mid-character', async () => {
    const bytes = new TextEncoder().encode('data: {"chunk":"prévu ✓"}\n\n');
    const cuts = [3, 9, 19, 22, 24, bytes.length - 1];
    const chunks = cuts.map((end, index) => bytes.slice(cuts[index - 1] ?? 0, end));
    chunks.push(bytes.slice(cuts.at(-1)));

    expect(await collect(streamOf(chunks))).toEqual(['{"chunk":"prévu ✓"}']);
  });

  it('reads CRLF and CR line ends, a CRLF split between chunks included', async () => {
    // Read as two line ends, a CRLF would end the frame after `one`.
    const chunks = ['data: one\r', '\ndata: two\r\n\r', '\ndata: three\r\rdata: four\n\n'];

    expect(await collect(streamOf(chunks))).toEqual(['one\ntwo', 'three', 'four']);
  });

  it("joins a frame's data lines with \\n and ignores comments and other fields", async () => {
    const chunks = [
      ': keep-alive\n\n',
      'event: final\nid: 7\ndata: {"event":"final",\n: a comment inside\ndata:"data":1}\n\n',
      'retry: 100\n\n',
      'data\ndata: x\n\n',
    ];

    expect(await collect(streamOf(chunks))).toEqual(['{"event":"final",\n"data":1}', '\nx']);
  });

  it('drops a frame cut off by the end of the body', async () => {
    expect(await collect(streamOf(['data: whole\n\n', 'data: {"event":"fin']))).toEqual(['whole']);
  });

  it('cancels the body when the reader stops early', async () => {
    let cancelled = false;
    const body = streamOf(['data: first\n\ndata: second\n\n'], {
      close: false,
      onCancel: () => {
        cancelled = true;
      },
    });
    for await (const data of readSseDataFrames(body)) {
      expect(data).toBe('first');
      break;
    }

    expect(cancelled).toBe(true);
  });
});
