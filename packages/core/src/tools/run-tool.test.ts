import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runTool } from './run-tool';
import { type ToolContext, tool } from './tool';
import { createToolHealth } from './tool-health';
import { createToolRateLimiter } from './tool-rate-limiter';

const context = (signal = new AbortController().signal): ToolContext => ({
  workspaceId: 'workspace-1',
  agentId: 'agent-1',
  sessionId: 'session-1',
  customerId: null,
  message: 'where is order A1?',
  agent: { id: 'agent-1', name: 'Support' } as ToolContext['agent'],
  session: { id: 'session-1', agentId: 'agent-1' } as ToolContext['session'],
  customer: null,
  variables: { plan: 'gold' },
  signal,
});

const lookupOrder = tool({
  name: 'lookup_order',
  description: 'Finds an order by number',
  parameters: z.object({ orderNumber: z.string() }),
  handler: async ({ orderNumber }, { variables }) => ({
    orderNumber,
    status: 'shipped',
    plan: variables.plan,
    at: new Date(0),
  }),
});

describe('tool', () => {
  it('declares the parameters as JSON Schema for the model', () => {
    expect(lookupOrder.jsonSchema).toMatchObject({
      type: 'object',
      properties: { orderNumber: { type: 'string' } },
      required: ['orderNumber'],
    });
    expect(lookupOrder.timeoutMs).toBe(10_000);
  });

  it('keeps the JSON Schema plain JSON, with no property a zod version hangs on it', () => {
    // zod 4.3 adds a non-enumerable `~standard` (functions) that the tool schema refuses.
    expect(Reflect.ownKeys(lookupOrder.jsonSchema ?? {})).toEqual(
      Object.keys(lookupOrder.jsonSchema ?? {}),
    );
    expect(JSON.parse(JSON.stringify(lookupOrder.jsonSchema))).toEqual(lookupOrder.jsonSchema);
  });

  it('refuses a name the model could not call', () => {
    expect(() =>
      tool({ name: 'look up', description: 'x', parameters: z.object({}), handler: () => 1 }),
    ).toThrow(/tool name/);
  });
});

describe('runTool', () => {
  it('runs the handler with the arguments and the turn context, storing a JSON result', async () => {
    const run = await runTool(lookupOrder, { orderNumber: 'A-1' }, context());
    expect(run).toEqual({
      toolName: 'lookup_order',
      arguments: { orderNumber: 'A-1' },
      result: {
        orderNumber: 'A-1',
        status: 'shipped',
        plan: 'gold',
        at: '1970-01-01T00:00:00.000Z',
      },
      ok: true,
      retryable: false,
    });
  });

  it('reports a throwing handler as a failed call instead of throwing', async () => {
    const broken = tool({
      name: 'broken',
      description: 'Always fails',
      parameters: z.object({}),
      handler: () => {
        throw new Error('backend down');
      },
    });
    const run = await runTool(broken, {}, context());
    expect(run.ok).toBe(false);
    expect(run.error).toEqual({
      code: 'tool_failed',
      message: 'Tool "broken" failed: backend down',
    });
    expect(run.retryable).toBe(true);
  });

  it('retries as configured and succeeds on a later attempt', async () => {
    let attempts = 0;
    const flaky = tool({
      name: 'flaky',
      description: 'Fails once',
      parameters: z.object({}),
      retries: 2,
      handler: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('try again');
        return { attempts };
      },
    });
    expect(await runTool(flaky, {}, context())).toMatchObject({
      ok: true,
      result: { attempts: 2 },
    });
  });

  it('gives up on an attempt that outlives its timeout, and aborts its signal', async () => {
    let seenAbort = false;
    const slow = tool({
      name: 'slow',
      description: 'Never answers',
      parameters: z.object({}),
      timeoutMs: 20,
      handler: (_args, { signal }) =>
        new Promise(() => {
          signal.addEventListener('abort', () => {
            seenAbort = true;
          });
        }),
    });
    const run = await runTool(slow, {}, context());
    expect(run.error?.code).toBe('tool_timeout');
    expect(seenAbort).toBe(true);
  });

  it('throws cancelled when the turn is cancelled while the tool runs', async () => {
    const controller = new AbortController();
    const waiting = tool({
      name: 'waiting',
      description: 'Waits',
      parameters: z.object({}),
      handler: () => new Promise((resolve) => setTimeout(resolve, 1000)),
    });
    const running = runTool(waiting, {}, context(controller.signal));
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('runTool with the engine’s health and rate limits', () => {
  it('records each call’s outcome and latency, and refuses calls over the rate limit', async () => {
    const health = createToolHealth();
    const rateLimiter = createToolRateLimiter();
    let clock = 0;
    const options = { health, rateLimiter, now: () => clock };
    let handlerRuns = 0;
    const limited = tool({
      name: 'check_stock',
      description: 'Checks the stock',
      parameters: z.object({ fail: z.boolean() }),
      rateLimit: { calls: 2, perMilliseconds: 1000 },
      handler: async ({ fail }) => {
        handlerRuns += 1;
        clock += 40;
        if (fail) throw new Error('warehouse unreachable');
        return { inStock: true };
      },
    });
    expect((await runTool(limited, { fail: false }, context(), options)).ok).toBe(true);
    expect((await runTool(limited, { fail: true }, context(), options)).ok).toBe(false);
    // A third call inside the same second is refused without running.
    const refused = await runTool(limited, { fail: false }, context(), options);
    expect(refused).toMatchObject({
      ok: false,
      retryable: true,
      error: {
        code: 'tool_rate_limited',
        message: 'Tool "check_stock" is over its rate limit (2 calls per 1000 ms)',
      },
    });
    expect(handlerRuns).toBe(2);
    // Once the window has passed, calls run again.
    clock += 1000;
    expect((await runTool(limited, { fail: false }, context(), options)).ok).toBe(true);

    const slow = tool({
      name: 'slow_lookup',
      description: 'Never answers in time',
      parameters: z.object({}),
      timeoutMs: 5,
      handler: () => new Promise(() => undefined),
    });
    expect((await runTool(slow, {}, context(), options)).error?.code).toBe('tool_timeout');

    const [stock, slowEntry] = health.snapshot();
    expect(stock).toMatchObject({
      toolName: 'check_stock',
      calls: 4,
      failures: 2,
      timeouts: 0,
      rateLimited: 1,
      latencyMs: { p50: 40, p95: 40 },
    });
    expect(stock?.lastCallAt).toEqual(expect.any(String));
    expect(slowEntry).toMatchObject({
      toolName: 'slow_lookup',
      calls: 1,
      failures: 1,
      timeouts: 1,
    });
  });

  it('refuses a rate limit that is not a positive number of calls per a positive time', () => {
    expect(() =>
      tool({
        name: 'x',
        description: 'x',
        parameters: z.object({}),
        rateLimit: { calls: 0, perMilliseconds: 1000 },
        handler: () => 1,
      }),
    ).toThrow(/rateLimit/);
  });
});
