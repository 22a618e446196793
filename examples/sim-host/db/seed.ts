/**
 * @module `pnpm db:seed`: the example's first data, run once after `pnpm db:migrate` (running it
 * again changes nothing). Two users:
 *
 * - Ada (`ada@example.com`) owns the workspace "Acme Support", holds `admin` on it, and it has
 *   a workflow, a knowledge base and a custom tool, as a Sim workspace in use does; the knowledge
 *   base ("Help center") holds two documents, their chunks embedded with the host's embedder
 *   (`lib/embeddings.ts`) when one is configured (`db/seed-help-center.ts`);
 * - Grace (`grace@example.com`) owns "Grace's Lab" and holds NO permission on Acme Support:
 *   she must not see it.
 */
import { and, eq } from 'drizzle-orm';
import { findOrCreateUser } from '../lib/auth';
import { createWorkspace } from '../lib/workspaces';
import { db } from './index';
import { customTools, knowledgeBase, type User, workflow, workspace } from './schema';
import { seedHelpCenter } from './seed-help-center';

/** The seeded users' emails, for the README and the end-to-end tests. */
export const seedEmails = { owner: 'ada@example.com', outsider: 'grace@example.com' } as const;

/** The owner's workspace named `name`, created (with her `admin` right) if she has none yet. */
async function ensureWorkspace(owner: User, name: string): Promise<{ id: string; made: boolean }> {
  const [existing] = await db
    .select({ id: workspace.id })
    .from(workspace)
    .where(and(eq(workspace.ownerId, owner.id), eq(workspace.name, name)));
  if (existing) return { id: existing.id, made: false };
  const made = await createWorkspace(owner.id, name);
  return { id: made.id, made: true };
}

try {
  const ada = await findOrCreateUser(seedEmails.owner);
  const grace = await findOrCreateUser(seedEmails.outsider);

  const acme = await ensureWorkspace(ada, 'Acme Support');
  if (acme.made) {
    await db.insert(workflow).values({
      userId: ada.id,
      workspaceId: acme.id,
      name: 'Refund request triage',
      description: 'Reads a refund request and routes it to billing or support.',
      isDeployed: true,
    });
    await db.insert(knowledgeBase).values({
      userId: ada.id,
      workspaceId: acme.id,
      name: 'Help center',
      description: 'Articles from the public help center.',
    });
    await db.insert(customTools).values({
      userId: ada.id,
      workspaceId: acme.id,
      title: 'Look up order',
      schema: {
        type: 'object',
        properties: { orderId: { type: 'string', description: 'The order number' } },
        required: ['orderId'],
      },
      code: 'return { orderId: params.orderId, status: "shipped" };',
    });
  }
  const [helpCenter] = await db
    .select({ id: knowledgeBase.id })
    .from(knowledgeBase)
    .where(and(eq(knowledgeBase.workspaceId, acme.id), eq(knowledgeBase.name, 'Help center')));
  const { embedded } = helpCenter ? await seedHelpCenter(helpCenter.id) : { embedded: 0 };
  await ensureWorkspace(grace, "Grace's Lab");

  console.log(
    `Seeded: ${seedEmails.owner} (admin of "Acme Support" ${acme.id}), ` +
      `${seedEmails.outsider} (no permission on it); ${embedded} help center chunks embedded.`,
  );
} finally {
  await db.$client.end();
}
