import { TransportError } from './chat-transport';

/** Where `securitypolicyviolation` events are heard: the page's `document`, or a test's. */
export type PolicyEventTarget = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

/**
 * What a transport knows of the page's Content-Security-Policy and its endpoint: whether the
 * policy has blocked a request to it, and who wants to hear when it does. The browser fails a
 * blocked `fetch` as it fails any network error (a `TypeError`, nothing more); what says it was
 * the policy is the `securitypolicyviolation` event it fires on the document, often after the
 * `fetch` has already failed. In the Shadow DOM embed the event fires on the document too.
 */
export interface PolicyViolationWatch {
  /** The error of a blocked endpoint, once the policy blocked a request to it; else `null`. */
  blocked(): TransportError | null;
  /**
   * Calls `listener` once, when a request to the endpoint is first blocked (after that,
   * `blocked()` says so); listens to the page only while someone listens here.
   */
  subscribe(listener: (error: TransportError) => void): () => void;
}

/** The fields of a `SecurityPolicyViolationEvent` the watch reads. */
interface ViolationFields {
  blockedURI?: string;
  effectiveDirective?: string;
  violatedDirective?: string;
  disposition?: string;
}

/**
 * Watches for blocked requests to `endpoint` (absolute: the transport's base URL, without a
 * trailing `/`). A violation counts when it blocked (not a report-only policy), under
 * `connect-src`, a URL of the endpoint (or its origin alone, as browsers report some).
 */
export function createPolicyViolationWatch(
  endpoint: string | null,
  target: PolicyEventTarget | null,
): PolicyViolationWatch {
  const origin = originOf(endpoint);
  const listeners = new Set<(error: TransportError) => void>();
  let blockedError: TransportError | null = null;

  const isOurs = (blockedUri: string) =>
    endpoint !== null &&
    (blockedUri === origin ||
      blockedUri === endpoint ||
      blockedUri.startsWith(`${endpoint}/`) ||
      blockedUri.startsWith(`${endpoint}?`));

  const onViolation = (event: Event) => {
    const violation = event as Event & ViolationFields;
    if (blockedError || violation.disposition === 'report') return;
    const directive = violation.effectiveDirective || violation.violatedDirective || '';
    if (!directive.startsWith('connect-src')) return;
    if (!isOurs(violation.blockedURI ?? '')) return;
    blockedError = new TransportError({
      status: 0,
      code: 'blocked_by_content_security_policy',
      reason: 'connect-src',
      message: `The page's Content-Security-Policy (connect-src) blocks requests to ${origin}`,
      retryable: false,
      url: violation.blockedURI as string,
    });
    for (const listener of [...listeners]) listener(blockedError);
  };

  return {
    blocked: () => blockedError,
    subscribe(listener) {
      if (listeners.size === 0) target?.addEventListener('securitypolicyviolation', onViolation);
      listeners.add(listener);
      return () => {
        if (!listeners.delete(listener)) return;
        if (listeners.size === 0) {
          target?.removeEventListener('securitypolicyviolation', onViolation);
        }
      };
    },
  };
}

function originOf(url: string | null): string | null {
  if (url === null) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
