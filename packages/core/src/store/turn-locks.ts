/** Releases a lock taken with {@link TurnLocks}. Calling it twice is harmless. */
export type ReleaseLock = () => Promise<void>;

/**
 * Takes the lock named `key`, waiting while another holder has it; with `wait: false`, takes
 * it only if it is free and resolves `null` otherwise.
 */
export type TurnLocks = (key: string, options?: { wait?: boolean }) => Promise<ReleaseLock | null>;

/**
 * Locks within this process: what a PGlite store uses, since one process owns its database.
 * Waiters are served in arrival order.
 */
export function createInProcessTurnLocks(): TurnLocks {
  const tails = new Map<string, Promise<void>>();
  return async (key, options) => {
    if (options?.wait === false && tails.has(key)) return null;
    const previous = tails.get(key) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const current = new Promise<void>((resolve) => {
      release = resolve;
    });
    const tail = previous.then(() => current);
    tails.set(key, tail);
    await previous;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      release();
      // Forget the key once nobody queues behind this holder, so the map does not grow.
      if (tails.get(key) === tail) tails.delete(key);
    };
  };
}
