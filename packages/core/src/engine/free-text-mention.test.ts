import { describe, expect, it } from 'vitest';
import { freeTextMention } from './free-text-mention';

const library = {
  knownTexts: [
    'the customer wants to reserve a book, an audiobook or a DVD',
    'the customer wants a title kept for them to collect at a branch, or to join the waiting list for it',
    'Ask which title they would like to reserve',
    'Searches the catalogue for a title in a format (book, audiobook on CD or DVD)',
    'reservation: hold, request, put on hold, waiting list',
  ],
  choices: ['book', 'books', 'paperback', 'audiobook', 'on cd', 'dvd', 'tv series', 'central'],
};

const restaurant = {
  knownTexts: [
    'the customer wants to book a table',
    'Ask for the name the table should be booked under',
    'Books a table for a party at a time',
  ],
  choices: ['terrace', 'window', 'inside'],
};

describe('freeTextMention', () => {
  it.each([
    ['i want to reserve wolf hall', 'wolf hall'],
    ['can I put a hold on the Oppenheimer dvd?', 'Oppenheimer'],
    ["do you have lessons in chemistry on dvd? I'd like to reserve it", 'lessons in chemistry'],
    ['could you reserve a book called the long way round', 'the long way round'],
    ['Have you got Project Hail Mary as an audiobook', 'Project Hail Mary'],
    ['please reserve "Small Island" for me', 'Small Island'],
  ])('reads the value in %j', (message, value) => {
    expect(freeTextMention({ message, ...library })).toBe(value);
  });

  it.each([
    // Who it is for is no title.
    "Could I reserve an audiobook for my mum? She can't manage small print anymore",
    'I want to reserve something',
    'can i reserve a book please',
    // Two titles: the customer has not said which one first.
    'I want to reserve wolf hall on dvd and bring up the bodies as a book',
    // Nothing marks the words as a name.
    'the bus was late so I could not get there',
    'reserve it for me, I will be there next tuesday',
  ])('finds no value in %j', (message) => {
    expect(freeTextMention({ message, ...library })).toBeNull();
  });

  it('reads a name after the words of another agent', () => {
    expect(freeTextMention({ message: 'book a table under Okonkwo please', ...restaurant })).toBe(
      'Okonkwo',
    );
    expect(
      freeTextMention({ message: 'a table for four tonight at 8pm please', ...restaurant }),
    ).toBeNull();
    expect(freeTextMention({ message: 'can I book the terrace?', ...restaurant })).toBeNull();
  });
});
