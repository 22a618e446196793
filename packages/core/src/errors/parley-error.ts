import type { z } from 'zod';

/**
 * Every failure Parley reports, by kind. The HTTP layer maps each code to one status
 * (see {@link httpStatusOfErrorCode}); callers branch on the code, never on the message.
 */
export type ParleyErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'not_ready'
  | 'cancelled'
  | 'timeout'
  | 'model_failed'
  | 'tool_failed'
  | 'database_failed'
  | 'internal';

/** HTTP status for each error code: the one table every transport uses. */
export const httpStatusOfErrorCode: Readonly<Record<ParleyErrorCode, number>> = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  not_ready: 503,
  cancelled: 499,
  timeout: 504,
  model_failed: 502,
  tool_failed: 502,
  database_failed: 503,
  internal: 500,
};

/** Options of a {@link ParleyError} beyond its code and message. */
export interface ParleyErrorOptions {
  /** A finer reason within the code, e.g. `token_expired` for `unauthenticated`. */
  reason?: string;
  /** Structured facts a client may show or act on (field paths, limits, ids). */
  details?: Record<string, unknown>;
  /** Whether running the same operation again may succeed. */
  retryable?: boolean;
  /** The underlying error, kept for logs; never sent to clients. */
  cause?: unknown;
}

const parleyErrorBrand = Symbol.for('parley.error');

/**
 * The one error family of Parley. Thrown by the store, the engine, the verifier and the
 * HTTP layer alike; recognise it with {@link ParleyError.isInstance}, which also works
 * when two copies of the package are loaded.
 */
export class ParleyError extends Error {
  readonly code: ParleyErrorCode;
  readonly reason: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly retryable: boolean;
  /** Marks instances across package copies; see {@link ParleyError.isInstance}. */
  readonly [parleyErrorBrand] = true;

  constructor(code: ParleyErrorCode, message: string, options: ParleyErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    this.reason = options.reason;
    this.details = options.details;
    this.retryable = options.retryable ?? false;
  }

  /** True for any ParleyError, even one thrown by another copy of this package. */
  static isInstance(value: unknown): value is ParleyError {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[parleyErrorBrand] === true
    );
  }

  /** The HTTP status that {@link httpStatusOfErrorCode} assigns to this error's code. */
  get httpStatus(): number {
    return httpStatusOfErrorCode[this.code];
  }

  /** A plain object safe to send to a client: no stack, no cause. */
  toJSON(): { code: ParleyErrorCode; message: string; reason?: string; details?: unknown } {
    return {
      code: this.code,
      message: this.message,
      ...(this.reason === undefined ? {} : { reason: this.reason }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/**
 * Turns a zod failure into a `validation_failed` error whose message names each field,
 * e.g. `name: Too small: expected string to have >=1 characters`.
 */
export function validationError(subject: string, error: z.ZodError): ParleyError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return new ParleyError('validation_failed', `Invalid ${subject}: ${summary}`, {
    details: { issues },
  });
}

/**
 * Normalizes anything thrown into a ParleyError: ParleyErrors pass through, other errors
 * become `internal` with the original kept as `cause`.
 */
export function toParleyError(value: unknown): ParleyError {
  if (ParleyError.isInstance(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new ParleyError('internal', message || 'Unexpected error', { cause: value });
}
