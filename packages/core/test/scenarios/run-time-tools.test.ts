import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createEngine, type WorkspaceEngine } from '../../src/engine/create-engine';
import type { EngineLogger } from '../../src/engine/engine-logger';
import { createMcpToolProvider } from '../../src/mcp/create-mcp-tool-provider';
import { startTestMcpServer } from '../../src/mcp/start-test-mcp-server';
import type { ToolProvider, ToolProviderRequest } from '../../src/ports/tool-provider';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { createTestClock } from '../../src/testing/test-clock';
import { jsonSchemaTool } from '../../src/tools/json-schema-tool';
import { tool } from '../../src/tools/tool';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';
import { proposeToolCall } from '../scripted-tool-calls';

// Tools resolved at run time by ToolProviders: a host's user-made tool becomes callable with
// no restart, answers are cached per agent and catalog revision, and a failing provider only
// loses its own tools.

const store = useScenarioStore();

/** A provider of the host's user-made tools, as a host would keep them in its own table. */
function hostToolProvider(made: Map<string, Record<string, unknown>>) {
  const requests: ToolProviderRequest[] = [];
  let failing = false;
  const provider: ToolProvider = {
    id: 'host-custom-tools',
    async tools(request) {
      requests.push(request);
      if (failing) throw new Error('custom tools table unreachable');
      return [...made].map(([name, result]) =>
        jsonSchemaTool({
          name,
          description: `The host's ${name}`,
          parameters: {
            type: 'object',
            properties: { orderNumber: { type: 'string' } },
            required: ['orderNumber'],
          },
          handler: (args) => ({ ...args, ...result }),
        }),
      );
    },
  };
  return {
    provider,
    requests,
    fail: (value: boolean) => {
      failing = value;
    },
  };
}

async function orderDesk(workspace: WorkspaceEngine) {
  const agent = await workspace.agents.create({ name: 'Orders' });
  const declared = await workspace.tools.create({
    name: 'lookup_order',
    description: 'Finds an order by its number',
    parameters: {
      type: 'object',
      properties: { orderNumber: { type: 'string' } },
      required: ['orderNumber'],
    },
  });
  const guideline = await workspace.guidelines.create({
    agentId: agent.id,
    condition: 'the customer asks where their order is',
    action: 'look the order up and tell its status',
  });
  await workspace.guidelines.setTools(guideline.id, [declared.id]);
  const session = await workspace.sessions.create({ agentId: agent.id });
  return { agent, guideline, session };
}

function scriptOrderLookup(model: ReturnType<typeof createScriptedChatModel>) {
  scriptJudgement(model, () => ({ applies: () => true }));
  proposeToolCall(model, 'lookup_order', { orderNumber: 'A-17' });
  model.onText('reply', () => 'Here is your order.');
}

describe('tools from a ToolProvider', () => {
  it('runs a tool the host made at run time, asking the provider once per catalog revision', async () => {
    const made = new Map<string, Record<string, unknown>>();
    const host = hostToolProvider(made);
    const clock = createTestClock();
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, clock, toolProviders: [host.provider] });
    const workspaceId = freshWorkspaceId();
    const workspace = engine.forWorkspace(workspaceId);
    const { agent, guideline, session } = await orderDesk(workspace);
    scriptOrderLookup(model);
    const say = async (text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);

    // Declared and attached, but nobody implements it yet: the turn goes on without it.
    expect((await say('where is order A-17?')).explanation.tools).toEqual([]);
    expect(host.requests).toHaveLength(1);
    expect(host.requests[0]).toMatchObject({ workspaceId, agent: { id: agent.id } });

    // The host's user makes the tool; the cache keeps the old answer for this revision…
    made.set('lookup_order', { status: 'shipped' });
    expect((await say('where is order A-17?')).explanation.tools).toEqual([]);
    expect(host.requests).toHaveLength(1);
    // …until the catalog changes (or the cache's time passes): then it is asked again.
    await workspace.guidelines.update(guideline.id, { priority: 1 });
    const found = await say('where is order A-17?');
    expect(host.requests).toHaveLength(2);
    expect(found.explanation.tools).toEqual([{ toolName: 'lookup_order', ok: true }]);
    const events = await workspace.events.list(session.id);
    expect(events.filter((event) => event.kind === 'tool').at(-1)?.data).toEqual({
      calls: [
        {
          toolName: 'lookup_order',
          arguments: { orderNumber: 'A-17' },
          result: { orderNumber: 'A-17', status: 'shipped' },
        },
      ],
    });
    clock.advance(60_001);
    await say('where is order A-17?');
    expect(host.requests).toHaveLength(3);
    await engine.close();
  });

  it('keeps the engine’s own tool for a name a provider also gives', async () => {
    const made = new Map([['lookup_order', { status: 'from the provider' }]]);
    const host = hostToolProvider(made);
    const model = createScriptedChatModel();
    const engine = createEngine({
      store: store(),
      model,
      toolProviders: [host.provider],
      tools: [
        tool({
          name: 'lookup_order',
          description: 'Finds an order by its number',
          parameters: z.object({ orderNumber: z.string() }),
          handler: ({ orderNumber }) => ({ orderNumber, status: 'from the engine' }),
        }),
      ],
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { session } = await orderDesk(workspace);
    scriptOrderLookup(model);
    await (await workspace.sessions.postCustomerMessage(session.id, { text: 'order A-17?' })).turn;
    const toolEvent = (await workspace.events.list(session.id)).find(
      (event) => event.kind === 'tool',
    );
    expect(JSON.stringify(toolEvent?.data)).toContain('from the engine');
    await engine.close();
  });

  it('answers without a provider that fails or is late, and asks it again next turn', async () => {
    const warnings: string[] = [];
    const logger: EngineLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`),
      error: () => undefined,
    };
    const made = new Map([['lookup_order', { status: 'shipped' }]]);
    const host = hostToolProvider(made);
    const late: ToolProvider = { id: 'late', tools: () => new Promise(() => undefined) };
    const notTools: ToolProvider = {
      id: 'not-tools',
      tools: async () => [{ name: 'fake' } as never],
    };
    const model = createScriptedChatModel();
    const engine = createEngine({
      store: store(),
      model,
      logger,
      toolProviders: [host.provider, late, notTools],
      toolProvision: { timeoutMs: 50 },
    });
    const workspace = engine.forWorkspace(freshWorkspaceId());
    const { session } = await orderDesk(workspace);
    scriptOrderLookup(model);
    const say = async (text: string) =>
      expectReady(await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn);

    host.fail(true);
    expect((await say('where is order A-17?')).explanation.tools).toEqual([]);
    host.fail(false);
    // The failed answer was not kept: the same revision asks again, and the tool runs.
    expect((await say('where is order A-17?')).explanation.tools).toEqual([
      { toolName: 'lookup_order', ok: true },
    ]);
    expect(host.requests).toHaveLength(2);
    const logged = warnings.join('\n');
    expect(logged).toContain('tool provider failed');
    expect(logged).toContain('tool provider timed out');
    expect(logged).toContain('not a tool');
    expect(logged).not.toContain('unreachable');
    await engine.close();
  });

  it('calls an MCP server’s tool in a turn, through the SDK client over HTTP', async () => {
    const server = await startTestMcpServer();
    const mcp = createMcpToolProvider({
      id: 'mcp:orders',
      url: server.url,
      headers: (request) => ({ 'x-workspace': request.workspaceId }),
    });
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, toolProviders: [mcp] });
    try {
      const workspaceId = freshWorkspaceId();
      const workspace = engine.forWorkspace(workspaceId);
      const { session } = await orderDesk(workspace);
      scriptOrderLookup(model);
      const outcome = expectReady(
        await (await workspace.sessions.postCustomerMessage(session.id, { text: 'order A-17?' }))
          .turn,
      );
      expect(outcome.explanation.tools).toEqual([{ toolName: 'lookup_order', ok: true }]);
      expect(server.calls).toEqual([{ orderNumber: 'A-17' }]);
      expect(server.requests.some((headers) => headers['x-workspace'] === workspaceId)).toBe(true);
      const toolEvent = (await workspace.events.list(session.id)).find(
        (event) => event.kind === 'tool',
      );
      expect(toolEvent?.data).toEqual({
        calls: [
          {
            toolName: 'lookup_order',
            arguments: { orderNumber: 'A-17' },
            result: { orderNumber: 'A-17', status: 'shipped' },
          },
        ],
      });
      expect(engine.toolHealth()).toEqual([
        expect.objectContaining({ toolName: 'lookup_order', calls: 1, failures: 0 }),
      ]);
    } finally {
      await engine.close();
      await mcp.close();
      await server.stop();
    }
  });

  it('refuses a provider that is not one', () => {
    expect(() =>
      createEngine({ store: store(), toolProviders: [{ id: 'x' } as unknown as ToolProvider] }),
    ).toThrow(/toolProviders\[0\]/);
    expect(() => createEngine({ store: store(), toolProvision: { cacheMs: 0 } })).toThrow(
      /toolProvision\.cacheMs/,
    );
  });
});

describe('provided tools in an agent definition', () => {
  it('declares a provided tool by name, so a guideline of the definition calls it', async () => {
    const made = new Map([['lookup_order', { status: 'shipped' }]]);
    const host = hostToolProvider(made);
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model, toolProviders: [host.provider] });
    const workspaceId = freshWorkspaceId();
    const definition = {
      name: 'Orders',
      providedTools: [
        {
          name: 'lookup_order',
          description: 'Finds an order by its number',
          parameters: {
            type: 'object',
            properties: { orderNumber: { type: 'string' } },
            required: ['orderNumber'],
          },
        },
      ],
      guidelines: [
        {
          key: 'where',
          condition: 'the customer asks where their order is',
          action: 'look the order up and tell its status',
          tools: ['lookup_order'],
        },
      ],
    };
    const report = await engine.sync(workspaceId, definition);
    expect(report.changes).toEqual(
      expect.arrayContaining([{ entity: 'tool', name: 'lookup_order', change: 'created' }]),
    );
    expect((await engine.sync(workspaceId, definition)).changes).toEqual([]);
    // Declared, not registered: the engine's own registry stays without it.
    expect(engine.tools.has('lookup_order')).toBe(false);
    const workspace = engine.forWorkspace(workspaceId);
    const session = await workspace.sessions.create({ agentId: report.agent.id });
    scriptOrderLookup(model);
    const ready = expectReady(
      await (
        await workspace.sessions.postCustomerMessage(session.id, { text: 'where is order A-17?' })
      ).turn,
    );
    expect(ready.explanation.tools).toEqual([{ toolName: 'lookup_order', ok: true }]);
    const toolEvent = (await workspace.events.list(session.id)).find(
      (event) => event.kind === 'tool',
    );
    expect(toolEvent?.data).toEqual({
      calls: [
        {
          toolName: 'lookup_order',
          arguments: { orderNumber: 'A-17' },
          result: { orderNumber: 'A-17', status: 'shipped' },
        },
      ],
    });
    await engine.close();
  });
});
