/**
 * The request id a response carries: the client's `x-request-id` when it is printable ASCII
 * (at most 128 characters), else a new one. Other bytes would reach the client re-encoded
 * (Node writes header values as UTF-8) and no longer match the id in the error envelope.
 */
export function requestIdFrom(sent: string | null | undefined): string {
  const candidate = sent?.slice(0, 128).trim();
  return candidate && /^[\x20-\x7e]+$/.test(candidate) ? candidate : globalThis.crypto.randomUUID();
}
