import { z } from 'zod';

/**
 * The schema of an {@link OperatorRole}: `read`, `write` or `admin`, mirroring the workspace
 * permissions of the host app (Sim), from least to most privileged.
 */
export const operatorRoleSchema = z.enum(['read', 'write', 'admin']);

/**
 * What an operator may do in their workspace. The three levels mirror Sim's `read`, `write` and
 * `admin` workspace permissions, so a host app can pass its own permission through unchanged.
 */
export type OperatorRole = z.infer<typeof operatorRoleSchema>;

/**
 * Who is calling, as established by a verified token. An operator is a member of a workspace:
 * a user of the host app (e.g. Sim) acting on that workspace's agents and conversations.
 */
export interface Principal {
  /** The kind of caller; operators are the only kind so far. */
  readonly kind: 'operator';
  /** The operator's user id in the host app (by default the token's `sub` claim). */
  readonly userId: string;
  /** The workspace the token was issued for; every operation is scoped to it. */
  readonly workspaceId: string;
  /** The operator's email when the token carries one, for display and audit only. */
  readonly email: string | null;
  /** The operator's permission in the workspace. */
  readonly role: OperatorRole;
}

/** The schema of a {@link Principal}, e.g. to validate one that crossed a process boundary. */
export const principalSchema = z.object({
  kind: z.literal('operator'),
  userId: z.string().min(1),
  workspaceId: z.string().min(1),
  email: z.string().nullable(),
  role: operatorRoleSchema,
}) satisfies z.ZodType<Principal>;
