import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AgentDefinition, defineAgent } from '../../src/definition/define-agent';
import { createEngine, type Engine } from '../../src/engine/create-engine';
import { createTestClock } from '../../src/testing/test-clock';
import { tool } from '../../src/tools/tool';
import { createUniversalSentenceEncoderEmbedder } from '../../src/universal-sentence-encoder/create-universal-sentence-encoder-embedder';
import {
  createHarbourLibraries,
  harbourFallbackReply,
} from '../evaluation/agents/harbour-libraries';
import {
  createNorthwindBroadband,
  northwindFallbackReply,
} from '../evaluation/agents/northwind-broadband';
import { createRiversideWaste, riversideFallbackReply } from '../evaluation/agents/riverside-waste';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';

// How the no-LLM mode decides, on an agent of its own (a swim school): a confirmation step
// answered by a plain yes or no, a journey over once its last step is said, a journey
// entered past a first step the message already answers, a close call between a guideline
// and a journey tipped by the journey's arguments in the message, a question near two
// guidelines and clearly meant for neither left to the fallback, a generic greeting reply
// never chosen for a specific guideline, and paraphrases found by meaning.

const store = useScenarioStore();

const level = z.enum(['beginner', 'improver', 'advanced']).describe('the lesson level');
const day = z.string().meta({ format: 'date' }).describe('the day of the lesson');

const checkLesson = tool({
  name: 'check_lesson',
  description: 'Checks whether a lesson of a level is free on a day',
  parameters: z.object({ level, day }),
  handler: ({ level: wanted, day: on }) =>
    on.endsWith('-16')
      ? { free: false, level: wanted, day: on }
      : { free: true, level: wanted, day: on, time: '17:30' },
});

const bookLesson = tool({
  name: 'book_lesson',
  description: 'Books a lesson of a level on a day',
  parameters: z.object({ level, day }),
  handler: ({ level: wanted, day: on }) => ({ reference: `SW-${wanted.length}${on.slice(-2)}` }),
});

const templates = {
  greeting:
    'Hello! I can tell you about lessons, prices, towels and opening hours, and book a lesson.',
  goodbye: "You're welcome! See you at the pool.",
  prices:
    'Lessons cost {{prices.beginner}} for beginners, {{prices.improver}} for improvers and {{prices.advanced}} for advanced swimmers.',
  towels: 'We lend towels for free, and the lockers take a £1 coin.',
  hours: 'The pool is open {{hours.weekdays}} on weekdays and {{hours.weekend}} at weekends.',
  askLevel: 'Happy to book you a lesson. Which level: beginner, improver or advanced?',
  askDay: 'Which day would you like your lesson?',
  offer: 'Good news: {{check_lesson.day}} at {{check_lesson.time}} is free. Shall I book it?',
  full: 'Sorry, {{check_lesson.day}} is full. Which other day would suit you?',
  booked: 'Booked! Your reference is {{book_lesson.reference}}.',
  notBooked: 'No problem, nothing is booked.',
  askReset: 'Please press the reset button under the locker door and try your key again.',
  callStaff: 'Sorry about that: I have called a member of staff, who will open it for you.',
  fixed: 'Great, glad the locker opens again!',
};

const swimSchool = defineAgent({
  name: 'Harbour Swim School',
  description: 'The front desk of a swimming pool and swim school',
  compositionMode: 'canned_strict',
  tools: [checkLesson, bookLesson],
  variables: [
    {
      name: 'prices',
      description: 'Lesson prices',
      defaultValue: { beginner: '£12', improver: '£14', advanced: '£16' },
    },
    {
      name: 'hours',
      description: 'Opening hours',
      defaultValue: { weekdays: '6:30 to 21:00', weekend: '8:00 to 18:00' },
    },
  ],
  terms: [
    {
      name: 'swimming lesson',
      description: 'A 30-minute lesson in a group of six, at one level',
      synonyms: ['swim class', 'class'],
    },
  ],
  guidelines: [
    {
      key: 'greeting',
      condition: 'the customer says hello',
      action: 'greet them and say what you can help with',
      examples: ['hi', 'hello', 'good morning'],
    },
    {
      key: 'goodbye',
      condition: 'the customer thanks the assistant or says goodbye',
      action: 'say they are welcome and goodbye',
      examples: ['thanks', 'thank you, bye', "that's all"],
    },
    {
      key: 'prices',
      condition: 'the customer asks how much lessons cost',
      action: 'give the lesson prices',
      examples: ['how much is a beginner lesson?', 'what are your prices?', 'price of lessons'],
    },
    {
      key: 'towels',
      condition: 'the customer asks whether towels or lockers are provided',
      action: 'say towels are lent for free and lockers take a coin',
      examples: ['do you have towels?', 'are there lockers?'],
    },
    {
      key: 'hours',
      condition: 'the customer asks when the pool is open',
      action: 'give the opening hours',
      examples: ['when are you open?', 'what time do you close?', 'are you open on Sundays?'],
    },
  ],
  journeys: [
    {
      key: 'book_lesson',
      title: 'Book a swimming lesson',
      conditions: ['the customer wants to book a swimming lesson'],
      initialState: 'ask_level',
      states: [
        {
          key: 'ask_level',
          kind: 'chat',
          action: 'Ask which level: beginner, improver or advanced',
        },
        { key: 'ask_day', kind: 'chat', action: 'Ask which day they would like' },
        { key: 'check', kind: 'tool', tool: 'check_lesson' },
        { key: 'checked', kind: 'fork' },
        { key: 'offer', kind: 'chat', action: 'Offer the free lesson and ask whether to book it' },
        { key: 'day_full', kind: 'chat', action: 'Say the day is full and ask for another' },
        { key: 'book', kind: 'tool', tool: 'book_lesson' },
        { key: 'booked', kind: 'chat', action: 'Confirm the booking with its reference' },
        { key: 'not_booked', kind: 'chat', action: 'Say nothing was booked' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_level', to: 'ask_day', condition: 'the customer says which level' },
        { from: 'ask_day', to: 'check', condition: 'the customer says which day' },
        { from: 'check', to: 'checked' },
        {
          from: 'checked',
          to: 'offer',
          condition: 'the lesson is free',
          when: { path: 'check_lesson.free', equals: true },
        },
        {
          from: 'checked',
          to: 'day_full',
          condition: 'the day is full',
          when: { path: 'check_lesson.free', equals: false },
        },
        { from: 'day_full', to: 'check', condition: 'the customer names another day' },
        { from: 'offer', to: 'book', condition: 'the customer accepts: yes, book it' },
        {
          from: 'offer',
          to: 'check',
          condition: 'the customer would rather have another day, and says which',
        },
        {
          from: 'offer',
          to: 'not_booked',
          condition: 'the customer does not want to book after all',
        },
        { from: 'book', to: 'booked' },
        { from: 'booked', to: 'done' },
        { from: 'not_booked', to: 'done' },
      ],
    },
    {
      key: 'stuck_locker',
      title: 'A locker that will not open',
      conditions: ['the customer says their locker is stuck or will not open'],
      initialState: 'ask_reset',
      states: [
        {
          key: 'ask_reset',
          kind: 'chat',
          action: 'Ask them to press the reset button and try again',
        },
        { key: 'call_staff', kind: 'chat', action: 'Say a member of staff will open it' },
        { key: 'fixed', kind: 'chat', action: 'Say you are glad it opens again' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        {
          from: 'ask_reset',
          to: 'call_staff',
          condition: 'the customer pressed the reset button and the locker is still stuck',
        },
        { from: 'ask_reset', to: 'fixed', condition: 'the reset button worked and it opens' },
        { from: 'call_staff', to: 'done' },
        { from: 'fixed', to: 'done' },
      ],
    },
  ],
  cannedResponses: Object.values(templates).map((template) => ({ template })),
});

const fallbackReply = 'Sorry, I can only help with lessons, prices, towels and opening hours.';

async function openSession(engine: Engine) {
  const workspaceId = freshWorkspaceId();
  const report = await engine.sync(workspaceId, swimSchool);
  const workspace = engine.forWorkspace(workspaceId);
  const session = await workspace.sessions.create({ agentId: report.agent.id });
  return async (text: string) => {
    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn,
    );
    return {
      reply: (outcome.message.data as { text: string }).text,
      journey: outcome.explanation.journey
        ? `${outcome.explanation.journey.title}:${outcome.explanation.journey.state}`
        : null,
      tools: outcome.explanation.tools.map((call) => call.toolName),
      candidates: outcome.explanation.candidates,
    };
  };
}

describe('without a model, deciding', () => {
  const clock = createTestClock({ start: new Date('2026-06-15T09:00:00Z') });
  /** A session on another agent, matching on words and meaning; `say` resolves to the reply. */
  async function openFusedSession(definition: AgentDefinition, fallbackReply: string) {
    const fused = createEngine({
      store: store(),
      clock,
      fallbackReply,
      semanticEmbedder: createUniversalSentenceEncoderEmbedder(),
    });
    const workspaceId = freshWorkspaceId();
    const report = await fused.sync(workspaceId, definition);
    const workspace = fused.forWorkspace(workspaceId);
    const session = await workspace.sessions.create({ agentId: report.agent.id });
    return async (text: string) => {
      const outcome = expectReady(
        await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn,
      );
      return (outcome.message.data as { text: string }).text;
    };
  }
  const engine = () =>
    createEngine({ store: store(), tools: [checkLesson, bookLesson], clock, fallbackReply });

  it('takes the way on a plain yes or no expects, and ends the journey after its last step', async () => {
    const say = await openSession(engine());
    expect((await say('can I book a beginner swimming lesson?')).reply).toBe(templates.askDay);
    const offered = await say('the day after tomorrow');
    expect(offered.tools).toEqual(['check_lesson']);
    expect(offered.reply).toBe('Good news: 2026-06-17 at 17:30 is free. Shall I book it?');
    const booked = await say('yep, sounds good');
    expect(booked.tools).toEqual(['book_lesson']);
    expect(booked.reply).toBe('Booked! Your reference is SW-817.');
    const goodbye = await say('brilliant, thanks a lot');
    expect(goodbye.reply).toBe(templates.goodbye);
    expect(goodbye.journey).toBe('Book a swimming lesson:done');
  });

  it('takes the declining way on for a plain no', async () => {
    const say = await openSession(engine());
    await say('I want to book an improver swimming lesson');
    expect((await say('Wednesday 17 June')).reply).toContain('Shall I book it?');
    const declined = await say("nah, I'll leave it");
    expect(declined.tools).toEqual([]);
    expect(declined.reply).toBe(templates.notBooked);
  });

  it('reads "no, another day" as another day, not as a refusal, and a day given early as an answer', async () => {
    const say = await openSession(engine());
    expect((await say('I want to book a swimming lesson')).reply).toBe(templates.askLevel);
    // Towels would be a side question; the level and the day are what the journey needs.
    const checked = await say('advanced on the 17th, and do you have towels?');
    expect(checked.tools).toEqual(['check_lesson']);
    const other = await say('no, can you do the 18th instead?');
    expect(other.tools).toEqual(['check_lesson']);
    expect(other.reply).toBe('Good news: 2026-06-18 at 17:30 is free. Shall I book it?');
    expect((await say('yes that one')).tools).toEqual(['book_lesson']);
  });

  it('asks again, never books, when the answer to "shall I book it?" changes what was checked', async () => {
    const say = await openSession(engine());
    expect((await say('I want to book a beginner lesson on Wednesday 17 June')).reply).toBe(
      'Good news: 2026-06-17 at 17:30 is free. Shall I book it?',
    );
    const changed = await say('actually make it the 18th instead');
    expect(changed.tools).toEqual(['check_lesson']);
    expect(changed.reply).toBe('Good news: 2026-06-18 at 17:30 is free. Shall I book it?');
    const booked = await say('go on then');
    expect(booked.tools).toEqual(['book_lesson']);
    expect(booked.reply).toBe('Booked! Your reference is SW-818.');
  });

  it('enters a journey past a first step the message already answers', async () => {
    const say = await openSession(engine());
    const asked = await say('my locker is stuck');
    expect(asked.reply).toBe(templates.askReset);
    const other = await openSession(engine());
    const skipped = await other(
      'my locker is stuck, I pressed the reset button already and it is still stuck',
    );
    expect(skipped.reply).toBe(templates.callStaff);
  });

  it('tells a troubleshooting step answered "it did not help" from "it worked", though both name what was tried', async () => {
    const unsolved = await openSession(engine());
    expect((await unsolved('my locker is stuck')).reply).toBe(templates.askReset);
    expect((await unsolved('tried the button, nothing changed')).reply).toBe(templates.callStaff);
    const solved = await openSession(engine());
    expect((await solved('my locker is stuck')).reply).toBe(templates.askReset);
    expect((await solved('tried the button and that worked')).reply).toBe(templates.fixed);
  });

  it('enters the journey past the steps whose arguments the message gives, and leaves a price question to its guideline', async () => {
    const say = await openSession(engine());
    const offered = await say('I want to book a beginner lesson on Friday');
    expect(offered.tools).toEqual(['check_lesson']);
    expect(offered.reply).toBe('Good news: 2026-06-19 at 17:30 is free. Shall I book it?');
    // The level is the booking journey's argument too: a question about its price stays one.
    const prices = await (await openSession(engine()))('how much is a beginner lesson?');
    expect(prices.reply).toBe(
      'Lessons cost £12 for beginners, £14 for improvers and £16 for advanced swimmers.',
    );
    expect(prices.journey).toBeNull();
  });

  it("reads a glossary synonym as its term: the customer's word reaches the journey written with the term", async () => {
    const say = await openSession(engine());
    const asked = await say('could my daughter join a class?');
    expect(asked.journey).toBe('Book a swimming lesson:ask_level');
    expect(asked.reply).toBe(templates.askLevel);
  });

  it('leaves to the fallback a question clearly meant for no guideline', async () => {
    const say = await openSession(engine());
    expect((await say('is there a sauna?')).reply).toBe(fallbackReply);
    // It shares "swimming" with the lessons' journey, but no text of the pool's names
    // what it asks for.
    expect((await say('do you sell swimming goggles?')).reply).toBe(fallbackReply);
    expect((await say('do you have towels?')).reply).toBe(templates.towels);
    // Words a journey step's reply shares ("No problem, nothing is booked.") are no answer
    // outside that journey.
    expect((await say('is it a problem if nothing is booked in advance?')).reply).toBe(
      fallbackReply,
    );
    expect((await say('what time do you close on Sundays?')).reply).toBe(
      'The pool is open 6:30 to 21:00 on weekdays and 8:00 to 18:00 at weekends.',
    );
  });

  it('answers a greeting with the greeting, and never a specific question with it', async () => {
    const say = await openSession(engine());
    expect((await say('hello there')).reply).toBe(templates.greeting);
    expect((await say('what are your prices?')).reply).toContain('Lessons cost £12');
    expect((await say('do you have towels?')).reply).toBe(templates.towels);
  });

  it('with the Universal Sentence Encoder, decides a follow-up that fits several guidelines alike by its pair with the message before', {
    timeout: 30_000,
  }, async () => {
    // Northwind's support desk: "what hours are they around?" fits the opening hours, the
    // billing and the support line about as well; after asking for a person, it is the line.
    const say = await openFusedSession(createNorthwindBroadband(), northwindFallbackReply);
    const person = await say('this bot is useless, give me a real person');
    expect(person).toContain('You can speak to our support team on');
    expect(await say('what hours are they around?')).toBe(person);
  });

  it('with the Universal Sentence Encoder, leaves an unknown question to the fallback, never the greeting, and keeps a follow-up that nothing else decides with the guideline the last turn answered', {
    timeout: 30_000,
  }, async () => {
    // Riverside's bins help: "the lid on the recycling one has snapped too" after a stolen
    // bin fits several guidelines alike, alone and with the message before; the bin is the topic.
    const say = await openFusedSession(createRiversideWaste(), riversideFallbackReply);
    // A question nothing applies to gets the fallback, never the greeting that names every
    // service (it is close to them all); a greeting still gets it.
    expect(await say('how do i pay my council tax')).toBe(riversideFallbackReply);
    expect(await say('can you tell me about council services?')).toBe(riversideFallbackReply);
    expect(await say('hiya')).toMatch(/^Hello, and welcome to Riverside Council/);
    const stolen = await say("someone's nicked my wheelie bin overnight");
    expect(stolen).toMatch(/^Sorry about your bin/);
    expect(await say('how much will a new one cost me')).toBe(stolen);
    expect(await say('the lid on the recycling one has snapped too')).toBe(stolen);
  });

  it('with the Universal Sentence Encoder, finds a long reply by the one sentence that answers the question', {
    timeout: 30_000,
  }, async () => {
    // Riverside's bin guide names glass jars in one of its nine sentences, and no example of
    // its guideline does: the sentence, not the whole guide, is what the question is close to.
    const say = await openFusedSession(createRiversideWaste(), riversideFallbackReply);
    expect(await say('Are glass jars accepted?')).toMatch(/^Here's what goes where/);
    expect(await say('how do i pay my council tax')).toBe(riversideFallbackReply);
  });

  it('with the Universal Sentence Encoder, starts the journey that acts for a request to act, and leaves a question about the rules to its guideline', {
    timeout: 60_000,
  }, async () => {
    // Harbour's libraries: "renew" is in the borrowing rules' examples ("how many times can I
    // renew a book?") and in the renewal journey's conditions; asked to renew, it renews.
    const say = await openFusedSession(createHarbourLibraries(), harbourFallbackReply);
    // Its step's own reply, though pairing replies with intents across the whole catalog
    // gave that reply to a neighbouring step.
    expect(await say('can you renew my books please')).toMatch(/^I can renew your loans/);
    // The renewal journey started: the card number runs its loans lookup.
    expect(await say('HC2046813')).toMatch(/^Card HC2046813 has \d+ items on loan/);
    // Asked after a first clause, and as "can I … them": a request all the same.
    const later = await openFusedSession(createHarbourLibraries(), harbourFallbackReply);
    expect(await later('my books are due back on thursday, can I renew them on here?')).toMatch(
      /^I can renew your loans for you/,
    );
    const rules = await openFusedSession(createHarbourLibraries(), harbourFallbackReply);
    expect(await rules('how many times can I renew a book?')).toMatch(
      /^On an adult card you can borrow/,
    );
  });

  it('answers small talk in words no guideline lists with the greeting and the goodbye', async () => {
    const say = await openSession(engine());
    expect((await say('hiya')).reply).toBe(templates.greeting);
    expect((await say('sound, ta')).reply).toBe(templates.goodbye);
    expect((await say("ok that's everything, cheers")).reply).toBe(templates.goodbye);
    expect((await say('alright')).reply).toBe(templates.greeting);
    expect((await say('nice one, ta-ra')).reply).toBe(templates.goodbye);
  });

  it('with the Universal Sentence Encoder, finds paraphrases that share no word with a guideline', async () => {
    const fused = createEngine({
      store: store(),
      tools: [checkLesson, bookLesson],
      clock,
      fallbackReply,
      semanticEmbedder: createUniversalSentenceEncoderEmbedder(),
    });
    const say = await openSession(fused);
    expect((await say('can I borrow something to dry myself?')).reply).toBe(templates.towels);
    expect((await say('my key will not open my locker')).reply).toBe(templates.askReset);
  });
});
