/**
 * @module @parley/core/auth — verifies operator tokens (JWTs signed by the host app) with jose
 * and turns them into a {@link Principal}.
 */

export {
  createJwtVerifier,
  defaultMaxTokenAgeSeconds,
  type JwtAlgorithm,
  type JwtClaimNames,
  type JwtVerifier,
  type JwtVerifierDescription,
  type JwtVerifierKeySet,
  type JwtVerifierOptions,
  type JwtVerifyOptions,
  jwtAlgorithms,
} from './create-jwt-verifier';
export {
  type OperatorPrincipal,
  type OperatorRole,
  operatorPrincipalSchema,
  operatorRoleSchema,
  type Principal,
  principalSchema,
} from './principal';
export { type TokenRejectionReason, tokenRejectionReasons } from './token-rejection-reason';
