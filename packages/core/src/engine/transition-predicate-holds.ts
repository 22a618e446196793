import { readPath } from '../composition/render-template';
import { isSameJson } from '../domain/is-same-json';

/** A transition's predicate on tool results, as journeys declare it (`when`). */
export type TransitionPredicate =
  | { path: string; equals: unknown }
  | { path: string; exists: boolean };

/**
 * Whether a transition's `when` holds for these field values (tool results by tool name, as
 * templates see them): `equals` compares JSON values deeply, `exists` asks whether the path
 * leads to a value other than null. `null` when the transition declares no predicate.
 */
export function transitionPredicateHolds(
  when: TransitionPredicate | null | undefined,
  values: Readonly<Record<string, unknown>>,
): boolean | null {
  if (!when) return null;
  const value = readPath(values, when.path);
  if ('exists' in when) return (value !== undefined && value !== null) === when.exists;
  return isSameJson(value, when.equals);
}
