import { describe, expect, it } from 'vitest';
import { type RelationshipEdge, resolveRelationships } from './resolve-relationships';

const edge = (
  kind: RelationshipEdge['kind'],
  source: string,
  target: string,
): RelationshipEdge => ({
  kind,
  sourceGuidelineId: source,
  targetGuidelineId: target,
});

describe('resolveRelationships', () => {
  it('leaves the matched guidelines alone when no relationship concerns them, in their order', () => {
    const resolution = resolveRelationships(['b', 'a'], [edge('priority', 'x', 'y')]);
    expect(resolution).toEqual({ applied: ['b', 'a'], disambiguation: null, steps: [] });
  });

  // Regression: applied guidelines were sorted by id, so with random ids an entailed
  // guideline came first as often as the matched one, and steered the reply in its place.
  it('keeps the matched guidelines first and the entailed after them, whatever their ids', () => {
    const resolution = resolveRelationships(['z-matched'], [edge('entailment', 'z-matched', 'a')]);
    expect(resolution.applied).toEqual(['z-matched', 'a']);
  });

  it('brings in entailed guidelines, transitively', () => {
    const resolution = resolveRelationships(
      ['a'],
      [edge('entailment', 'a', 'b'), edge('entailment', 'b', 'c')],
    );
    expect(resolution.applied).toEqual(['a', 'b', 'c']);
    expect(resolution.steps).toEqual([
      { guidelineId: 'b', change: 'entailed', because: 'a' },
      { guidelineId: 'c', change: 'entailed', because: 'b' },
    ]);
  });

  it('lets a prioritized guideline override another', () => {
    const resolution = resolveRelationships(['a', 'b'], [edge('priority', 'a', 'b')]);
    expect(resolution.applied).toEqual(['a']);
    expect(resolution.steps).toEqual([{ guidelineId: 'b', change: 'overridden', because: 'a' }]);
    expect(resolveRelationships(['b'], [edge('priority', 'a', 'b')]).applied).toEqual(['b']);
  });

  it('drops a guideline whose dependency does not apply, and keeps it when it does', () => {
    expect(resolveRelationships(['a'], [edge('dependency', 'a', 'b')]).applied).toEqual([]);
    expect(resolveRelationships(['a', 'b'], [edge('dependency', 'a', 'b')]).applied).toEqual([
      'a',
      'b',
    ]);
  });

  it('drops a dependent once its dependency was overridden', () => {
    const resolution = resolveRelationships(
      ['a', 'b', 'c'],
      [edge('dependency', 'a', 'b'), edge('priority', 'c', 'b')],
    );
    expect(resolution.applied).toEqual(['c']);
    expect(resolution.steps.map((step) => step.change)).toEqual(['overridden', 'dependency_unmet']);
  });

  it('never brings back an overridden guideline through an entailment', () => {
    const resolution = resolveRelationships(
      ['a', 'c'],
      [edge('entailment', 'a', 'b'), edge('priority', 'c', 'b'), edge('entailment', 'b', 'a')],
    );
    expect(resolution.applied).toEqual(['a', 'c']);
  });

  it('asks which was meant when an observation matches several or none of its targets', () => {
    const relationships = [
      edge('disambiguation', 'vague', 'card_lost'),
      edge('disambiguation', 'vague', 'card_declined'),
      edge('disambiguation', 'vague', 'card_expired'),
    ];
    const several = resolveRelationships(['vague', 'card_lost', 'card_declined'], relationships);
    expect(several.applied).toEqual([]);
    expect(several.disambiguation).toEqual({
      observationId: 'vague',
      candidateIds: ['card_declined', 'card_lost'],
    });
    const none = resolveRelationships(['vague'], relationships);
    expect(none.disambiguation?.candidateIds).toEqual([
      'card_declined',
      'card_expired',
      'card_lost',
    ]);
    const one = resolveRelationships(['vague', 'card_lost'], relationships);
    expect(one.disambiguation).toBeNull();
    expect(one.applied).toEqual(['vague', 'card_lost']);
  });

  it('settles on cycles', () => {
    const resolution = resolveRelationships(
      ['a'],
      [edge('entailment', 'a', 'b'), edge('entailment', 'b', 'a'), edge('dependency', 'b', 'c')],
    );
    expect(resolution.applied).toEqual(['a']);
  });
});
