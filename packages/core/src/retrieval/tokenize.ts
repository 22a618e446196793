/** Stands for any number, so "2 weeks" and "3 weeks" share a token. */
export const numberToken = '#number';
/** Stands for a currency sign or code (`$`, `€`, `usd`), so amounts in any currency match. */
export const currencyToken = '#currency';

/** Contractions written without their apostrophe, a frequent shortcut in chat messages. */
const apostropheLessNegations: ReadonlyMap<string, string> = new Map([
  ['arent', 'are'],
  ['cant', 'can'],
  ['couldnt', 'could'],
  ['didnt', 'did'],
  ['doesnt', 'does'],
  ['dont', 'do'],
  ['hadnt', 'had'],
  ['hasnt', 'has'],
  ['havent', 'have'],
  ['isnt', 'is'],
  ['shouldnt', 'should'],
  ['wasnt', 'was'],
  ['werent', 'were'],
  ['wont', 'will'],
  ['wouldnt', 'would'],
]);

/** Contraction endings after an apostrophe, and the word each stands for. */
const contractionEndings: ReadonlyMap<string, string | null> = new Map([
  ["n't", 'not'],
  ["'ve", 'have'],
  ["'re", 'are'],
  ["'ll", 'will'],
  ["'m", 'am'],
  ["'d", 'would'],
  // A possessive or "is": neither says what the message is about.
  ["'s", null],
]);

const currencySigns = /[$€£¥₹₽₩₪₺₫₱฿]/u;
const currencyCodes: ReadonlySet<string> = new Set([
  'usd',
  'eur',
  'gbp',
  'jpy',
  'chf',
  'cad',
  'aud',
  'nzd',
  'cny',
  'inr',
  'sek',
  'nok',
  'dkk',
  'pln',
  'czk',
  'huf',
  'mxn',
  'brl',
  'zar',
  'sgd',
  'hkd',
  'rub',
]);

/**
 * Pieces of text: runs of letters and digits (with inner apostrophes, for contractions),
 * currency signs, and pictographs (an emoji can carry the gist of a short message).
 */
const piecePattern = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*|[$€£¥₹₽₩₪₺₫₱฿]|\p{Extended_Pictographic}/gu;

/**
 * Splits a text into normalized words: lowercase, accents removed (`café` → `cafe`),
 * contractions spelled out (`haven't` and `havent` → `have not`), every number replaced by
 * {@link numberToken}, and currency signs and common ISO currency codes replaced by
 * {@link currencyToken}. Punctuation is dropped. Deterministic and locale-independent.
 */
export function tokenize(text: string): string[] {
  const normalized = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  const tokens: string[] = [];
  for (const match of normalized.matchAll(piecePattern)) {
    const piece = match[0].replace(/’/g, "'");
    if (currencySigns.test(piece) && piece.length <= 2) {
      tokens.push(currencyToken);
      continue;
    }
    pushWord(piece, tokens);
  }
  // "1,500.00" arrives as three numbers: one is enough.
  return tokens.filter(
    (token, index) => token !== numberToken || tokens[index - 1] !== numberToken,
  );
}

function pushWord(piece: string, tokens: string[]): void {
  let word = piece;
  let ending: string | null = null;
  const apostrophe = word.indexOf("'");
  if (apostrophe >= 0) {
    const negation = word.endsWith("n't") ? "n't" : undefined;
    const suffix = negation ?? word.slice(apostrophe);
    if (contractionEndings.has(suffix)) {
      word = word.slice(0, word.length - suffix.length);
      ending = contractionEndings.get(suffix) ?? null;
      // "can't" and "won't" lose more than "n't": spell their verbs out.
      if (negation !== undefined && word === 'ca') word = 'can';
      if (negation !== undefined && word === 'wo') word = 'will';
    }
    word = word.replace(/'/g, '');
  } else {
    const negated = apostropheLessNegations.get(word);
    if (negated !== undefined) {
      word = negated;
      ending = 'not';
    }
  }
  pushNormalizedWord(word, tokens);
  if (ending !== null) tokens.push(ending);
}

/** Splits letters from digits (`10eur`, `2weeks`) and maps numbers and currency codes. */
function pushNormalizedWord(word: string, tokens: string[]): void {
  if (word.length === 0) return;
  for (const part of word.match(/\p{N}+|[^\p{N}]+/gu) ?? []) {
    if (/^\p{N}+$/u.test(part)) tokens.push(numberToken);
    else if (currencyCodes.has(part)) tokens.push(currencyToken);
    else tokens.push(part);
  }
}
