import { describe, expect, it } from 'vitest';
import type { Journey, JourneyState } from '../domain/journey';
import { journeyRoutes } from './journey-routes';

/** A journey of the given states (`kind:id`) and transitions (`from>to`), only what the walk reads. */
function journeyOf(states: string[], transitions: string[]): Journey {
  return {
    states: states.map((entry) => {
      const [kind, id] = entry.split(':') as [JourneyState['kind'], string];
      return { id, kind, toolId: kind === 'tool' ? `tool_${id}` : null } as JourneyState;
    }),
    transitions: transitions.map((entry) => {
      const [fromStateId, toStateId] = entry.split('>');
      return { fromStateId, toStateId };
    }),
  } as unknown as Journey;
}

const stateOf = (journey: Journey, id: string) =>
  journey.states.find((state) => state.id === id) as JourneyState;

const summary = (journey: Journey, from: string, maximumChats = 6) =>
  journeyRoutes(journey, stateOf(journey, from), maximumChats).map(
    (route) =>
      `${route.firstStep.id}: ${route.chats.map((state) => state.id).join(',')} -> ${route.toolState.id}`,
  );

describe('journeyRoutes', () => {
  it('walks each way out through chat steps to the first tool steps, and no further', () => {
    const journey = journeyOf(
      ['chat:ask', 'chat:which', 'tool:quote', 'chat:none', 'tool:book', 'end:done'],
      ['ask>which', 'ask>none', 'which>quote', 'quote>book', 'none>done'],
    );
    expect(summary(journey, 'ask')).toEqual(['which: ask,which -> quote']);
  });

  it('gives a tool step next to the start with the start alone on the way', () => {
    const journey = journeyOf(['chat:ask', 'tool:lookup'], ['ask>lookup']);
    expect(summary(journey, 'ask')).toEqual(['lookup: ask -> lookup']);
  });

  it('lists a tool step once per way out that reaches it, by the shortest way', () => {
    const journey = journeyOf(
      ['chat:start', 'chat:a', 'chat:b', 'chat:c', 'tool:run'],
      ['start>a', 'start>b', 'a>c', 'c>run', 'a>run', 'b>run'],
    );
    expect(summary(journey, 'start')).toEqual(['a: start,a -> run', 'b: start,b -> run']);
  });

  it('never comes back through the start, and stops after the most chat steps allowed', () => {
    const journey = journeyOf(
      ['chat:s', 'chat:one', 'chat:two', 'tool:far', 'tool:back'],
      ['s>one', 'one>s', 'one>two', 'two>far'],
    );
    expect(summary(journey, 's', 3)).toEqual(['one: s,one,two -> far']);
    expect(summary(journey, 's', 2)).toEqual([]);
  });

  it('costs the journey size on a densely connected journey, not its number of paths', () => {
    const ids = Array.from({ length: 40 }, (_, index) => `c${index}`);
    const transitions = ids.flatMap((from) =>
      ids.filter((to) => to !== from).map((to) => `${from}>${to}`),
    );
    const journey = journeyOf(
      [...ids.map((id) => `chat:${id}`), 'tool:end'],
      [...transitions, 'c39>end'],
    );
    const routes = journeyRoutes(journey, stateOf(journey, 'c0'), 6);
    expect(routes).toHaveLength(39);
    expect(routes.every((route) => route.toolState.id === 'end')).toBe(true);
  });
});
