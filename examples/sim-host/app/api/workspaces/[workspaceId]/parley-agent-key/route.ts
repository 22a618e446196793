import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { db } from '../../../../../db';
import { workspace } from '../../../../../db/schema';
import { workspaceAdmin } from '../../../../../lib/workspaces';

/** A publishable key as Parley issues it (`pk_` and base64url), or null to take the chat down. */
const agentKeyBody = z.object({
  agentKey: z
    .string()
    .regex(/^pk_[\w-]{16,}$/)
    .nullable(),
});

/**
 * Saves the publishable key of the agent the workspace's public site shows (`/site/:id`), after
 * an admin issued it with Parley's `POST /api/parley/v1/agents/:agentId/keys?workspaceId=…`.
 */
export async function PUT(
  request: Request,
  { params }: { params: Promise<{ workspaceId: string }> },
) {
  const { workspaceId } = await params;
  const admin = await workspaceAdmin(request, workspaceId);
  if (admin instanceof Response) return admin;
  const body = agentKeyBody.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: 'invalid-agent-key' }, { status: 400 });
  await db
    .update(workspace)
    .set({ parleyAgentKey: body.data.agentKey })
    .where(eq(workspace.id, workspaceId));
  return new Response(null, { status: 204 });
}
