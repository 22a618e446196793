import { describe, expect, it } from 'vitest';
import { smallTalkActs, smallTalkQueries } from './small-talk';

describe('smallTalkActs', () => {
  it('reads greetings, thanks and goodbyes in the words customers use', () => {
    expect(smallTalkActs('hiya')).toEqual(['greeting']);
    expect(smallTalkActs('helo')).toEqual(['greeting']);
    expect(smallTalkActs('Good evening!')).toEqual(['greeting']);
    expect(smallTalkActs('sound, ta')).toEqual(['thanks']);
    expect(smallTalkActs('cheers mate')).toEqual(['thanks']);
    expect(smallTalkActs('great stuff, thank you')).toEqual(['thanks']);
    expect(smallTalkActs('ok nice one, bye')).toEqual(['thanks', 'goodbye']);
    expect(smallTalkActs("that's everything, cheers")).toEqual(['thanks', 'goodbye']);
    expect(smallTalkActs('That’s all, thanks a lot')).toEqual(['thanks', 'goodbye']);
  });

  it('is empty for a message about something, however it opens', () => {
    expect(smallTalkActs('hi, is the pool open on Sundays?')).toEqual([]);
    expect(smallTalkActs("thanks, and what's the price?")).toEqual([]);
    expect(smallTalkActs("I'll do it later")).toEqual([]);
    expect(smallTalkActs('yes please')).toEqual([]);
    expect(smallTalkActs('the morning slot')).toEqual([]);
    expect(smallTalkActs('hello hello hello hello hello hello hello hello hello')).toEqual([]);
  });

  it('gives the plain words to search by, one text per act', () => {
    expect(smallTalkQueries('ta very much')).toEqual([expect.stringContaining('thank you')]);
    expect(smallTalkQueries('where is the dock?')).toEqual([]);
  });
});
