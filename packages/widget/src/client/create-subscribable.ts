/**
 * A value that changes over time and tells its listeners when it did: the little store under
 * the chat client, shaped for React's `useSyncExternalStore` (a stable `get`, a `subscribe`
 * that returns its unsubscribe function).
 */
export interface Subscribable<TValue> {
  /** The current value; the same object until `set` replaces it. */
  get(): TValue;
  /** Replaces the value and calls every listener, unless `next` is the current value. */
  set(next: TValue): void;
  /** Replaces the value with what `change` makes of it. */
  update(change: (current: TValue) => TValue): void;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Forgets every listener. */
  clear(): void;
}

/** Creates a {@link Subscribable} holding `initial`. */
export function createSubscribable<TValue>(initial: TValue): Subscribable<TValue> {
  let value = initial;
  const listeners = new Set<() => void>();
  const set = (next: TValue) => {
    if (Object.is(next, value)) return;
    value = next;
    // A copy: a listener may unsubscribe (or subscribe another) while being called.
    for (const listener of [...listeners]) listener();
  };
  return {
    get: () => value,
    set,
    update: (change) => set(change(value)),
    subscribe(listener) {
      // Wrapped, so the same function subscribed twice is two subscriptions, each removable.
      const entry = () => listener();
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
      };
    },
    clear: () => listeners.clear(),
  };
}
