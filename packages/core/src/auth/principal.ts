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
 * An operator: a user of the host app (e.g. Sim) acting on agents and conversations. A user
 * belongs to any number of workspaces; which one a request acts in is named by the request,
 * and whether they may is the host's to decide (`authorize` in `@parley/http`).
 *
 * A token may narrow that: a principal carrying `workspaceId` and `role` (what
 * {@link Principal}, the JWT verifier's output, always carries) acts in that one workspace and
 * up to that role, whatever else the host allows.
 */
export interface OperatorPrincipal {
  /** The kind of caller. */
  readonly kind: 'operator';
  /** The operator's user id in the host app: what records they create and messages they send name. */
  readonly userId: string;
  /** The operator's email, for display and audit only. */
  readonly email: string | null;
  /** The operator's display name, shown with the messages they post into a session. */
  readonly name: string | null;
  /** The one workspace a token was issued for; absent for a host user not bound to one. */
  readonly workspaceId?: string;
  /** The token's role in {@link OperatorPrincipal.workspaceId}; present exactly when it is. */
  readonly role?: OperatorRole;
}

/**
 * Who is calling, as established by a verified operator token: an {@link OperatorPrincipal}
 * scoped to the one workspace the token names, up to the role it carries.
 */
export interface Principal extends OperatorPrincipal {
  /** The workspace the token was issued for; the token reaches no other. */
  readonly workspaceId: string;
  /** The operator's permission in that workspace. */
  readonly role: OperatorRole;
}

/** The schema of an {@link OperatorPrincipal}, e.g. to validate one that crossed a process boundary. */
export const operatorPrincipalSchema = z
  .object({
    kind: z.literal('operator'),
    userId: z.string().min(1),
    email: z.string().nullable(),
    name: z.string().nullable(),
    workspaceId: z.string().min(1).optional(),
    role: operatorRoleSchema.optional(),
  })
  .refine((principal) => (principal.workspaceId === undefined) === (principal.role === undefined), {
    message: 'workspaceId and role come together: a token scope names both',
  }) satisfies z.ZodType<OperatorPrincipal>;

/** The schema of a {@link Principal}, e.g. to validate one that crossed a process boundary. */
export const principalSchema = z.object({
  kind: z.literal('operator'),
  userId: z.string().min(1),
  workspaceId: z.string().min(1),
  email: z.string().nullable(),
  name: z.string().nullable(),
  role: operatorRoleSchema,
}) satisfies z.ZodType<Principal>;
