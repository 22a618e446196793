import { deleteWorkspace, workspaceAdmin } from '../../../../lib/workspaces';

/**
 * Deletes the workspace with everything in it, Parley's agents and conversations included (their
 * foreign keys cascade from `workspace.id`). Its admins only: see `workspaceAdmin` for the rest.
 */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ workspaceId: string }> },
) {
  const { workspaceId } = await params;
  const admin = await workspaceAdmin(request, workspaceId);
  if (admin instanceof Response) return admin;
  await deleteWorkspace(workspaceId);
  return new Response(null, { status: 204 });
}
