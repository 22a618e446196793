import OpenAI from 'openai';
import { ParleyError } from '../errors/parley-error';

/**
 * Why an OpenAI-compatible call failed: the `reason` of its `model_failed` ParleyError.
 *
 * | reason | when | retryable |
 * |---|---|---|
 * | `timeout` | no response within `timeoutMs` (after the client's retries), a stalled stream, HTTP 408 | yes |
 * | `rate_limited` | HTTP 429; `details.retryAfterSeconds` when the server said | yes |
 * | `quota_exceeded` | HTTP 429 with code `insufficient_quota`: waiting will not help | no |
 * | `unavailable` | connection refused or dropped (also partway through a stream), HTTP 409 and 5xx, an error event in a stream | yes |
 * | `unauthorized` | HTTP 401 and 403: wrong or missing key, no access to the model | no |
 * | `invalid_request` | other 4xx: unknown model, context too long, schema the server rejects | no |
 * | `malformed_output` | the answer is not JSON, or not JSON matching the schema | yes |
 * | `refused` | the model refused (`message.refusal`) or its output was filtered | no |
 * | `unknown` | anything else; the original error is the `cause` | no |
 *
 * An aborted call is not `model_failed` but a `cancelled` ParleyError.
 */
export type OpenAIFailureReason =
  | 'timeout'
  | 'rate_limited'
  | 'quota_exceeded'
  | 'unavailable'
  | 'unauthorized'
  | 'invalid_request'
  | 'malformed_output'
  | 'refused'
  | 'unknown';

/** The error of an aborted call. */
export function cancelledError(): ParleyError {
  return new ParleyError('cancelled', 'The model call was cancelled');
}

/**
 * Maps anything the `openai` client throws to a ParleyError, per {@link OpenAIFailureReason}.
 * HTTP errors keep no `cause`: their body may echo the key, and everything useful (status,
 * provider code, request id) is in `details`. Not part of the public entry.
 */
export function toModelError(
  error: unknown,
  context: { modelId: string; signal: AbortSignal | undefined; secrets: (string | null)[] },
): ParleyError {
  if (ParleyError.isInstance(error)) return error;
  if (context.signal?.aborted || error instanceof OpenAI.APIUserAbortError) {
    return cancelledError();
  }
  const fail = (
    reason: OpenAIFailureReason,
    what: string,
    options: { retryable: boolean; details?: Record<string, unknown>; cause?: unknown },
  ) => new ParleyError('model_failed', `Model ${context.modelId} ${what}`, { reason, ...options });

  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return fail('timeout', 'did not answer in time', { retryable: true, cause: error });
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return fail('unavailable', 'could not be reached', { retryable: true, cause: error });
  }
  if (error instanceof OpenAI.APIError) {
    const message = redact(error.message, context.secrets);
    const details: Record<string, unknown> = {
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.code ? { providerCode: error.code } : {}),
      ...(error.requestID ? { requestId: error.requestID } : {}),
    };
    const status = error.status;
    if (status === undefined) {
      return fail('unavailable', `failed while streaming: ${message}`, {
        retryable: true,
        details,
      });
    }
    if (status === 429) {
      if (error.code === 'insufficient_quota') {
        return fail('quota_exceeded', `is out of quota: ${message}`, { retryable: false, details });
      }
      const retryAfterSeconds = retryAfterSecondsOf(error.headers);
      return fail('rate_limited', `is rate limited: ${message}`, {
        retryable: true,
        details: { ...details, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
      });
    }
    if (status === 408)
      return fail('timeout', `timed out: ${message}`, { retryable: true, details });
    if (status === 401 || status === 403) {
      return fail('unauthorized', `refused the credentials: ${message}`, {
        retryable: false,
        details,
      });
    }
    if (status === 409 || status >= 500) {
      return fail('unavailable', `is unavailable: ${message}`, { retryable: true, details });
    }
    return fail('invalid_request', `rejected the request: ${message}`, {
      retryable: false,
      details,
    });
  }
  const message = error instanceof Error ? redact(error.message, context.secrets) : String(error);
  if (isDroppedConnection(error)) {
    return fail('unavailable', `dropped the connection while streaming: ${message}`, {
      retryable: true,
      cause: error,
    });
  }
  return fail('unknown', `failed: ${message}`, { retryable: false, cause: error });
}

/** Socket errors of Node and undici, as they surface when a response body breaks off. */
const droppedConnectionCodes = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
]);

/**
 * Whether an error is a connection dropped after the response began: `fetch` rejects a body
 * read with `TypeError: terminated`, the socket error as its `cause`. The `openai` client
 * wraps failures before the response, not those while a stream is read.
 */
function isDroppedConnection(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && droppedConnectionCodes.has(code)) return true;
    if (current instanceof TypeError && message === 'terminated') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Seconds a 429 asks to wait, from `retry-after-ms` or `retry-after` (seconds or a date). */
function retryAfterSecondsOf(headers: Headers | undefined): number | undefined {
  const milliseconds = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds)) return milliseconds / 1000;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  const seconds = Number.parseFloat(value);
  if (Number.isFinite(seconds)) return seconds;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined;
}

/** Removes the key, and anything shaped like an OpenAI key, from provider text. */
function redact(text: string, secrets: (string | null)[]): string {
  let redacted = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) redacted = redacted.split(secret).join('[redacted]');
  }
  return redacted.replace(/\bsk-[\w*.-]{4,}/g, 'sk-[redacted]');
}
