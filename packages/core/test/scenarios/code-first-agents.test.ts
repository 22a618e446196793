import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/definition/define-agent';
import { createEngine } from '../../src/engine/create-engine';
import type { TurnOutcome } from '../../src/engine/run-turn';
import { createScriptedChatModel } from '../../src/testing/create-scripted-chat-model';
import { tool } from '../../src/tools/tool';
import { useScenarioStore } from '../scenario-support';
import { scriptJudgement } from '../scripted-judgement';

const store = useScenarioStore();

describe('agents kept in code', () => {
  const lookupOrder = tool({
    name: 'lookup_order',
    description: 'Finds an order by its number',
    parameters: z.object({ orderNumber: z.string() }),
    handler: ({ orderNumber }) => ({ orderNumber, status: 'delivered' }),
  });
  const support = defineAgent({
    name: 'Support',
    description: 'Answers questions about orders',
    tools: [lookupOrder],
    guidelines: [
      {
        key: 'order_status',
        condition: 'the customer asks where their order is',
        action: 'look the order up and tell its status',
        tools: ['lookup_order'],
      },
    ],
    terms: [{ name: 'RMA', description: 'A return authorization number' }],
  });

  it('syncs the definition idempotently and runs its tools in a conversation', async () => {
    const model = createScriptedChatModel();
    const engine = createEngine({ store: store(), model });
    const workspaceId = `workspace-${globalThis.crypto.randomUUID()}`;
    const first = await engine.sync(workspaceId, support);
    expect(first.created).toBeGreaterThan(0);
    const second = await engine.sync(workspaceId, support);
    expect({ created: second.created, updated: second.updated, archived: second.archived }).toEqual(
      {
        created: 0,
        updated: 0,
        archived: 0,
      },
    );
    // The definition's tools are registered with the engine by the sync.
    expect(engine.tools.get('lookup_order')).toBe(lookupOrder);

    scriptJudgement(model, () => ({ applies: () => true }));
    model.onObject('tool_calls', () => ({
      calls: [
        {
          tool: 'lookup_order',
          call: true,
          arguments: '{"orderNumber":"B-2"}',
          missingArguments: [],
        },
      ],
    }));
    model.onText('reply', () => 'Order B-2 was delivered.');
    const workspace = engine.forWorkspace(workspaceId);
    const session = await workspace.sessions.create({ agentId: first.agent.id });
    const outcome = (await (
      await workspace.sessions.postCustomerMessage(session.id, { text: 'where is order B-2?' })
    ).turn) as TurnOutcome;
    expect(outcome.status === 'ready' && outcome.explanation.tools).toEqual([
      { toolName: 'lookup_order', ok: true },
    ]);
    await engine.close();
  });

  it('refuses two different tools under one name', async () => {
    const engine = createEngine({ store: store(), tools: [lookupOrder] });
    const impostor = defineAgent({
      name: 'Other',
      tools: [{ ...lookupOrder, description: 'Something else' }],
    });
    const workspaceId = `workspace-${globalThis.crypto.randomUUID()}`;
    await expect(engine.sync(workspaceId, impostor)).rejects.toMatchObject({
      code: 'conflict',
    });
    // Refused before anything was written.
    expect((await engine.forWorkspace(workspaceId).agents.list()).items).toEqual([]);
    await engine.close();
  });

  it('registers no tool of a definition whose sync failed', async () => {
    const engine = createEngine({ store: store() });
    const checkStock = tool({
      name: 'check_stock',
      description: 'Tells whether a product is in stock',
      parameters: z.object({ product: z.string() }),
      handler: async () => ({ inStock: true }),
    });
    const definition = defineAgent({
      name: 'Stock',
      tools: [checkStock],
      guidelines: [
        { key: 'stock', condition: 'asks about stock', action: 'check it', tools: ['check_stock'] },
      ],
    });
    // The store refuses the workspace id, inside the sync's transaction.
    await expect(engine.sync('', definition)).rejects.toMatchObject({ code: 'validation_failed' });
    expect(engine.tools.has('check_stock')).toBe(false);
    await engine.close();
  });
});
