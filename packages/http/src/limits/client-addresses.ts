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

/**
 * The client's entry of `x-forwarded-for` behind `trustedProxies` proxies that each append the
 * address they received the request from: the entry that many hops from the right. Entries
 * further left are whatever the client sent. With fewer entries than proxies (a request that
 * skipped one), the leftmost, which a trusted proxy still wrote.
 */
export function forwardedClientAddress(
  forwardedFor: string | null,
  trustedProxies: number,
): string | undefined {
  if (trustedProxies === 0 || !forwardedFor) return undefined;
  const entries = forwardedFor
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  if (entries.length === 0) return undefined;
  return entries[Math.max(0, entries.length - trustedProxies)];
}

/**
 * The address a request came from, for rate limits: `x-forwarded-for` read behind
 * `trustedProxies` proxies, else the socket's (recorded by `toNodeListener`), else the host's
 * `clientAddress` hook, else `unknown`, one address shared by everyone.
 */
export function clientAddressOf(
  request: Request,
  trustedProxies: number,
  fromHost: ((request: Request) => string | undefined) | undefined,
): string {
  return (
    forwardedClientAddress(request.headers.get('x-forwarded-for'), trustedProxies) ??
    rememberedClientAddress(request) ??
    fromHost?.(request) ??
    'unknown'
  );
}
