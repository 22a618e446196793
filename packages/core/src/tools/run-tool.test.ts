import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runTool } from './run-tool';
import { type ToolContext, tool } from './tool';

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
