import type { Embedder } from '../ports/embedder';
import { findPatternMatches } from '../tools/extract-arguments';

/**
 * The `pattern`s of a tool's string parameters (references, account numbers, postcodes), as
 * its JSON Schema declares them, nested `anyOf` options included.
 */
export function identifierPatternsOf(schema: unknown): string[] {
  const patterns: string[] = [];
  const visit = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.pattern === 'string') patterns.push(record.pattern);
    for (const key of ['properties', 'anyOf', 'oneOf', 'allOf']) {
      const inner = record[key];
      if (Array.isArray(inner)) inner.forEach(visit);
      else if (inner && typeof inner === 'object') Object.values(inner).forEach(visit);
    }
  };
  visit(schema);
  return [...new Set(patterns)];
}

/** The text with every match of the patterns taken out: "reschedule BS-1142 please" → "reschedule please". */
export function withoutIdentifiers(text: string, patterns: readonly string[]): string {
  const spans = patterns
    .flatMap((pattern) => findPatternMatches(text, pattern))
    .sort((left, right) => left.start - right.start);
  if (spans.length === 0) return text;
  let result = '';
  let position = 0;
  for (const span of spans) {
    if (span.start < position) continue;
    result += text.slice(position, span.start);
    position = span.end;
  }
  return `${result}${text.slice(position)}`.replace(/\s{2,}/g, ' ').trim();
}

/**
 * An embedder that reads texts without the identifiers the agent's tools take (the values of
 * their parameters' patterns). A neural encoder sees "BS-1142" and "BS-1042" as nearly the
 * same words, so "reschedule BS-1142" lands next to the example "check my booking BS-1042";
 * without them, the words that say what the customer wants decide. The identifiers still
 * count where they matter: tools' arguments are read from the untouched message.
 */
export function maskIdentifiers(embedder: Embedder, patterns: readonly string[]): Embedder {
  if (patterns.length === 0) return embedder;
  return {
    id: `${embedder.id}+without-identifiers:${[...patterns].sort().join('|')}`,
    dimensions: embedder.dimensions,
    embed(texts, options) {
      return embedder.embed(
        texts.map((text) => withoutIdentifiers(text, patterns) || text),
        options,
      );
    },
  };
}
