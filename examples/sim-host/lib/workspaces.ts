/**
 * @module Who may see which workspace, the way Sim decides it: a row of `permissions` with
 * `entity_type = 'workspace'` per user and workspace; archived workspaces are nobody's.
 */
import { and, asc, eq, isNull } from 'drizzle-orm';
import { db } from '../db';
import {
  type PermissionType,
  permissions,
  type User,
  type Workspace,
  workspace,
} from '../db/schema';
import { currentUser, isSameOrigin } from './auth';

/** A workspace as one user sees it: with the right that user holds on it. */
export interface WorkspaceAccess {
  workspace: Workspace;
  permission: PermissionType;
}

const onWorkspace = (userId: string) =>
  and(
    eq(permissions.userId, userId),
    eq(permissions.entityType, 'workspace'),
    eq(permissions.entityId, workspace.id),
  );

/** The workspaces the user holds any right on, by name. */
export async function workspacesOf(userId: string): Promise<WorkspaceAccess[]> {
  return db
    .select({ workspace, permission: permissions.permissionType })
    .from(workspace)
    .innerJoin(permissions, onWorkspace(userId))
    .where(isNull(workspace.archivedAt))
    .orderBy(asc(workspace.name));
}

/** One workspace and the user's right on it, or null when the user holds none (or it is archived). */
export async function workspaceAccess(
  userId: string,
  workspaceId: string,
): Promise<WorkspaceAccess | null> {
  const [row] = await db
    .select({ workspace, permission: permissions.permissionType })
    .from(workspace)
    .innerJoin(permissions, onWorkspace(userId))
    .where(and(eq(workspace.id, workspaceId), isNull(workspace.archivedAt)));
  return row ?? null;
}

/** Each level's rank: a right includes every right below it (admin, then write, then read). */
const permissionRank: Record<PermissionType, number> = { read: 0, write: 1, admin: 2 };

/** Whether the user holds at least `level` on the workspace (false when archived). */
export async function hasWorkspacePermission(
  userId: string,
  workspaceId: string,
  level: PermissionType,
): Promise<boolean> {
  const access = await workspaceAccess(userId, workspaceId);
  return access !== null && permissionRank[access.permission] >= permissionRank[level];
}

/**
 * The signed-in admin of a workspace, for the routes that change it, or the answer to give
 * instead: 403 to a form or script of another site, 401 to nobody, 404 to a user without a
 * right on it (as its page answers), 403 to a member below admin.
 */
export async function workspaceAdmin(
  request: Request,
  workspaceId: string,
): Promise<User | Response> {
  if (!isSameOrigin(request)) return Response.json({ error: 'other-origin' }, { status: 403 });
  const signedIn = await currentUser(request);
  if (!signedIn) return Response.json({ error: 'signed-out' }, { status: 401 });
  const access = await workspaceAccess(signedIn.id, workspaceId);
  if (!access) return Response.json({ error: 'not-found' }, { status: 404 });
  if (access.permission !== 'admin') return Response.json({ error: 'forbidden' }, { status: 403 });
  return signedIn;
}

/** A workspace that is not archived, for its public pages; null otherwise. */
export async function activeWorkspace(workspaceId: string): Promise<Workspace | null> {
  const [row] = await db
    .select()
    .from(workspace)
    .where(and(eq(workspace.id, workspaceId), isNull(workspace.archivedAt)));
  return row ?? null;
}

/**
 * A new workspace and its owner's `admin` right on it, in one transaction, as Sim creates one.
 */
export async function createWorkspace(ownerId: string, name: string): Promise<Workspace> {
  return db.transaction(async (transaction) => {
    const [made] = await transaction.insert(workspace).values({ name, ownerId }).returning();
    if (!made) throw new Error(`The workspace ${name} could not be created.`);
    await transaction.insert(permissions).values({
      userId: ownerId,
      entityType: 'workspace',
      entityId: made.id,
      permissionType: 'admin',
    });
    return made;
  });
}

/**
 * Deletes a workspace for good (Sim archives them; deleting is rarer), with the permissions on
 * it (`permissions.entity_id` is no foreign key). Everything kept for it goes with it through
 * the foreign keys that cascade from `workspace.id`: its workflows, knowledge bases and tools,
 * and Parley's agents, customers and conversations.
 */
export async function deleteWorkspace(workspaceId: string): Promise<void> {
  await db.transaction(async (transaction) => {
    await transaction
      .delete(permissions)
      .where(and(eq(permissions.entityType, 'workspace'), eq(permissions.entityId, workspaceId)));
    await transaction.delete(workspace).where(eq(workspace.id, workspaceId));
  });
}
