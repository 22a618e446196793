import { sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { expect } from 'vitest';
import type { Store } from '../../ports/store';
import { type AnyPgDatabase, executeRows } from '../any-pg-database';
import type { ParleySchema } from '../create-parley-schema';

/**
 * Checks a store on a host's database, whose `user` and `workspace` tables (Sim's, see
 * `sim-host-tables.ts`) Parley's tables reference: catalog revisions come from the routines'
 * counter and move when a guideline is written, concurrent appends stay gapless, deleting a
 * user keeps the conversations with its user columns set to null, and deleting a workspace
 * deletes every Parley row of it and nothing of another workspace.
 */
export async function expectWorkingHostStore(
  database: AnyPgDatabase,
  schema: ParleySchema,
  store: Store,
): Promise<void> {
  await database.execute(sql`
    insert into "user" (id, name, email) values
      ('user-owner', 'Owner', 'owner@example.com'), ('user-member', 'Member', 'member@example.com')`);
  await database.execute(sql`
    insert into workspace (id, name, owner_id) values
      ('workspace-1', 'One', 'user-owner'), ('workspace-2', 'Two', 'user-owner')`);
  const workspace = store.forWorkspace('workspace-1');
  const agent = await workspace.agents.create({ name: 'Support', createdBy: 'user-member' });

  // The routines' counter (`<counter>:<time>`), not a fingerprint of the rows: the store found
  // the routines, and their triggers move the counter.
  expect(await workspace.agents.catalogRevision(agent.id)).toMatch(/^0:/);
  await workspace.guidelines.create({
    agentId: agent.id,
    condition: 'the customer asks for a refund',
    action: 'explain the policy',
  });
  expect(await workspace.agents.catalogRevision(agent.id)).toMatch(/^1:/);

  const customer = await workspace.customers.create({ userId: 'user-member' });
  const session = await workspace.sessions.create({ agentId: agent.id, customerId: customer.id });
  const appended = await Promise.all(
    Array.from({ length: 20 }, (_, index) =>
      workspace.events.append(session.id, [
        { kind: 'message', source: 'customer', data: { text: `message ${index}` } },
      ]),
    ),
  );
  expect(
    appended
      .flat()
      .map((event) => event.offset)
      .sort((a, b) => a - b),
  ).toEqual(Array.from({ length: 20 }, (_, index) => index));
  const other = await store.forWorkspace('workspace-2').agents.create({ name: 'Other' });

  await database.execute(sql`delete from "user" where id = 'user-member'`);
  expect((await workspace.agents.get(agent.id)).createdBy).toBeNull();
  expect((await workspace.customers.get(customer.id)).userId).toBeNull();
  expect(await workspace.events.list(session.id)).toHaveLength(20);

  await database.execute(sql`delete from workspace where id = 'workspace-1'`);
  for (const table of Object.values(schema)) {
    const name = getTableConfig(table).name;
    const [row] = await executeRows(
      database,
      sql`select count(*)::int as count from ${sql.identifier(name)} where workspace_id = 'workspace-1'`,
    );
    expect(row?.count, name).toBe(0);
  }
  expect((await store.forWorkspace('workspace-2').agents.get(other.id)).name).toBe('Other');
}
