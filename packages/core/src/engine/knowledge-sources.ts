import type { MessageSource } from '../domain/event';
import type { PassageSource } from '../ports/retriever';
import type { RetrievedPassage } from './retrieve-knowledge';

/**
 * One numbered source of a reply: the passages of one document (same retriever, same
 * document id, else same address, else same title), numbered by its best passage's rank. A
 * fluid reply cites it as `[number]`; the message's `sources` list it at `number - 1`.
 */
export interface NumberedSource {
  number: number;
  retrieverId: string;
  source: PassageSource;
  passages: RetrievedPassage[];
}

/** The turn's passages grouped into numbered sources, in rank order of their best passage. */
export function numberSources(passages: readonly RetrievedPassage[]): NumberedSource[] {
  const byKey = new Map<string, NumberedSource>();
  for (const passage of passages) {
    const { documentId, url, title } = passage.source;
    const key = `${passage.retrieverId}\u0000${documentId ?? url ?? title}`;
    const existing = byKey.get(key);
    if (existing) existing.passages.push(passage);
    else {
      byKey.set(key, {
        number: byKey.size + 1,
        retrieverId: passage.retrieverId,
        source: passage.source,
        passages: [passage],
      });
    }
  }
  return [...byKey.values()];
}

/** The source numbers a reply cites (`[2]`, `[1][3]`, `[1, 3]`), among `count` sources. */
export function citedNumbers(text: string, count: number): Set<number> {
  const cited = new Set<number>();
  for (const match of text.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
    for (const part of (match[1] as string).split(',')) {
      const number = Number(part.trim());
      if (number >= 1 && number <= count) cited.add(number);
    }
  }
  return cited;
}

/** A numbered source as a message event carries it. */
export function toMessageSource(numbered: NumberedSource): MessageSource {
  const { title, url } = numbered.source;
  return {
    title,
    ...(url ? { url } : {}),
    // A source is made from at least one passage: its best one names it.
    passageId: (numbered.passages[0] as RetrievedPassage).id,
    retrieverId: numbered.retrieverId,
  };
}

/** The template fields knowledge fills: `{{passage.text}}`, `{{passages.1.title}}`. */
export const knowledgeFieldRoots: ReadonlySet<string> = new Set(['passage', 'passages']);

/** Whether a canned template shows retrieved passages (`{{passage.text}}`, `{{passages.1.title}}`). */
export function showsPassages(response: { fields: readonly string[] }): boolean {
  return response.fields.some((field) => knowledgeFieldRoots.has(field.split('.')[0] as string));
}

/**
 * What canned templates read of the turn's passages: `passage` is the best one, `passages` all
 * of them (`passages.0` is the best, as in any dotted path), each `{ text, title, url }`
 * (`url` absent when the source has none, so a template using it needs one).
 */
export function knowledgeFieldValues(
  passages: readonly RetrievedPassage[],
): Record<string, unknown> {
  if (passages.length === 0) return {};
  const shown = passages.map((passage) => ({
    text: passage.text,
    title: passage.source.title,
    ...(passage.source.url ? { url: passage.source.url } : {}),
  }));
  return { passage: shown[0], passages: shown };
}

/**
 * The passages a canned template shows, by its fields: `passage.*` the best one,
 * `passages.N.*` the Nth (from 0), `passages` alone all of them.
 */
export function passagesShownBy(
  fields: readonly string[],
  passages: readonly RetrievedPassage[],
): RetrievedPassage[] {
  const shown = new Set<number>();
  for (const field of fields) {
    const [root, index] = field.split('.');
    if (root === 'passage') shown.add(0);
    else if (root === 'passages') {
      if (index !== undefined && /^\d+$/.test(index)) shown.add(Number(index));
      else for (const position of passages.keys()) shown.add(position);
    }
  }
  return [...shown]
    .sort((left, right) => left - right)
    .flatMap((position) => (passages[position] ? [passages[position]] : []));
}
