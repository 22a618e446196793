import { notFound } from 'next/navigation';
import { activeWorkspace } from '../../../lib/workspaces';
import { SupportChat } from './support-chat';

/**
 * A workspace's public site: what its customers see, signed in or not, with its support chat
 * (Parley's widget) once an admin saved the agent's publishable key (`workspace.parley_agent_key`).
 */
export default async function SitePage({ params }: { params: Promise<{ workspaceId: string }> }) {
  const { workspaceId } = await params;
  const site = await activeWorkspace(workspaceId);
  if (!site) notFound();
  return (
    <article>
      <h1>{site.name}</h1>
      <p>Welcome to {site.name}. Questions about an order, a refund or your account? Ask us.</p>
      {/* PARLEY WIDGET: the workspace's agent, through `app/api/parley/[...path]/route.ts`. */}
      {site.parleyAgentKey ? <SupportChat agentKey={site.parleyAgentKey} /> : null}
    </article>
  );
}
