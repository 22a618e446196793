/**
 * `count` words that each say where they stand (`prefix0 prefix1 …`): a reply in which a lost,
 * repeated or reordered piece shows at once.
 */
export function numberedWords(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, index) => `${prefix}${index}`).join(' ');
}
