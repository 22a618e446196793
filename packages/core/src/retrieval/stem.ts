/**
 * The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980, with the
 * author's later `bli → ble` and `logi → log` revisions): reduces an English word to a stem
 * shared by its inflections and derivations (`charged`, `charges`, `charging` → `charg`), so
 * the offline embedder matches a message against examples worded in another form.
 * Expects a lowercase word of ASCII letters; any other word (digits, accents, other
 * scripts) and words of one or two letters come back unchanged.
 */
export function stem(word: string): string {
  if (word.length <= 2 || !/^[a-z]+$/.test(word)) return word;
  let current = word;
  current = step1a(current);
  current = step1b(current);
  current = step1c(current);
  current = replaceLongestSuffix(current, step2Suffixes, 0);
  current = replaceLongestSuffix(current, step3Suffixes, 0);
  current = step4(current);
  current = step5(current);
  return current;
}

function isConsonant(word: string, index: number): boolean {
  const letter = word[index];
  if (letter === 'a' || letter === 'e' || letter === 'i' || letter === 'o' || letter === 'u') {
    return false;
  }
  // `y` is a consonant at the start or after a vowel, a vowel after a consonant (`happy`).
  if (letter === 'y') return index === 0 || !isConsonant(word, index - 1);
  return true;
}

/** Porter's m: the number of vowel-consonant sequences in `stemPart` ([C](VC)^m[V]). */
function measure(stemPart: string): number {
  let count = 0;
  let index = 0;
  const length = stemPart.length;
  while (index < length && isConsonant(stemPart, index)) index++;
  while (index < length) {
    while (index < length && !isConsonant(stemPart, index)) index++;
    if (index >= length) break;
    while (index < length && isConsonant(stemPart, index)) index++;
    count++;
  }
  return count;
}

function containsVowel(stemPart: string): boolean {
  for (let index = 0; index < stemPart.length; index++) {
    if (!isConsonant(stemPart, index)) return true;
  }
  return false;
}

function endsWithDoubleConsonant(word: string): boolean {
  const length = word.length;
  return length >= 2 && word[length - 1] === word[length - 2] && isConsonant(word, length - 1);
}

/** Porter's *o: ends consonant-vowel-consonant, the last not `w`, `x` or `y` (`hop`, not `snow`). */
function endsConsonantVowelConsonant(word: string): boolean {
  const length = word.length;
  if (length < 3) return false;
  if (
    !isConsonant(word, length - 1) ||
    isConsonant(word, length - 2) ||
    !isConsonant(word, length - 3)
  ) {
    return false;
  }
  const last = word[length - 1];
  return last !== 'w' && last !== 'x' && last !== 'y';
}

function step1a(word: string): string {
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ies')) return word.slice(0, -2);
  if (word.endsWith('ss')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

function step1b(word: string): string {
  if (word.endsWith('eed')) {
    return measure(word.slice(0, -3)) > 0 ? word.slice(0, -1) : word;
  }
  let stripped: string | null = null;
  if (word.endsWith('ed') && containsVowel(word.slice(0, -2))) stripped = word.slice(0, -2);
  else if (word.endsWith('ing') && containsVowel(word.slice(0, -3))) stripped = word.slice(0, -3);
  if (stripped === null) return word;
  if (stripped.endsWith('at') || stripped.endsWith('bl') || stripped.endsWith('iz')) {
    return `${stripped}e`;
  }
  if (endsWithDoubleConsonant(stripped)) {
    const last = stripped[stripped.length - 1];
    return last === 'l' || last === 's' || last === 'z' ? stripped : stripped.slice(0, -1);
  }
  if (measure(stripped) === 1 && endsConsonantVowelConsonant(stripped)) return `${stripped}e`;
  return stripped;
}

function step1c(word: string): string {
  if (word.endsWith('y') && containsVowel(word.slice(0, -1))) return `${word.slice(0, -1)}i`;
  return word;
}

const step2Suffixes: ReadonlyArray<readonly [string, string]> = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
];

const step3Suffixes: ReadonlyArray<readonly [string, string]> = [
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
];

/**
 * Replaces the longest suffix of the table that `word` ends with, when the stem left
 * before it has a measure above `minimumMeasure`. Only the longest match is considered.
 */
function replaceLongestSuffix(
  word: string,
  suffixes: ReadonlyArray<readonly [string, string]>,
  minimumMeasure: number,
): string {
  let best: readonly [string, string] | undefined;
  for (const entry of suffixes) {
    if (word.endsWith(entry[0]) && (best === undefined || entry[0].length > best[0].length)) {
      best = entry;
    }
  }
  if (best === undefined) return word;
  const stemPart = word.slice(0, word.length - best[0].length);
  return measure(stemPart) > minimumMeasure ? stemPart + best[1] : word;
}

const step4Suffixes: readonly string[] = [
  'al',
  'ance',
  'ence',
  'er',
  'ic',
  'able',
  'ible',
  'ant',
  'ement',
  'ment',
  'ent',
  'ion',
  'ou',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
];

function step4(word: string): string {
  let best: string | undefined;
  for (const suffix of step4Suffixes) {
    if (word.endsWith(suffix) && (best === undefined || suffix.length > best.length)) {
      best = suffix;
    }
  }
  if (best === undefined) return word;
  const stemPart = word.slice(0, word.length - best.length);
  if (measure(stemPart) <= 1) return word;
  if (best === 'ion') {
    const last = stemPart[stemPart.length - 1];
    if (last !== 's' && last !== 't') return word;
  }
  return stemPart;
}

function step5(word: string): string {
  let current = word;
  if (current.endsWith('e')) {
    const stemPart = current.slice(0, -1);
    const stemMeasure = measure(stemPart);
    if (stemMeasure > 1 || (stemMeasure === 1 && !endsConsonantVowelConsonant(stemPart))) {
      current = stemPart;
    }
  }
  if (current.endsWith('ll') && measure(current) > 1) current = current.slice(0, -1);
  return current;
}
