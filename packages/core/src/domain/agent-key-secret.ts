const randomByteCount = 24;
const displayPrefixLength = 11;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The SHA-256 of a key (publishable or secret), hex-encoded: what the store keeps and looks
 * keys up by.
 * Keys carry 192 random bits, so a fast hash is enough (no password-style stretching).
 */
export async function hashAgentKey(secret: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  return toHex(digest);
}

/**
 * A fresh key, its hash and its display prefix: publishable (`pk_` + 192 random bits, what a
 * page embeds) or secret (`sk_` + 192 random bits, what a host's backend keeps).
 */
export async function createAgentKeySecret(
  kind: 'publishable' | 'secret' = 'publishable',
): Promise<{
  secret: string;
  keyHash: string;
  keyPrefix: string;
}> {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(randomByteCount));
  const secret = `${kind === 'secret' ? 'sk_' : 'pk_'}${toBase64Url(bytes)}`;
  return {
    secret,
    keyHash: await hashAgentKey(secret),
    keyPrefix: secret.slice(0, displayPrefixLength),
  };
}
