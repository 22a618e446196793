import { describe, expect, it } from 'vitest';
import { conditionSolved, problemSolved } from './problem-solved';

describe('problemSolved', () => {
  it.each([
    'restarted it, no difference at all',
    'wifi is super slow even after rebooting the router',
    "tried that, it didn't help",
    'still broken',
    "turned it off and on, it's not working",
    'nope, same problem',
  ])('hears the problem unsolved in %j', (message) =>
    expect(problemSolved(message)).toBe('unsolved'),
  );

  it.each([
    'yes that fixed it, thanks',
    'all working now',
    "it's fast again",
    'sorted, cheers',
    'pressed it and that worked',
  ])('hears the problem solved in %j', (message) => expect(problemSolved(message)).toBe('solved'));

  it.each(['NW100002', 'what are your opening hours?', 'yes please'])(
    'hears neither in %j',
    (message) => expect(problemSolved(message)).toBeNull(),
  );
});

describe('conditionSolved', () => {
  it('tells a way on for a solved problem from one for a problem that stays, and from the rest', () => {
    expect(conditionSolved('the customer says it is still slow after restarting the router')).toBe(
      'unsolved',
    );
    expect(conditionSolved('the restart did not fix it')).toBe('unsolved');
    expect(conditionSolved('the customer says the restart fixed it and it is fast again')).toBe(
      'solved',
    );
    expect(conditionSolved('the reset button worked and it opens')).toBe('solved');
    expect(conditionSolved('the customer gives another account number')).toBeNull();
  });
});
