/** Whether `origin` is among `allowed` (`*` allows any). */
export function isOriginAllowed(origin: string, allowed: readonly string[]): boolean {
  return allowed.includes('*') || allowed.includes(origin);
}
