import { describe, expect, it } from 'vitest';
import { type StoreContractContext, seedAgent } from './contract-context';

/** The counts and the database description the health and dashboard routes show. */
export function registerUsageCases(context: StoreContractContext): void {
  describe('usage', () => {
    it("counts a workspace's live agents, its sessions and its messages by who wrote them, and no other workspace's", async () => {
      const workspace = context.freshWorkspace();
      expect(await workspace.countUsage()).toEqual({
        agents: { total: 0, active: 0 },
        sessions: { total: 0, active: 0 },
        messages: { total: 0, customer: 0, agent: 0 },
      });
      const support = await seedAgent(workspace);
      const sales = await workspace.agents.create({ name: 'Sales' });
      const archived = await workspace.agents.create({ name: 'Gone' });
      await workspace.agents.archive(archived.id);
      const open = await workspace.sessions.create({ agentId: support.id });
      const done = await workspace.sessions.create({ agentId: sales.id });
      await workspace.sessions.update(done.id, { status: 'closed' });
      await workspace.events.append(open.id, [
        { kind: 'message', source: 'customer', data: { text: 'Hello' } },
        { kind: 'message', source: 'ai_agent', data: { text: 'Hi, how can I help?' } },
        { kind: 'status', source: 'ai_agent', data: { status: 'ready' } },
        { kind: 'message', source: 'human_agent', data: { text: 'I am here too.' } },
      ]);
      await workspace.events.append(done.id, [
        { kind: 'message', source: 'customer', data: { text: 'Bye' } },
      ]);
      // Another workspace's rows are not counted.
      const other = context.freshWorkspace();
      const stranger = await seedAgent(other);
      const strangerSession = await other.sessions.create({ agentId: stranger.id });
      await other.events.append(strangerSession.id, [
        { kind: 'message', source: 'customer', data: { text: 'Not yours' } },
      ]);

      expect(await workspace.countUsage()).toEqual({
        agents: { total: 2, active: 1 },
        sessions: { total: 2, active: 1 },
        messages: { total: 4, customer: 2, agent: 2 },
      });
    });

    it("describes the database: the server's version and this database's connections", async () => {
      const description = await context.store().describeDatabase();
      expect(description.version).toMatch(/PostgreSQL \d+/);
      expect(description.connections.total).toBeGreaterThanOrEqual(1);
      expect(description.connections.active).toBeGreaterThanOrEqual(0);
      expect(description.connections.active).toBeLessThanOrEqual(description.connections.total);
    });
  });
}
