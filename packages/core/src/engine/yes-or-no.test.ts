import { describe, expect, it } from 'vitest';
import { conditionExpects, yesOrNo } from './yes-or-no';

describe('yesOrNo', () => {
  it.each([
    'yep that works',
    'lovely, yes please',
    'ok go ahead and book it',
    'great, book me in',
    'Yes cancel it',
    'go on then',
    'yep book that',
    "ok let's do it",
  ])('hears yes in %j', (message) => expect(yesOrNo(message)).toBe('yes'));

  it.each([
    "nah, I'll stay on what I have for now",
    "actually no, I'll keep it",
    'hmm, no, I’ll leave it for now',
    'ok, not now thanks',
  ])('hears no in %j', (message) => expect(yesOrNo(message)).toBe('no'));

  it.each([
    'Friday the 19th',
    'NW100002',
    'what are your opening hours on Saturday morning then',
    "what's going on with my order",
  ])('hears neither in %j', (message) => expect(yesOrNo(message)).toBeNull());

  it('does not read a long message as a plain answer', () => {
    expect(
      yesOrNo(
        'yes but before that I wanted to ask you about the prices of all your treatments please',
      ),
    ).toBeNull();
  });
});

describe('conditionExpects', () => {
  it('tells agreeing conditions from declining ones and from the rest', () => {
    expect(conditionExpects('the customer accepts the slot: yes, book it')).toBe('yes');
    expect(conditionExpects('the customer confirms: yes, cancel it')).toBe('yes');
    expect(conditionExpects('the customer does not want to book after all')).toBe('no');
    expect(conditionExpects('the customer changes their mind and keeps their plan')).toBe('no');
    expect(conditionExpects('the customer gives up or will send the reading another time')).toBe(
      'no',
    );
    expect(conditionExpects('the customer decides not to give a reading')).toBe('no');
    expect(conditionExpects('the customer names another day')).toBeNull();
    expect(conditionExpects('the customer gives another account number')).toBeNull();
  });
});
