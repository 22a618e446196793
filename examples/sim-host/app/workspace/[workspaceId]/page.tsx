import { and, asc, eq, isNull } from 'drizzle-orm';
import { headers } from 'next/headers';
import Link from 'next/link';
import { notFound, redirect } from 'next/navigation';
import { db } from '../../../db';
import { customTools, knowledgeBase, workflow } from '../../../db/schema';
import { currentUser } from '../../../lib/auth';
import { workspaceAccess } from '../../../lib/workspaces';

/**
 * One workspace, for the users who hold a permission on it; anyone else gets a 404 (as Sim
 * answers, so a workspace's existence does not leak).
 */
export default async function WorkspacePage({
  params,
}: {
  params: Promise<{ workspaceId: string }>;
}) {
  const signedIn = await currentUser({ headers: await headers() });
  if (!signedIn) redirect('/sign-in');
  const { workspaceId } = await params;
  const access = await workspaceAccess(signedIn.id, workspaceId);
  if (!access) notFound();

  const [workflows, knowledgeBases, tools] = await Promise.all([
    db
      .select()
      .from(workflow)
      .where(and(eq(workflow.workspaceId, workspaceId), isNull(workflow.archivedAt)))
      .orderBy(asc(workflow.name)),
    db
      .select()
      .from(knowledgeBase)
      .where(and(eq(knowledgeBase.workspaceId, workspaceId), isNull(knowledgeBase.deletedAt)))
      .orderBy(asc(knowledgeBase.name)),
    db
      .select()
      .from(customTools)
      .where(eq(customTools.workspaceId, workspaceId))
      .orderBy(asc(customTools.title)),
  ]);

  return (
    <>
      <h1>{access.workspace.name}</h1>
      <p className="note">
        Your permission: {access.permission} ·{' '}
        <Link href={`/site/${workspaceId}`}>public site</Link>
      </p>
      <section className="card" aria-labelledby="workflows">
        <h2 id="workflows">Workflows</h2>
        <ul>
          {workflows.map((item) => (
            <li key={item.id}>
              {item.name} {item.isDeployed ? <span className="note">(deployed)</span> : null}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="knowledge-bases">
        <h2 id="knowledge-bases">Knowledge bases</h2>
        <ul>
          {knowledgeBases.map((item) => (
            <li key={item.id}>{item.name}</li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="custom-tools">
        <h2 id="custom-tools">Custom tools</h2>
        <ul>
          {tools.map((item) => (
            <li key={item.id}>{item.title}</li>
          ))}
        </ul>
      </section>
    </>
  );
}
