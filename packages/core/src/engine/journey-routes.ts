import type { Journey, JourneyState } from '../domain/journey';

/** A way from a chat step, through chat steps only, to the first tool step it reaches. */
export interface JourneyRoute {
  /** The chat steps on the way, the starting one first. */
  chats: JourneyState[];
  /** The tool step the way ends at. */
  toolState: JourneyState;
  /** The state the way leaves the starting step for (the tool step itself when it is next). */
  firstStep: JourneyState;
}

/**
 * Every way from a chat step to the tool steps it reaches through chat steps only, at most
 * `maximumChats` of them on the way (the starting one included): the shortest per way out and
 * tool step, ways out in the journey's order. The search is breadth-first from each way out,
 * so a densely connected journey costs its size per way out, never its number of paths.
 * No-model decisions read it: a message giving a tool's arguments answers the chat steps
 * leading to that tool.
 */
export function journeyRoutes(
  journey: Journey,
  from: JourneyState,
  maximumChats: number,
): JourneyRoute[] {
  const stateById = new Map(journey.states.map((state) => [state.id, state]));
  const exitsFrom = new Map<string, string[]>();
  for (const transition of journey.transitions) {
    const exits = exitsFrom.get(transition.fromStateId) ?? [];
    exits.push(transition.toStateId);
    exitsFrom.set(transition.fromStateId, exits);
  }
  const routes: JourneyRoute[] = [];
  const firstSteps = new Set<string>();
  for (const firstId of exitsFrom.get(from.id) ?? []) {
    const firstStep = stateById.get(firstId);
    if (!firstStep || firstSteps.has(firstId)) continue;
    firstSteps.add(firstId);
    const seen = new Set([from.id]);
    // Each pending step: the chat steps passed so far, and the state they lead to.
    let pending = [{ chats: [from], toId: firstId }];
    while (pending.length > 0) {
      const following: { chats: JourneyState[]; toId: string }[] = [];
      for (const { chats, toId } of pending) {
        if (seen.has(toId)) continue;
        seen.add(toId);
        const state = stateById.get(toId);
        if (state?.kind === 'tool') routes.push({ chats, toolState: state, firstStep });
        else if (state?.kind === 'chat' && chats.length < maximumChats)
          for (const onward of exitsFrom.get(toId) ?? [])
            following.push({ chats: [...chats, state], toId: onward });
      }
      pending = following;
    }
  }
  return routes;
}
