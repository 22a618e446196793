/** Whether `origin` is among `allowed` (`*` allows any). */
export function isOriginAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes('*') || allowed.includes(origin);
}

/**
 * Lets the page of `origin` read this answer (`access-control-allow-origin`), and says the
 * answer varies by origin, once however often it is called.
 */
export function allowOrigin(headers: Headers, origin: string): void {
  headers.set('access-control-allow-origin', origin);
  const varies = (headers.get('vary') ?? '').split(',').map((name) => name.trim().toLowerCase());
  if (!varies.includes('origin')) headers.append('vary', 'Origin');
}
