/**
 * Small talk: a message that only greets, thanks or says goodbye ("hiya", "sound, ta",
 * "that's everything, cheers"). Every agent's customers say these in words no site owner
 * lists in full, and a word-and-meaning search of "ta" finds nothing; so, without a model,
 * such a message is also searched as the plain words of what it does ("hello", "thank you",
 * "goodbye"), which the agent's greeting and goodbye guidelines are written in.
 */
export type SmallTalkAct = 'greeting' | 'thanks' | 'goodbye';

/** Words and phrases that do each act, lower case, apostrophes kept. */
const actWords: Readonly<Record<SmallTalkAct, readonly string[]>> = {
  greeting: [
    'hi',
    'hii',
    'hiya',
    'hey',
    'heya',
    'hello',
    'helo',
    'hallo',
    'hullo',
    'howdy',
    'yo',
    'greetings',
    'morning',
    'afternoon',
    'evening',
    "g'day",
    'good day',
    'alright',
    'hiya there',
  ],
  thanks: [
    'thanks',
    'thank you',
    'thankyou',
    'thank u',
    'thx',
    'ty',
    'ta',
    'cheers',
    'appreciated',
    'appreciate it',
    'nice one',
    "you've been very helpful",
    "you've been really helpful",
    "you've been so helpful",
    "you've been helpful",
    'you have been very helpful',
    'you have been helpful',
    "that's very helpful",
    "that's really helpful",
    "that's helpful",
    'that was helpful',
    'that was very helpful',
    'very helpful',
    'really helpful',
    'most helpful',
  ],
  goodbye: [
    'bye',
    'goodbye',
    'bye bye',
    'byee',
    'cya',
    'see you',
    'see ya',
    'later',
    'laters',
    'farewell',
    'ta-ra',
    'tara',
    'cheerio',
    'ciao',
    'good night',
    'night',
    'take care',
    "that's all",
    'thats all',
    'that is all',
    "that's everything",
    'thats everything',
    'that is everything',
    "that'll be all",
    'nothing else',
    'all sorted',
    'have a good day',
    'have a nice day',
    'have a great day',
    'have a lovely day',
    'have a good evening',
    'have a nice evening',
    'have a lovely evening',
    'have a great evening',
    'have a good weekend',
    'have a nice weekend',
    'have a lovely weekend',
    'have a great weekend',
    'have a good night',
    'enjoy your day',
    'enjoy your evening',
    'enjoy your weekend',
  ],
};

/** Words that may stand beside an act without making the message about anything else. */
const fillers = new Set(
  (
    'ok okay k oh ah aw well so then right yes yeah yep great good nice lovely brilliant ' +
    'perfect awesome amazing excellent fab fantastic cool sound grand super wonderful stuff ' +
    'mate guys folks there all again very much so a lot bunch million loads for your the ' +
    'help and you u now for today that it for everything'
  ).split(' '),
);

/** The words each act is searched as: what greeting and goodbye guidelines say. */
const plainWords: Readonly<Record<SmallTalkAct, string>> = {
  greeting: 'hello, hi, good morning: the customer greets',
  thanks: 'thank you, thanks a lot: the customer thanks',
  goodbye: 'goodbye, bye, that is all: the customer says goodbye',
};

/** The most words a message of small talk has. */
const maximumWords = 8;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One pattern per act, longest phrases first, whole words only. */
const actPatterns = Object.fromEntries(
  Object.entries(actWords).map(([act, phrases]) => [
    act,
    new RegExp(
      `(?<![\\p{L}'-])(?:${[...phrases]
        .sort((left, right) => right.length - left.length)
        .map((phrase) => escapeRegExp(phrase).replace(/ /g, '\\s+'))
        .join('|')})(?![\\p{L}'-])`,
      'giu',
    ),
  ]),
) as Record<SmallTalkAct, RegExp>;

/**
 * The acts a message does when it is small talk and nothing else: every word is an act's or a
 * filler's ("ok nice one, bye" is thanks and goodbye). Empty for any message about something
 * ("hi, is the pool open?"), and for long ones.
 */
export function smallTalkActs(message: string): SmallTalkAct[] {
  let rest = message.toLowerCase().replace(/[’‘]/g, "'");
  if (rest.split(/\s+/).filter(Boolean).length > maximumWords) return [];
  const found = new Set<SmallTalkAct>();
  // Goodbyes first: "have a lovely evening" is a goodbye, though "evening" alone greets.
  for (const act of ['goodbye', 'thanks', 'greeting'] as const) {
    const pattern = actPatterns[act];
    if (pattern.test(rest)) found.add(act);
    pattern.lastIndex = 0;
    rest = rest.replace(pattern, ' ');
  }
  const acts = (Object.keys(actPatterns) as SmallTalkAct[]).filter((act) => found.has(act));
  if (acts.length === 0) return [];
  const left = rest.split(/[^\p{L}']+/u).filter(Boolean);
  return left.every((word) => fillers.has(word)) ? acts : [];
}

/** The plain words to search a message of small talk by, one text per act; none otherwise. */
export function smallTalkQueries(message: string): string[] {
  return smallTalkActs(message).map((act) => plainWords[act]);
}

/** How a canned reply opens when it greets, or answers thanks and goodbyes. */
const replyOpenings: ReadonlyArray<{ act: SmallTalkAct; pattern: RegExp }> = [
  { act: 'greeting', pattern: /^\s*(hi|hello|hey|welcome|good (morning|afternoon|evening))\b/i },
  {
    act: 'goodbye',
    pattern:
      /^\s*(you['’]re welcome|you are welcome|any ?time|my pleasure|goodbye|bye|take care|have a (great|good|nice) day)\b/i,
  },
];

/**
 * The small talk a canned reply answers, by its opening words: `greeting` for "Hi, and
 * welcome…", `goodbye` for "You're welcome! …" or "Any time! …" (a goodbye answers thanks
 * too); `null` for any other reply.
 */
export function smallTalkReplyAct(template: string): SmallTalkAct | null {
  return replyOpenings.find((opening) => opening.pattern.test(template))?.act ?? null;
}

/**
 * The small talk a guideline is for, by its examples: the act most of them do (thanks and
 * goodbyes counted together as `goodbye`), or `null` when most are about something.
 */
export function smallTalkIntentAct(examples: readonly string[]): SmallTalkAct | null {
  if (examples.length === 0) return null;
  const counts = new Map<SmallTalkAct, number>();
  for (const example of examples) {
    const acts = new Set(smallTalkActs(example).map((act) => (act === 'thanks' ? 'goodbye' : act)));
    for (const act of acts) counts.set(act, (counts.get(act) ?? 0) + 1);
  }
  const [best] = [...counts].sort((left, right) => right[1] - left[1]);
  return best && best[1] * 2 > examples.length ? best[0] : null;
}
