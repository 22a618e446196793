/**
 * A condition written about the customer ("the customer asks when their bill is due") put in
 * the customer's own words ("I ask when my bill is due"), for retrieval: messages are in the
 * first person, and an encoder of meaning finds "can you fit me in?" closer to "I want to
 * book an appointment" than to "the customer wants to book an appointment". English only;
 * a condition written otherwise comes back unchanged (and is indexed as written anyway).
 */
export function conditionInCustomerWords(condition: string): string {
  return condition
    .replace(/\bthe customer's\b/gi, 'my')
    .replace(/\bthe customer (is|was)\b/gi, (_match, verb: string) =>
      verb.toLowerCase() === 'is' ? 'I am' : 'I was',
    )
    .replace(
      /\bthe customer (cannot|can't|\w+s)\b/gi,
      (_match, verb: string) => `I ${firstPerson(verb.toLowerCase())}`,
    )
    .replace(/\bthe customer\b/gi, 'I')
    .replace(/\btheir\b/gi, 'my')
    .replace(/\bthey are\b/gi, 'I am')
    .replace(/\bthey\b/gi, 'I')
    .replace(/\bthemselves\b/gi, 'myself')
    .replace(/\bthem\b/gi, 'me')
    .replace(/\bthe assistant\b/gi, 'you');
}

/** The first person of a verb in the third: "has" → "have", "wishes" → "wish", "asks" → "ask". */
function firstPerson(verb: string): string {
  if (verb === 'has') return 'have';
  if (verb === 'does') return 'do';
  if (verb === 'cannot' || verb === "can't") return verb;
  if (/(sh|ch|x|ss|o)es$/.test(verb)) return verb.slice(0, -2);
  if (/[^aeiou]ies$/.test(verb)) return `${verb.slice(0, -3)}y`;
  return verb.endsWith('s') && !verb.endsWith('ss') ? verb.slice(0, -1) : verb;
}
