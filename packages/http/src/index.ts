/**
 * @module @parley/http — Parley mounted in any Node server as one
 * `(request: Request) => Promise<Response>` handler. The routes, SSE streams and Node adapters
 * arrive with the HTTP issue; today this entry holds the error envelope they all share.
 */
export { createErrorResponse, type ErrorEnvelope } from './error-response';
