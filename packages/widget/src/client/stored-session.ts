import type { ChatSessionStorage } from './chat-client';
import type { SessionCredentials } from './chat-transport';

/** A session as the chat keeps it across reloads: its credentials and when the token lapses. */
export interface StoredSession {
  credentials: SessionCredentials;
  /** `null` when unknown (a token whose expiry cannot be read). */
  expiresAt: Date | null;
}

/** Reads the session kept under `key`; `null` when there is none or it is damaged. */
export function readStoredSession(storage: ChatSessionStorage, key: string): StoredSession | null {
  const raw = storage.get(key);
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const { sessionId, customerToken, expiresAt } = value;
    if (typeof sessionId !== 'string' || typeof customerToken !== 'string') return null;
    const expiry = typeof expiresAt === 'string' ? new Date(expiresAt) : null;
    return {
      credentials: { sessionId, customerToken },
      expiresAt: expiry && !Number.isNaN(expiry.getTime()) ? expiry : tokenExpiry(customerToken),
    };
  } catch {
    return null;
  }
}

/** Keeps `session` under `key`. */
export function writeStoredSession(
  storage: ChatSessionStorage,
  key: string,
  session: StoredSession,
): void {
  storage.set(
    key,
    JSON.stringify({
      sessionId: session.credentials.sessionId,
      customerToken: session.credentials.customerToken,
      expiresAt: session.expiresAt?.toISOString() ?? null,
    }),
  );
}

/**
 * When a customer token lapses, read from its `exp` claim without checking the signature
 * (the server does that): how the chat knows when to renew credentials the host handed it.
 * `null` when the token is not a JWT with a numeric `exp`.
 */
export function tokenExpiry(token: string): Date | null {
  const payload = token.split('.')[1];
  if (!payload) return null;
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(base64.padEnd(Math.ceil(base64.length / 4) * 4, '='))) as {
      exp?: unknown;
    };
    return typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
  } catch {
    return null;
  }
}
