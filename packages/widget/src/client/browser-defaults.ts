import type { ChatClientOptions, ChatSessionStorage, ChatTimers } from './chat-client';

/**
 * What a chat client uses when its options leave something out: the page's `localStorage`,
 * `navigator.onLine` with the window's online/offline events, `crypto.randomUUID`, the global
 * timers. Each falls back to something harmless where the page (or Node) lacks it.
 */

/** `localStorage` when the page has one that works; `null` (keep nothing) otherwise. */
export function browserStorage(): ChatSessionStorage | null {
  let storage: Storage;
  try {
    // Reading the property itself throws where storage is blocked (sandboxed frames, some
    // privacy settings).
    if (typeof localStorage === 'undefined') return null;
    storage = localStorage;
  } catch {
    return null;
  }
  // A full or disabled storage throws on write: the chat still works, it just forgets.
  return {
    get(key) {
      try {
        return storage.getItem(key);
      } catch {
        return null;
      }
    },
    set(key, value) {
      try {
        storage.setItem(key, value);
      } catch {
        // Nothing to do: the session lasts as long as the page.
      }
    },
    remove(key) {
      try {
        storage.removeItem(key);
      } catch {
        // As above.
      }
    },
  };
}

/** The browser's view of the network; always online where there is no `window` (Node). */
export function browserNetwork(): NonNullable<ChatClientOptions['network']> {
  const hasWindow = typeof window !== 'undefined' && typeof window.addEventListener === 'function';
  return {
    isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
    subscribe(listener) {
      if (!hasWindow) return () => undefined;
      const online = () => listener(true);
      const offline = () => listener(false);
      window.addEventListener('online', online);
      window.addEventListener('offline', offline);
      return () => {
        window.removeEventListener('online', online);
        window.removeEventListener('offline', offline);
      };
    },
  };
}

/**
 * A random UUID: `crypto.randomUUID` where the page has it (secure contexts only), else a
 * version-4 UUID from `crypto.getRandomValues`, which plain-HTTP pages have too.
 */
export function randomId(): string {
  const cryptoApi = globalThis.crypto;
  if (typeof cryptoApi?.randomUUID === 'function') return cryptoApi.randomUUID();
  const bytes = new Uint8Array(16);
  cryptoApi.getRandomValues(bytes);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The global timers. */
export const globalTimers: ChatTimers = {
  setTimeout: (callback, delayMs) => globalThis.setTimeout(callback, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};
