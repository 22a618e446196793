/**
 * @module @parley/http — Parley mounted in any Node server as one
 * `(request: Request) => Promise<Response>` handler: the REST routes, the SSE stream with
 * resume, principals (operators, widget customers, host backends with secret keys), limits and
 * health. `toNodeListener` adapts it to `node:http`, Express and Connect;
 * `createParleyRouteHandlers` gives a Next.js catch-all route file its exports.
 */
export {
  createParleyHandler,
  type HandlerLogger,
  type ParleyHandler,
  type ParleyHandlerOptions,
} from './create-parley-handler';
export { createErrorResponse, type ErrorEnvelope } from './error-response';
export type { BucketOptions } from './limits/rate-limiter';
export {
  createParleyRouteHandlers,
  type ParleyRouteHandler,
  type ParleyRouteHandlers,
  type ParleyRouteHandlersSettings,
} from './next/create-parley-route-handlers';
export { type NodeListener, toNodeListener } from './node/to-node-listener';
export type { HandlerMetrics } from './operations/handler-metrics';
export { authorizeByToken } from './principals/authorize-operator';
export { type CustomerTokens, createCustomerTokens } from './principals/customer-tokens';
export {
  createIdentityTokens,
  type IdentityTokens,
  signIdentityToken,
  type VerifiedIdentity,
} from './principals/identity-tokens';
export type {
  AccessLevel,
  AuthorizeOperator,
  CustomerPrincipal,
  OperatorPrincipal,
  OperatorUser,
  RequestPrincipal,
  ServerPrincipal,
} from './principals/principal';
export { bearerTokenOf, type OperatorAuthentication } from './principals/resolve-principal';
