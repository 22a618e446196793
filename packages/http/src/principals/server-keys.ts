import { type AgentApiKey, hashAgentKey, ParleyError, type Store } from '@parley/core';
import type { ServerPrincipal } from './principal';

const secretKeyPrefix = 'sk_';
const publishableKeyPrefix = 'pk_';

/** Whether a credential looks like a secret key (`sk_…`); never a verdict on its own. */
export function isSecretKey(credential: string): boolean {
  return credential.startsWith(secretKeyPrefix);
}

/** Whether a credential looks like a publishable key (`pk_…`), which a page embeds. */
export function isPublishableKey(credential: string): boolean {
  return credential.startsWith(publishableKeyPrefix);
}

/**
 * Whether a browser sent the request: browsers add `Origin` to every cross-origin request
 * (and to same-origin ones other than GET and HEAD) and `Sec-Fetch-Site` to every request, and
 * no page can remove either. Server-side clients (Node's `fetch`, curl) send neither.
 */
export function isBrowserRequest(request: Request): boolean {
  return request.headers.has('origin') || request.headers.has('sec-fetch-site');
}

/** The refusal of a secret key a browser sent: the key is in a page, where anyone can read it. */
export function secretKeyInBrowser(): ParleyError {
  return new ParleyError(
    'forbidden',
    'A secret key (sk_…) must never be used from a browser: call Parley with it from your server only, and revoke this key if a page held it',
    { reason: 'secret_key_in_browser' },
  );
}

/** The refusal of a publishable key sent as a bearer token, where it authenticates nothing. */
export function publishableKeyAsBearer(): ParleyError {
  return new ParleyError(
    'unauthenticated',
    'A publishable key (pk_…) is no bearer token: the widget sends it in the body of POST /v1/sessions ({ "agentKey": … }); a server needs a secret key (sk_…)',
    { reason: 'publishable_key_as_bearer' },
  );
}

/** Checks the secret keys (`sk_…`) a host's backend sends as bearer tokens. */
export interface ServerKeys {
  /**
   * The principal of a secret key, looked up by its hash on every request (a revocation
   * applies at once). An unknown, revoked or expired key is a 401.
   */
  verify(secret: string): Promise<ServerPrincipal>;
  /**
   * Records that the key was used (the store writes it at most once a minute). Called once
   * the request was served, so refused requests change nothing.
   */
  recordUse(principal: ServerPrincipal): Promise<void>;
}

/** Options of {@link createServerKeys}. */
export interface ServerKeyOptions {
  store: Store;
  /** The handler's clock: what expiry is measured against. */
  now: () => Date;
}

/** Creates the secret-key check of a handler. */
export function createServerKeys(options: ServerKeyOptions): ServerKeys {
  const refuse = (message: string, reason: string) =>
    new ParleyError('unauthenticated', message, { reason });
  return {
    async verify(secret) {
      const key: AgentApiKey | null = await options.store.findAgentApiKeyByHash(
        await hashAgentKey(secret),
      );
      if (!key) {
        throw refuse(
          "The secret key is not valid (an agent key's identity secret is not one: it only signs identity tokens)",
          'api_key_invalid',
        );
      }
      if (key.revokedAt) throw refuse('The secret key was revoked', 'api_key_revoked');
      if (key.expiresAt && key.expiresAt.getTime() <= options.now().getTime())
        throw refuse('The secret key has expired', 'api_key_expired');
      return {
        kind: 'server',
        workspaceId: key.workspaceId,
        agentId: key.agentId,
        apiKeyId: key.id,
        permissions: key.permissions,
      };
    },
    recordUse(principal) {
      return options.store
        .forWorkspace(principal.workspaceId)
        .agentApiKeys.touch(principal.apiKeyId);
    },
  };
}
