/** Something that may label the session it applies in: a guideline or a journey. */
interface Labelled {
  readonly labels: readonly string[];
}

/**
 * The labels a turn gives its session: those of every guideline that applies (now, or
 * carried out in an earlier turn and still applying) and of the journey the turn started or
 * went on with, each once, in that order. The turn adds them to the session's own labels in
 * its last write; none are ever taken away, so an operator's labels stay.
 */
export function labelsFromMatches(
  guidelines: readonly Labelled[],
  journey: Labelled | null,
): string[] {
  const labels = new Set<string>();
  for (const guideline of guidelines) for (const label of guideline.labels) labels.add(label);
  for (const label of journey?.labels ?? []) labels.add(label);
  return [...labels];
}
