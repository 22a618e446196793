/**
 * Why a token was refused, carried as the `reason` of the `unauthenticated` (or, for
 * `workspace_mismatch`, `forbidden`) ParleyError a verifier throws. Clients may branch on it,
 * e.g. to refresh an expired token; they should never need the message.
 */
export type TokenRejectionReason =
  /** No token was presented: no `Authorization` header, or a scheme other than `Bearer`. */
  | 'token_missing'
  /** The token is not a well-formed compact JWS carrying a JSON claims object. */
  | 'token_malformed'
  /** The token's `alg` header is not one the verifier pins (including `none`). */
  | 'algorithm_not_allowed'
  /** The signature does not match: a wrong key, or a header or payload altered after signing. */
  | 'signature_invalid'
  /** No configured key can verify the token (unknown `kid`, or the key set could not be loaded). */
  | 'key_not_found'
  /** The `exp` claim is in the past, beyond the clock tolerance. */
  | 'token_expired'
  /** The `nbf` (or, with a maximum age, the `iat`) claim is in the future, beyond the clock tolerance. */
  | 'token_not_yet_valid'
  /** The `iat` claim is further in the past than the verifier's maximum token age. */
  | 'token_too_old'
  /** The `iss` claim names an issuer the verifier does not accept. */
  | 'issuer_invalid'
  /** The `aud` claim names no audience the verifier accepts. */
  | 'audience_invalid'
  /** A required claim is absent (or null); the error's `details.claim` names it. */
  | 'claim_missing'
  /** A claim has the wrong type or an unknown value; the error's `details.claim` names it. */
  | 'claim_invalid'
  /** The token is valid but was issued for another workspace than the one being accessed. */
  | 'workspace_mismatch';

/** Every {@link TokenRejectionReason}, in declaration order (e.g. for docs or exhaustive tests). */
export const tokenRejectionReasons = [
  'token_missing',
  'token_malformed',
  'algorithm_not_allowed',
  'signature_invalid',
  'key_not_found',
  'token_expired',
  'token_not_yet_valid',
  'token_too_old',
  'issuer_invalid',
  'audience_invalid',
  'claim_missing',
  'claim_invalid',
  'workspace_mismatch',
] as const satisfies readonly TokenRejectionReason[];
