import { ParleyError, type ParleyErrorCode } from '../errors/parley-error';

/** What part of the system an error is about, as the operations contract groups them. */
export type ErrorCategory =
  | 'system'
  | 'database'
  | 'authentication'
  | 'integration'
  | 'agent'
  | 'user';

/** How bad it is: `critical` errors page someone (the agent-critical rule fires at once). */
export type ErrorLevel = 'warning' | 'error' | 'critical';

/** Where an error was seen. */
export type ErrorSource = 'request' | 'turn' | 'tool' | 'workflow' | 'model';

/** A failure as error tracking records it; see {@link classifyError}. */
export interface ClassifiedError {
  category: ErrorCategory;
  level: ErrorLevel;
  code: ParleyErrorCode;
  reason: string | null;
  /** The error's message with secrets, addresses and ids taken out, at most 300 characters. */
  message: string;
  /** Groups the same failure: category, code, reason, where, and the message's shape. */
  fingerprint: string;
}

/** Where a failure happened, for its category and fingerprint. */
export interface ErrorOrigin {
  source: ErrorSource;
  /** The route pattern (`POST /v1/sessions/:sessionId/events`) or the tool's name. */
  where?: string;
}

const userCodes: ReadonlySet<ParleyErrorCode> = new Set([
  'validation_failed',
  'not_found',
  'method_not_allowed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
]);

/**
 * Sorts a failure into the contract's categories and levels, with a message safe to store and
 * show, and a fingerprint that groups its repeats. `cancelled` (someone stopped a turn or went
 * away) is no failure: `null`.
 *
 * - token refusals and forbidden calls: `authentication`, warning;
 * - a caller's mistakes (validation, not found, conflict, limits): `user`, warning;
 * - `database_failed`: `database`, error;
 * - a model, tool or workflow that failed or timed out: `integration`, error;
 * - a turn that failed otherwise: `agent`, error, and `critical` when it was an internal error;
 * - any other internal error: `system`, critical; `not_ready`: `system`, warning.
 */
export function classifyError(error: unknown, origin: ErrorOrigin): ClassifiedError | null {
  const parleyError = ParleyError.isInstance(error)
    ? error
    : new ParleyError('internal', error instanceof Error ? error.message : String(error));
  const { code } = parleyError;
  if (code === 'cancelled') return null;
  const [category, level] = categorize(code, origin.source);
  const message = sanitizeErrorMessage(parleyError.message);
  const reason = parleyError.reason ?? null;
  return {
    category,
    level,
    code,
    reason,
    message,
    fingerprint: fingerprintOf([
      category,
      code,
      reason ?? '',
      origin.source,
      origin.where ?? '',
      messageShape(message),
    ]),
  };
}

function categorize(code: ParleyErrorCode, source: ErrorSource): [ErrorCategory, ErrorLevel] {
  if (code === 'unauthenticated' || code === 'forbidden') return ['authentication', 'warning'];
  if (userCodes.has(code)) return ['user', 'warning'];
  if (code === 'database_failed') return ['database', 'error'];
  if (code === 'model_failed' || code === 'tool_failed' || code === 'timeout') {
    return ['integration', 'error'];
  }
  if (source !== 'request') return ['agent', code === 'internal' ? 'critical' : 'error'];
  if (code === 'not_ready') return ['system', 'warning'];
  return ['system', 'critical'];
}

/** What is taken out of a message before it is stored: secrets first, then what identifies. */
const redactions: ReadonlyArray<[RegExp, string]> = [
  // JWTs, Parley's keys and bearer credentials.
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[token]'],
  [/\b(pk|sk|ident)_[A-Za-z0-9_-]{8,}/g, '[key]'],
  [/\bBearer\s+\S+/gi, 'Bearer [redacted]'],
  // Credentials in addresses, then addresses.
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s/@]+@/gi, '[scheme]://[credentials]@'],
  [/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, '[email]'],
  [/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '[address]'],
];

/** A message with tokens, keys, credentials, emails and IP addresses replaced. */
export function sanitizeErrorMessage(message: string): string {
  let clean = message;
  for (const [pattern, replacement] of redactions) clean = clean.replace(pattern, replacement);
  return clean.length > 300 ? `${clean.slice(0, 299)}…` : clean;
}

/** The message with what varies between repeats (ids, numbers, quoted values) made alike. */
function messageShape(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/(["'`]).*?\1/g, '<value>')
    .replace(/\d+/g, '<n>');
}

/** FNV-1a over the parts, 64 bits as 16 hex digits: stable across processes and versions. */
function fingerprintOf(parts: readonly string[]): string {
  let hash = 0xcbf29ce484222325n;
  for (const character of new TextEncoder().encode(parts.join('\u0000'))) {
    hash ^= BigInt(character);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}
