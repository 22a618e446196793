import { stemOf, wordsOf } from './word-stems';

/**
 * Without a model, the free-text value a sentence names among other words: "i want to reserve
 * wolf hall" names the title "wolf hall", "can I put a hold on the Oppenheimer dvd?" names
 * "Oppenheimer", "do you have lessons in chemistry on dvd?" names "lessons in chemistry".
 *
 * The value is what is left once the words the agent itself uses are set aside: the
 * journey's conditions and steps, its tools' descriptions, their choices ("dvd", "on cd"),
 * the glossary (`knownTexts`), and the words of any sentence (articles, pronouns, "want",
 * "please", days and times). Of the runs of words left, one counts only where a person would
 * read a name:
 *
 * - right after a word of the agent's own ("reserve wolf hall", "a hold on the Oppenheimer"),
 *   or after "called", "named", "titled";
 * - right before one of the choices ("Oppenheimer dvd", "lessons in chemistry on dvd");
 * - in quotes, or in capitals within the sentence ("have you got Project Hail Mary").
 *
 * Never a value: a run after a possessive ("for my mum"), with a pronoun in it, or longer
 * than eight words. Exactly one run must count; two ("wolf hall and the tudors") or none
 * give `null`, and the step that asks for the value asks for it. A number, a reference or a
 * date ends a run: they are other parameters' values.
 */
export function freeTextMention(input: {
  message: string;
  /** The agent's own texts around the value: conditions, step actions, descriptions, glossary. */
  knownTexts: readonly string[];
  /** Choices of the other parameters, as phrases ("dvd", "on cd", "central library"). */
  choices: readonly string[];
}): string | null {
  const tokens = tokensOf(input.message);
  if (tokens.length === 0) return null;
  const known = new Set(input.knownTexts.flatMap((text) => wordsOf(text).map(stemOf)));
  const isChoice = markChoices(tokens, input.choices);
  const kinds = tokens.map((token, index): TokenKind => {
    if (isChoice[index] || /\d/.test(token.word) || numberWords.has(token.lower)) return 'value';
    if (sentenceWords.has(token.lower)) return 'function';
    if (known.has(stemOf(token.lower))) return 'known';
    return 'unknown';
  });
  const runs: Array<{ start: number; end: number }> = [];
  let open: { start: number; end: number } | null = null;
  tokens.forEach((token, index) => {
    const kind = kinds[index];
    const breaks = kind === 'value' || token.breakBefore;
    if (breaks && open) {
      runs.push(open);
      open = null;
    }
    if (kind === 'unknown') {
      if (open) open.end = index;
      else open = { start: index, end: index };
    }
  });
  if (open) runs.push(open);
  const counted = runs.filter((run) => counts(run, tokens, kinds));
  if (counted.length !== 1) return null;
  const [run] = counted as [{ start: number; end: number }];
  // "called the long way round": after a lead-in, the name starts right after it.
  let start = run.start;
  while (
    start > 0 &&
    !(tokens[start] as Token).breakBefore &&
    articles.has(lowerAt(tokens, start - 1)) &&
    start - 2 >= 0 &&
    leadIns.has(lowerAt(tokens, start - 2))
  )
    start -= 1;
  const value = input.message.slice(
    (tokens[start] as Token).offset,
    (tokens[run.end] as Token).offset + (tokens[run.end] as Token).word.length,
  );
  return value.replace(/^["'“‘]+|["'”’]+$/g, '').trim() || null;
}

type TokenKind = 'value' | 'function' | 'known' | 'unknown';

interface Token {
  word: string;
  lower: string;
  offset: number;
  /** The characters between this word and the one before. */
  gap: string;
  /** Punctuation between this word and the one before: a run never crosses it. */
  breakBefore: boolean;
  /** Whether an opening quote is right before it. */
  quotedBefore: boolean;
  /** Whether a closing quote is right after it. */
  quotedAfter: boolean;
}

const longestRun = 8;

function counts(
  run: { start: number; end: number },
  tokens: readonly Token[],
  kinds: readonly TokenKind[],
): boolean {
  if (run.end - run.start + 1 > longestRun) return false;
  for (let index = run.start; index <= run.end; index += 1)
    if (pronouns.has((tokens[index] as Token).lower)) return false;
  // The word before, past articles and a few joining words ("a hold on the …").
  let before = run.start - 1;
  while (
    before >= 0 &&
    !(tokens[before + 1] as Token).breakBefore &&
    skippable.has(lowerAt(tokens, before))
  )
    before -= 1;
  const directlyBefore =
    run.start > 0 && !(tokens[run.start] as Token).breakBefore
      ? lowerAt(tokens, run.start - 1)
      : '';
  if (possessives.has(directlyBefore)) return false;
  const first = tokens[run.start] as Token;
  const last = tokens[run.end] as Token;
  if (first.quotedBefore && last.quotedAfter) return true;
  const joined = before >= 0 && !(tokens[before + 1] as Token).breakBefore;
  if (joined && (kinds[before] === 'known' || leadIns.has(lowerAt(tokens, before)))) return true;
  let after = run.end + 1;
  while (
    after < tokens.length &&
    !(tokens[after] as Token).breakBefore &&
    skippable.has(lowerAt(tokens, after))
  )
    after += 1;
  if (after < tokens.length && !(tokens[after] as Token).breakBefore && kinds[after] === 'value')
    return true;
  // In capitals within its sentence: a name, as people write names.
  for (let index = run.start; index <= run.end; index += 1) {
    const token = tokens[index] as Token;
    const sentenceStart = index === 0 || /[.?!]\s*$/.test(token.gap);
    if (!sentenceStart && /^[A-Z]/.test(token.word) && kinds[index] === 'unknown') return true;
  }
  return false;
}

function lowerAt(tokens: readonly Token[], index: number): string {
  return (tokens[index] as Token).lower;
}

function tokensOf(message: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*(?:-[\p{L}\p{N}]+)*/gu;
  let previousEnd = 0;
  for (const match of message.matchAll(pattern)) {
    const offset = match.index ?? 0;
    const gap = message.slice(previousEnd, offset);
    const token: Token = {
      word: match[0],
      gap,
      lower: match[0].toLowerCase().replace(/’/g, "'"),
      offset,
      breakBefore: tokens.length > 0 && /[.?!;:,()[\]/]|\s[-–—]\s/.test(gap),
      quotedBefore: /["“‘']\s*$/.test(gap),
      quotedAfter: /^\s*["”’']/.test(message.slice(offset + match[0].length)),
    };
    tokens.push(token);
    previousEnd = offset + match[0].length;
  }
  return tokens;
}

/** Marks the tokens that are part of a choice's phrase, longest phrases first. */
function markChoices(tokens: readonly Token[], choices: readonly string[]): boolean[] {
  const marked = tokens.map(() => false);
  const phrases = choices
    .map((choice) => wordsOf(choice).map(stemOf))
    .filter((words) => words.length > 0)
    .sort((left, right) => right.length - left.length);
  const stems = tokens.map((token) => stemOf(token.lower));
  for (const phrase of phrases)
    for (let start = 0; start + phrase.length <= tokens.length; start += 1)
      if (phrase.every((word, offset) => stems[start + offset] === word))
        for (let offset = 0; offset < phrase.length; offset += 1) marked[start + offset] = true;
  return marked;
}

const pronouns = new Set(
  "i me you he him she it we us they them i'm i'd i've i'll you're it's we're they're she's he's that's".split(
    ' ',
  ),
);

const possessives = new Set('my your his her our their its'.split(' '));

/** Words passed over between a value and the word that introduces or follows it. */
const skippable = new Set('the a an on in as of at for from copy copies some any'.split(' '));

const articles = new Set(['the', 'a', 'an']);

/** Numbers in words: another parameter's value, like digits. */
const numberWords = new Set(
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty hundred couple dozen half'.split(
    ' ',
  ),
);

/** Words that introduce a name. */
const leadIns = new Set('called named titled entitled'.split(' '));

/** Words of any sentence: never part of a value. */
const sentenceWords = new Set([
  ...pronouns,
  ...possessives,
  ...skippable,
  ...leadIns,
  ...'mine yours ours theirs this that these those there here what which who whom whose when where why how'.split(
    ' ',
  ),
  ...'is are was were be been being am do does did done have has had having can could will would shall should may might must'.split(
    ' ',
  ),
  ..."don't doesn't didn't can't cannot couldn't won't wouldn't isn't aren't wasn't haven't hasn't shouldn't".split(
    ' ',
  ),
  ...'to with by about into onto over under up down out off than then so and or but if because not no nor yes yeah yep ok okay'.split(
    ' ',
  ),
  ...'please thanks thank cheers hi hello hey hiya sorry just also too very really actually maybe perhaps again instead else'.split(
    ' ',
  ),
  ...'want wants wanted wanna like likes liked love need needs needed get got getting give find look looking see know think wonder wondering'.split(
    ' ',
  ),
  ...'help make put take bring keep let lets try go going come coming tell ask say'.split(' '),
  ...'some all any every each other another same new old more most much many few lot lots thing things something anything'.split(
    ' ',
  ),
  ...'today tomorrow tonight yesterday now later soon week weekend month year morning afternoon evening night day days time'.split(
    ' ',
  ),
  ...'monday tuesday wednesday thursday friday saturday sunday'.split(' '),
  ...'mum mom dad son daughter wife husband partner friend kid kids child children family'.split(
    ' ',
  ),
]);
