/** A text's words, lower case, camelCase split, apostrophes kept ("I'd", "don't"). */
export function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/’/g, "'")
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
}

/**
 * A rough English stem, enough to tell that "reserve", "reserving" and "reservations" are one
 * word ("printer" and "printing", "classes" and "class" too), and a title's or a product's
 * words are not the agent's.
 */
export function stemOf(word: string): string {
  return word
    .replace(/'s$/, '')
    .replace(/(?<=..)ies$/, 'y')
    .replace(/(ss|x|ch|sh)es$/, '$1')
    .replace(/(?<=..[^s])s$/, '')
    .replace(/(?<=...)(?:ation|ing|er|ed)$/, '')
    .replace(/e$/, '');
}
