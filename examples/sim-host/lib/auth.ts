/**
 * @module The host's sign-in, shaped like Sim's auth library: one `session` row per signed-in
 * browser, whose random token is the value of an httpOnly cookie. The example signs in by email
 * alone (no password, no email check): it stands for whatever a real host's auth does.
 */
import { randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import { db } from '../db';
import { session, type User, user } from '../db/schema';

/** The cookie that carries the session token. */
export const sessionCookieName = 'sim_host.session_token';

/** How long a session lasts after signing in. */
export const sessionLifetimeMs = 7 * 24 * 60 * 60 * 1000;

/** The email as the `user` table keeps it: trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The user with this email, created on the first sign-in (named after its local part). */
export async function findOrCreateUser(email: string): Promise<User> {
  const normalized = normalizeEmail(email);
  await db
    .insert(user)
    .values({ email: normalized, name: normalized.split('@')[0] || normalized })
    .onConflictDoNothing({ target: user.email });
  const [found] = await db.select().from(user).where(eq(user.email, normalized));
  if (!found) throw new Error(`The user ${normalized} could not be created.`);
  return found;
}

/** A new session for the user: the token to set as the cookie, and when both expire. */
export async function createSession(userId: string): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  await db.insert(session).values({ token, userId, expiresAt });
  return { token, expiresAt };
}

/** Ends the session whose token this is (signing out); nothing when there is none. */
export async function deleteSession(token: string): Promise<void> {
  await db.delete(session).where(eq(session.token, token));
}

/** The session token in a request's `Cookie` header, or null. */
export function readSessionToken(headers: Headers): string | null {
  for (const pair of (headers.get('cookie') ?? '').split(';')) {
    const separator = pair.indexOf('=');
    if (separator !== -1 && pair.slice(0, separator).trim() === sessionCookieName) {
      return pair.slice(separator + 1).trim() || null;
    }
  }
  return null;
}

/**
 * The signed-in user of a request, or null: the user of the unexpired session its cookie names.
 * Route handlers pass their `Request`; server components pass `{ headers: await headers() }`.
 */
export async function currentUser(request: { headers: Headers }): Promise<User | null> {
  const token = readSessionToken(request.headers);
  if (token === null) return null;
  const [row] = await db
    .select({ user })
    .from(session)
    .innerJoin(user, eq(user.id, session.userId))
    .where(and(eq(session.token, token), gt(session.expiresAt, new Date())));
  return row?.user ?? null;
}

/**
 * Whether a form post comes from this site's own pages: browsers send `Origin` on every POST,
 * and a page elsewhere must not sign a visitor in or out here.
 */
export function isSameOrigin(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (origin === null) return true;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
