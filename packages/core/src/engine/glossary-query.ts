import type { Term } from '../domain/term';

/**
 * Without a model, the customer's message in the agent's own words: each glossary synonym it
 * uses replaced by its term's name ("can I put a hold on the Oppenheimer dvd?" → "can I put a
 * reservation on the Oppenheimer dvd?", "extend my loans" → "renewal my loans"). Guidelines
 * and journeys are written with the terms, customers use the synonyms; searched beside the
 * message itself (the better score counts), the rewrite lets a synonym reach them. `null`
 * when the message uses no synonym. Whole words only, in any case, a plural `s` allowed; the
 * longest synonym wins where two overlap.
 */
export function glossaryQuery(message: string, terms: readonly Term[]): string | null {
  const synonyms = terms
    .flatMap((term) =>
      term.synonyms
        .filter((synonym) => synonym.trim().toLowerCase() !== term.name.trim().toLowerCase())
        .map((synonym) => ({ synonym: synonym.trim(), name: term.name })),
    )
    .filter((entry) => entry.synonym.length > 0)
    .sort((left, right) => right.synonym.length - left.synonym.length);
  if (synonyms.length === 0) return null;
  const taken: Array<{ start: number; end: number; name: string }> = [];
  for (const { synonym, name } of synonyms) {
    const words = synonym.split(/\s+/).map(escapeRegExp).join('\\s+');
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words}(?:s|es)?(?![\\p{L}\\p{N}])`, 'giu');
    for (const match of message.matchAll(pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some((other) => start < other.end && other.start < end)) continue;
      taken.push({ start, end, name });
    }
  }
  if (taken.length === 0) return null;
  let rewritten = '';
  let position = 0;
  for (const span of taken.sort((left, right) => left.start - right.start)) {
    rewritten += message.slice(position, span.start) + span.name;
    position = span.end;
  }
  return rewritten + message.slice(position);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
