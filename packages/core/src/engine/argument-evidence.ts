import type { Tool } from '../domain/tool';
import { extractArguments } from '../tools/extract-arguments';

/**
 * Without a model, how much of what an intent's tools need the message already gives: the
 * best share, over the tools, of their parameters found in the text (0 to 1). "Can I book
 * teeth whitening?" gives the booking journey's treatment; "how much is whitening?" gives it
 * too, which is why this only tips close calls (see `argumentEvidenceWeight`).
 */
export function argumentEvidence(
  tools: readonly Tool[],
  text: string,
  now: Date,
  /** Parameters the text gives that extraction cannot read: free-text values it names. */
  alsoGiven: ReadonlySet<string> = new Set(),
): number {
  let best = 0;
  for (const tool of tools) {
    const schema = tool.parameters as Record<string, unknown>;
    const properties = Object.keys((schema.properties ?? {}) as Record<string, unknown>);
    if (properties.length === 0) continue;
    const required = Array.isArray(schema.required) ? (schema.required as string[]) : properties;
    const wanted = required.length > 0 ? required : properties;
    const given = extractArguments({ schema, text, now }).arguments;
    const share =
      wanted.filter((name) => given[name] !== undefined || alsoGiven.has(name)).length /
      wanted.length;
    best = Math.max(best, share);
  }
  return best;
}

/** The tools of these ids that exist (a guideline's links, a journey's tool steps). */
export function toolsWithIds(
  tools: ReadonlyMap<string, Tool>,
  ids: readonly (string | null | undefined)[],
): Tool[] {
  return ids.flatMap((id) => {
    const tool = id ? tools.get(id) : undefined;
    return tool ? [tool] : [];
  });
}

/** What a full set of arguments adds to an intent's retrieval score, without a model. */
export const argumentEvidenceWeight = 0.1;
