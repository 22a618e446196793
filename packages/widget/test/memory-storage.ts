import type { ChatSessionStorage } from '../src/index';

/** A `ChatSessionStorage` in a Map, as a page's `localStorage` would keep it across reloads. */
export interface MemoryStorage extends ChatSessionStorage {
  readonly entries: Map<string, string>;
}

/** Creates an empty {@link MemoryStorage}. */
export function createMemoryStorage(): MemoryStorage {
  const entries = new Map<string, string>();
  return {
    entries,
    get: (key) => entries.get(key) ?? null,
    set: (key, value) => {
      entries.set(key, value);
    },
    remove: (key) => {
      entries.delete(key);
    },
  };
}
