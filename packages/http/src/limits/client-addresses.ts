/**
 * The network address each request came from, as the server adapter saw it. Kept beside the
 * request rather than in a header, so a client cannot write its own.
 */
const addresses = new WeakMap<Request, string>();

/** Records the socket address of `request`; `toNodeListener` calls it. */
export function rememberClientAddress(request: Request, address: string): void {
  addresses.set(request, address);
}

/** The address recorded for `request`, if an adapter recorded one. */
export function rememberedClientAddress(request: Request): string | undefined {
  return addresses.get(request);
}
