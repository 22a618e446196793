import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../definition/define-agent';
import { syncAgent } from '../definition/sync-agent';
import { createPostgresTestSchema, testDatabaseUrl } from '../testing/create-postgres-test-schema';
import { tool } from '../tools/tool';
import { createPostgresStore } from './create-postgres-store';

/**
 * Queries that overlap on one node-postgres client are deprecated (pg 9 removes them). A
 * transaction is one client, so everything Parley does inside one, a sync above all, must
 * run its reads one after another; on a pool they may overlap.
 */
describe.skipIf(!testDatabaseUrl)(
  'reads on one connection (PostgreSQL; needs DATABASE_URL)',
  () => {
    let testSchema: Awaited<ReturnType<typeof createPostgresTestSchema>>;
    /** Clients seen with a query sent while another of theirs was still running. */
    const overlapping = new Set<pg.Client>();
    const active = new Map<pg.Client, number>();
    const originalQuery = pg.Client.prototype.query;

    beforeAll(async () => {
      testSchema = await createPostgresTestSchema(testDatabaseUrl as string);
      pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
        const running = active.get(this) ?? 0;
        if (running > 0) overlapping.add(this);
        const result = (originalQuery as (...values: unknown[]) => unknown).apply(this, args);
        if (result instanceof Promise) {
          active.set(this, running + 1);
          void result
            .finally(() => active.set(this, (active.get(this) ?? 1) - 1))
            .catch(() => undefined);
        }
        return result;
      } as typeof originalQuery;
    });
    afterAll(async () => {
      pg.Client.prototype.query = originalQuery;
      await testSchema?.drop();
    });

    it('syncs an agent with journeys, variables and tools without overlapping queries', async () => {
      const store = await createPostgresStore({ pool: testSchema.createPool(4) });
      const lookupOrder = tool({
        name: 'lookup_order',
        description: 'Finds an order',
        parameters: z.object({ orderNumber: z.string() }),
        handler: async () => ({ status: 'shipped' }),
      });
      const definition = defineAgent({
        name: 'Support',
        tools: [lookupOrder],
        guidelines: [
          {
            key: 'order',
            condition: 'asks about an order',
            action: 'look it up',
            tools: ['lookup_order'],
          },
        ],
        journeys: [
          {
            key: 'return',
            title: 'Return',
            conditions: ['wants to return an item'],
            initialState: 'ask',
            states: [
              { key: 'ask', kind: 'chat', action: 'ask for the order number' },
              { key: 'done', kind: 'end' },
            ],
            transitions: [{ from: 'ask', to: 'done' }],
          },
        ],
        variables: [{ name: 'plan', defaultValue: { tier: 'free' } }],
      });
      overlapping.clear();
      // Twice: the second sync reads everything back to compare.
      await syncAgent(store, 'one-connection', definition);
      const report = await syncAgent(store, 'one-connection', definition);
      // And the same reads inside a transaction of the caller's.
      await store.transaction(async (transaction) => {
        const workspace = transaction.forWorkspace('one-connection');
        expect(await workspace.journeys.list({ agentId: report.agent.id })).toMatchObject({
          items: [{ title: 'Return' }],
        });
        await workspace.variables.resolveValues(report.agent.id, {});
      });
      expect(overlapping.size).toBe(0);
      await store.close();
    });
  },
);
