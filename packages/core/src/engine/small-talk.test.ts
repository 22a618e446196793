import { describe, expect, it } from 'vitest';
import {
  smallTalkActs,
  smallTalkIntentAct,
  smallTalkQueries,
  smallTalkReplyAct,
} from './small-talk';

describe('smallTalkActs', () => {
  it('reads greetings, thanks and goodbyes in the words customers use', () => {
    expect(smallTalkActs('hiya')).toEqual(['greeting']);
    expect(smallTalkActs('helo')).toEqual(['greeting']);
    expect(smallTalkActs('Good evening!')).toEqual(['greeting']);
    expect(smallTalkActs('sound, ta')).toEqual(['thanks']);
    expect(smallTalkActs('nice one ta-ra')).toEqual(['thanks', 'goodbye']);
    expect(smallTalkActs('alright')).toEqual(['greeting']);
    expect(smallTalkActs('cheers mate')).toEqual(['thanks']);
    expect(smallTalkActs('great stuff, thank you')).toEqual(['thanks']);
    expect(smallTalkActs('ok nice one, bye')).toEqual(['thanks', 'goodbye']);
    expect(smallTalkActs("that's everything, cheers")).toEqual(['thanks', 'goodbye']);
    expect(smallTalkActs('That’s all, thanks a lot')).toEqual(['thanks', 'goodbye']);
    expect(smallTalkActs("You've been very helpful. Have a lovely evening.")).toEqual([
      'thanks',
      'goodbye',
    ]);
    expect(smallTalkActs('enjoy your weekend')).toEqual(['goodbye']);
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

describe('smallTalkReplyAct and smallTalkIntentAct', () => {
  it("reads a reply's opening and a guideline's examples", () => {
    expect(smallTalkReplyAct('Hi there, this is Cityline Bikes! Ask me about prices…')).toBe(
      'greeting',
    );
    expect(smallTalkReplyAct("You're welcome! Have a great day.")).toBe('goodbye');
    expect(smallTalkReplyAct('Any time! Thanks for riding with us.')).toBe('goodbye');
    expect(smallTalkReplyAct('Thank you: I have logged report DR-1.')).toBeNull();
    expect(smallTalkReplyAct('No problem, nothing is booked.')).toBeNull();
    expect(smallTalkIntentAct(['hello', 'hi', 'good morning'])).toBe('greeting');
    expect(smallTalkIntentAct(['thanks a lot', 'bye', 'that is all, thank you'])).toBe('goodbye');
    expect(smallTalkIntentAct(['how much is a lesson?', 'hi', 'prices?'])).toBeNull();
    expect(smallTalkIntentAct([])).toBeNull();
  });
});
