import { TransportError } from './chat-transport';

/**
 * The failures no retry can mend: the chat cannot work on this page until the site's owner
 * changes something. Every other failure (the network, a 5xx, a 429, a timeout) is passing,
 * and the chat client tries again.
 *
 * - `origin_not_allowed`: the page's origin is not among the agent key's allowed origins
 *   (403 `forbidden`, reason `origin_not_allowed`);
 * - `agent_key_invalid`: the server knows no such key, or it was revoked (401, reason
 *   `agent_key_invalid`, when a session is opened);
 * - `agent_key_revoked`: the key of the session held was revoked since (401, reason
 *   `agent_key_revoked`);
 * - `blocked_by_content_security_policy`: the page's Content-Security-Policy does not let it
 *   connect to the endpoint (`connect-src`), so no request ever leaves the browser.
 */
export type ConfigurationErrorCode =
  | 'origin_not_allowed'
  | 'agent_key_invalid'
  | 'agent_key_revoked'
  | 'blocked_by_content_security_policy';

const codes: ReadonlySet<string> = new Set<ConfigurationErrorCode>([
  'origin_not_allowed',
  'agent_key_invalid',
  'agent_key_revoked',
  'blocked_by_content_security_policy',
]);

/** What a visitor reads when the chat is unavailable on the page (`strings.chatUnavailable`). */
export const chatUnavailableMessage = "This chat isn't available on this site right now.";

/** Whether an error (a `ChatError`'s code) is a {@link ConfigurationErrorCode}. */
export function isConfigurationError(
  error: { code: string } | null | undefined,
): error is { code: ConfigurationErrorCode } {
  return error != null && codes.has(error.code);
}

/** The configuration error a failure is, or `null` for a failure worth trying again. */
export function configurationErrorOf(error: unknown): ConfigurationErrorCode | null {
  if (!(error instanceof TransportError)) return null;
  if (error.code === 'blocked_by_content_security_policy') return error.code;
  if (error.status === 403 && error.reason === 'origin_not_allowed') return 'origin_not_allowed';
  if (
    error.status === 401 &&
    (error.reason === 'agent_key_invalid' || error.reason === 'agent_key_revoked')
  ) {
    return error.reason;
  }
  return null;
}

/** The characters of a publishable key that operators see in key listings (`keyPrefix`). */
const keyPrefixLength = 11;

/** What {@link ownerMessage} says where. */
export interface OwnerMessageContext {
  /** The publishable key the chat was given, if any: only its prefix is ever shown. */
  agentKey: string | null;
  /** The page's origin (`location.origin`), when there is a page. */
  pageOrigin: string | null;
  /** The URL of the request that was refused or blocked. */
  url: string | null;
}

/**
 * The one console line for the site's owner: what is wrong, and how to fix it. It names the
 * key by its prefix only (as key listings do), never the whole key.
 */
export function ownerMessage(code: ConfigurationErrorCode, context: OwnerMessageContext): string {
  const page = context.pageOrigin ?? "this page's origin";
  const server = originOf(context.url) ?? 'the Parley server';
  const key = context.agentKey
    ? `the agent key ${context.agentKey.slice(0, keyPrefixLength)}…`
    : "the session's agent key";
  switch (code) {
    case 'origin_not_allowed':
      return (
        `[parley] The chat is unavailable: this page's origin ${page} is not among the allowed ` +
        `origins of ${key}, so ${server} refuses it (403 origin_not_allowed). Add ${page} to ` +
        "the key's allowedOrigins with PATCH /v1/agents/:agentId/keys/:keyId " +
        '{"allowedOrigins": [...the current ones, "' +
        page +
        '"]} (an admin operator token; GET /v1/agents/:agentId/keys lists the keys by ' +
        'keyPrefix), or give this page a key issued for it.'
      );
    case 'agent_key_invalid':
      return (
        `[parley] The chat is unavailable: ${server} does not know ${key}, or it was revoked ` +
        '(401 agent_key_invalid). Set data-agent-key (or the agentKey option) to a live ' +
        'publishable key; POST /v1/agents/:agentId/keys issues one.'
      );
    case 'agent_key_revoked':
      return (
        `[parley] The chat is unavailable: ${key} of this chat's session was revoked ` +
        `(401 agent_key_revoked from ${server}). Set data-agent-key (or the agentKey option) ` +
        'to a live publishable key; POST /v1/agents/:agentId/keys issues one.'
      );
    case 'blocked_by_content_security_policy':
      return (
        `[parley] The chat is unavailable: this page's Content-Security-Policy blocks ` +
        `connect-src to ${server}, where the chat's API and event stream are. Add ${server} ` +
        'to connect-src (and to script-src if the widget script is served from there): ' +
        `e.g. "connect-src 'self' ${server}".`
      );
  }
}

function originOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
