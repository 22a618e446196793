import { describe, expect, it } from 'vitest';
import { unknownThingAskedFor, vocabularyOf } from './unknown-thing-asked-for';

const library = vocabularyOf([
  'the customer asks about e-books, e-audiobooks or the library app',
  'You can hire the Harbour Room at Central Library for meetings and parties.',
  'Every open branch has free computers and wifi; printing costs 15p a page.',
  'the customer asks how to join the library or replace a lost card',
]);

describe('unknownThingAskedFor', () => {
  it('names the thing a question asks the service for, when no text of the agent speaks of it', () => {
    expect(unknownThingAskedFor('do you do botox?', library)).toBe('botox');
    expect(unknownThingAskedFor('Do you rent out tandems?', library)).toBe('tandems');
    expect(unknownThingAskedFor('is there a café in the central library?', library)).toBe('café');
    expect(
      unknownThingAskedFor('can I hire a bouncy castle from the council for a party', library),
    ).toBe('bouncy castle');
    expect(unknownThingAskedFor('hi, do you guys sell TV packages', library)).toBe('tv packages');
  });

  it('is null when the agent speaks of the thing, in any spelling of its words', () => {
    expect(unknownThingAskedFor('Do you lend ebooks?', library)).toBeNull();
    expect(unknownThingAskedFor('do you have free wifi?', library)).toBeNull();
    expect(unknownThingAskedFor('is there a printer at central?', library)).toBeNull();
    expect(unknownThingAskedFor('can I hire a room for a party?', library)).toBeNull();
  });

  it('is null for any other shape of message, whatever unknown words it has', () => {
    expect(unknownThingAskedFor("my dad's 88 and can't get his bins down", library)).toBeNull();
    expect(unknownThingAskedFor('what is botox?', library)).toBeNull();
    expect(unknownThingAskedFor('do you?', library)).toBeNull();
  });
});
