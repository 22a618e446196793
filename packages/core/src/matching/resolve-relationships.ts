import type { RelationshipKind } from '../domain/relationship';

/** A relationship as resolution needs it: its kind and its two guidelines. */
export interface RelationshipEdge {
  kind: RelationshipKind;
  sourceGuidelineId: string;
  targetGuidelineId: string;
}

/** Why resolution added or removed a guideline: part of a turn's explanation. */
export interface RelationshipStep {
  guidelineId: string;
  change: 'entailed' | 'overridden' | 'dependency_unmet' | 'needs_disambiguation';
  /** The guideline whose relationship caused the change. */
  because: string;
}

/** The outcome of {@link resolveRelationships}. */
export interface RelationshipResolution {
  /**
   * The guidelines that apply: those matched, in the order they were given (the judgement's,
   * or retrieval's best first), then those entailments brought in, in the order they came. So
   * the first is what matching found most directly, whatever the guidelines' ids.
   */
  applied: string[];
  /**
   * Set when the customer must say which of several guidelines they meant: the agent asks
   * instead of acting on any of them.
   */
  disambiguation: { observationId: string; candidateIds: string[] } | null;
  steps: RelationshipStep[];
}

/**
 * Applies relationships to the guidelines the judgement found applicable, in code, with no
 * model call, until nothing changes:
 * - entailment: a matched source brings its target in;
 * - priority: a matched source removes a matched target;
 * - dependency: a source whose target is not matched is removed;
 * - disambiguation: a matched observation whose targets are not exactly one matched
 *   guideline removes them all and asks the customer which was meant (among the matched
 *   ones if two or more matched, else among all its targets).
 * A guideline removed by priority, dependency or disambiguation is never brought back by an
 * entailment, so cycles settle.
 */
export function resolveRelationships(
  matchedIds: Iterable<string>,
  relationships: readonly RelationshipEdge[],
): RelationshipResolution {
  const matched = new Set(matchedIds);
  const suppressed = new Set<string>();
  const steps: RelationshipStep[] = [];
  let disambiguation: RelationshipResolution['disambiguation'] = null;
  const byKind = (kind: RelationshipKind) => relationships.filter((edge) => edge.kind === kind);
  const remove = (guidelineId: string, change: RelationshipStep['change'], because: string) => {
    suppressed.add(guidelineId);
    if (!matched.delete(guidelineId)) return false;
    steps.push({ guidelineId, change, because });
    return true;
  };

  const disambiguationTargets = new Map<string, string[]>();
  for (const edge of byKind('disambiguation')) {
    const targets = disambiguationTargets.get(edge.sourceGuidelineId) ?? [];
    targets.push(edge.targetGuidelineId);
    disambiguationTargets.set(edge.sourceGuidelineId, targets);
  }

  // Each pass either adds an unsuppressed guideline or suppresses one; both are bounded.
  const maximumPasses = 2 * (relationships.length + 1);
  for (let pass = 0; pass < maximumPasses; pass += 1) {
    let changed = false;
    for (const edge of byKind('entailment')) {
      const target = edge.targetGuidelineId;
      if (matched.has(edge.sourceGuidelineId) && !matched.has(target) && !suppressed.has(target)) {
        matched.add(target);
        steps.push({ guidelineId: target, change: 'entailed', because: edge.sourceGuidelineId });
        changed = true;
      }
    }
    for (const edge of byKind('priority')) {
      if (matched.has(edge.sourceGuidelineId) && matched.has(edge.targetGuidelineId)) {
        changed = remove(edge.targetGuidelineId, 'overridden', edge.sourceGuidelineId) || changed;
      }
    }
    for (const edge of byKind('dependency')) {
      if (matched.has(edge.sourceGuidelineId) && !matched.has(edge.targetGuidelineId)) {
        changed =
          remove(edge.sourceGuidelineId, 'dependency_unmet', edge.targetGuidelineId) || changed;
      }
    }
    for (const [observationId, targets] of disambiguationTargets) {
      if (!matched.has(observationId)) continue;
      const matchedTargets = targets.filter((target) => matched.has(target));
      if (matchedTargets.length === 1) continue;
      disambiguation ??= {
        observationId,
        candidateIds: [...(matchedTargets.length >= 2 ? matchedTargets : targets)].sort(),
      };
      for (const target of targets) {
        changed = remove(target, 'needs_disambiguation', observationId) || changed;
      }
      // The observation has done its work: it does not apply on its own.
      changed = remove(observationId, 'needs_disambiguation', observationId) || changed;
    }
    if (!changed) break;
  }

  // A set keeps insertion order: matched first, as given, then the entailed.
  return { applied: [...matched], disambiguation, steps };
}
