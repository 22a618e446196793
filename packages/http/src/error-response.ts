import { toParleyError } from '@parley/core';

/** The one error envelope every failed request answers with. */
export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    reason?: string;
    details?: unknown;
    requestId: string;
  };
}

/**
 * Turns anything thrown while handling a request into the JSON error envelope, with the status
 * of its code and the request id in `x-request-id`. Unknown errors become a 500 whose message
 * says nothing of their internals.
 */
export function createErrorResponse(error: unknown, requestId: string): Response {
  const parleyError = toParleyError(error);
  const isInternal = parleyError.code === 'internal';
  const envelope: ErrorEnvelope = {
    error: {
      ...parleyError.toJSON(),
      ...(isInternal ? { message: 'Internal error', details: undefined } : {}),
      requestId,
    },
  };
  const headers = new Headers({
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
  });
  const retryAfter = parleyError.details?.retryAfterSeconds;
  if (parleyError.code === 'rate_limited' && typeof retryAfter === 'number') {
    headers.set('retry-after', String(Math.ceil(retryAfter)));
  }
  // A 405 must say what is allowed (RFC 9110 §15.5.6).
  const allowed = parleyError.details?.allowed;
  if (parleyError.code === 'method_not_allowed' && Array.isArray(allowed)) {
    headers.set('allow', allowed.join(', '));
  }
  return new Response(JSON.stringify(envelope), { status: parleyError.httpStatus, headers });
}
