import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../src/definition/define-agent';
import { createEngine } from '../../src/engine/create-engine';
import { createTestClock } from '../../src/testing/test-clock';
import { tool } from '../../src/tools/tool';
import { expectReady, freshWorkspaceId, useScenarioStore } from '../scenario-support';

// Without a model, a free-text argument (a title: no pattern, values or format) is the
// answer to the step that asks for it, kept by the journey for the tools after it; and a
// confirmation step is never passed, even when the customer has given every argument.

const store = useScenarioStore();

const title = z.string().min(1).max(120).describe('The title of the book or DVD');
const format = z.enum(['book', 'dvd']).describe('book or DVD');
const card = z
  .string()
  .regex(/^LB\d{6}$/)
  .describe('The library card number');

/** What the tools were called with, in order: the explanation names tools, not arguments. */
const calls: Array<{ name: string; arguments: Record<string, unknown> }> = [];

const findTitle = tool({
  name: 'find_title',
  description: 'Looks a title up in the catalogue',
  parameters: z.object({ title, format }),
  handler: (input) => {
    calls.push({ name: 'find_title', arguments: input });
    return { found: { title: input.title, format: input.format } };
  },
});
const placeHold = tool({
  name: 'place_hold',
  description: 'Reserves a title for a card',
  parameters: z.object({ title, format, card }),
  handler: (input) => {
    calls.push({ name: 'place_hold', arguments: input });
    return { placed: { title: input.title, card: input.card } };
  },
});

const templates = {
  askTitle: 'Happy to reserve something. Which title would you like?',
  askFormat: 'As a book or a DVD?',
  found: 'We have {{find_title.found.title}}. What is your library card number?',
  confirm: 'Shall I place the hold on card {{memory.card}}?',
  placed: 'Done: {{place_hold.placed.title}} is on hold for card {{place_hold.placed.card}}.',
  notPlaced: 'No problem, nothing is reserved.',
};

const library = defineAgent({
  name: 'Quayside Library',
  compositionMode: 'canned_strict',
  tools: [findTitle, placeHold],
  journeys: [
    {
      key: 'reserve',
      title: 'Reserve a title',
      conditions: ['the customer wants to reserve a book or a DVD'],
      initialState: 'ask_title',
      states: [
        { key: 'ask_title', kind: 'chat', action: 'Ask which title they would like' },
        { key: 'ask_format', kind: 'chat', action: 'Ask whether they want the book or the DVD' },
        { key: 'find', kind: 'tool', tool: 'find_title' },
        { key: 'ask_card', kind: 'chat', action: 'Say it was found and ask for the card number' },
        { key: 'confirm', kind: 'chat', action: 'Ask whether to place the hold' },
        { key: 'place', kind: 'tool', tool: 'place_hold' },
        { key: 'placed', kind: 'chat', action: 'Confirm the hold' },
        { key: 'not_placed', kind: 'chat', action: 'Say nothing was reserved' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_title', to: 'ask_format', condition: 'the customer names a title' },
        { from: 'ask_format', to: 'find', condition: 'the customer says book or DVD' },
        { from: 'find', to: 'ask_card' },
        { from: 'ask_card', to: 'confirm', condition: 'the customer gives the card number' },
        { from: 'confirm', to: 'place', condition: 'the customer agrees: yes, place it' },
        {
          from: 'confirm',
          to: 'not_placed',
          condition: 'the customer does not want it after all',
        },
        { from: 'place', to: 'placed' },
        { from: 'placed', to: 'done' },
        { from: 'not_placed', to: 'done' },
      ],
    },
  ],
  cannedResponses: [
    ...Object.entries(templates)
      .filter(([name]) => name !== 'confirm')
      .map(([, template]) => ({ template })),
    { template: 'Shall I place the hold for you?' },
  ],
});

async function openSession() {
  const clock = createTestClock({ start: new Date('2026-06-15T09:00:00Z') });
  const engine = createEngine({
    store: store(),
    tools: [findTitle, placeHold],
    clock,
    fallbackReply: 'Sorry, I can only reserve titles here.',
  });
  const workspaceId = freshWorkspaceId();
  const report = await engine.sync(workspaceId, library);
  const workspace = engine.forWorkspace(workspaceId);
  const session = await workspace.sessions.create({ agentId: report.agent.id });
  return async (text: string) => {
    const outcome = expectReady(
      await (await workspace.sessions.postCustomerMessage(session.id, { text })).turn,
    );
    const reply = (outcome.message.data as { text: string }).text;
    return { reply, state: outcome.explanation.journey?.state ?? null, tools: calls.splice(0) };
  };
}

describe('without a model, a free-text argument and a confirmation', () => {
  it('takes the answer to "which title?" as the title, for the tools after it', async () => {
    const say = await openSession();
    expect((await say('can I reserve something please')).reply).toBe(templates.askTitle);
    const format = await say('The Left Hand of Darkness');
    expect(format.reply).toBe(templates.askFormat);
    expect(format.tools).toEqual([]);
    const found = await say('the book');
    expect(found.tools).toEqual([
      { name: 'find_title', arguments: { title: 'The Left Hand of Darkness', format: 'book' } },
    ]);
    expect(found.reply).toBe(
      'We have The Left Hand of Darkness. What is your library card number?',
    );
    // Every argument of the hold is known now: it is still asked for, never placed unseen.
    const confirm = await say('LB123456');
    expect(confirm.state).toBe('confirm');
    expect(confirm.tools).toEqual([]);
    const placed = await say('yes please');
    expect(placed.tools).toEqual([
      {
        name: 'place_hold',
        arguments: { title: 'The Left Hand of Darkness', format: 'book', card: 'LB123456' },
      },
    ]);
    expect(placed.reply).toBe('Done: The Left Hand of Darkness is on hold for card LB123456.');
  });

  it('takes no question as a title: nothing is searched without one', async () => {
    const say = await openSession();
    await say('can I reserve something please');
    // A question is no title, and its words fit no way on: the step is asked again.
    expect((await say('how long can I keep things for?')).state).toBe('ask_title');
    // The format alone leaves "which title?" open: still asked, the format kept for later.
    const asked = await say('the dvd');
    expect(asked.tools).toEqual([]);
    expect(asked.state).toBe('ask_title');
    expect(asked.reply).toBe(templates.askTitle);
    const found = await say('Dune');
    expect(found.tools).toEqual([
      { name: 'find_title', arguments: { title: 'Dune', format: 'dvd' } },
    ]);
  });

  it('reads a title named in the message that starts the journey, and asks what is left', async () => {
    const say = await openSession();
    const first = await say('i would like to reserve the dispossessed');
    expect(first.state).toBe('ask_format');
    expect(first.reply).toBe(templates.askFormat);
    const found = await say('not the book, the dvd');
    expect(found.tools).toEqual([
      { name: 'find_title', arguments: { title: 'dispossessed', format: 'dvd' } },
    ]);
    // Beside its format, in capitals: the whole journey's first step answered at once.
    const again = await openSession();
    const direct = await again('Could you reserve Kindred on DVD for me?');
    expect(direct.tools).toEqual([
      { name: 'find_title', arguments: { title: 'Kindred', format: 'dvd' } },
    ]);
    expect(direct.state).toBe('ask_card');
  });

  it('passes a step reached after a tool when an earlier message answered it', async () => {
    const say = await openSession();
    const first = await say('Could you reserve Kindred for me? My card is LB123456');
    expect(first.state).toBe('ask_format');
    // The search runs, and "what is your card number?" was answered before it was asked.
    const found = await say('the dvd');
    expect(found.tools).toEqual([
      { name: 'find_title', arguments: { title: 'Kindred', format: 'dvd' } },
    ]);
    expect(found.state).toBe('confirm');
    expect(found.reply).toBe('Shall I place the hold for you?');
  });

  it('reads "no" with a new value as a correction, not a refusal', async () => {
    const say = await openSession();
    await say('can I reserve something please');
    await say('Kindred');
    await say('the book');
    expect((await say('LB123456')).state).toBe('confirm');
    // At "shall I place the hold?", whose other way on is "does not want it after all".
    const corrected = await say('sorry no, I meant the DVD, not the book');
    expect(corrected.state).toBe('confirm');
    expect(corrected.tools).toEqual([]);
    expect((await say('yes')).tools).toEqual([
      { name: 'place_hold', arguments: { title: 'Kindred', format: 'dvd', card: 'LB123456' } },
    ]);
  });

  it('takes no single way on when the message does not give what its step asks for', async () => {
    const say = await openSession();
    await say('can I reserve something please');
    await say('Kindred');
    await say('the book');
    // "Say it was found and ask for the card number": a question about hours is no card.
    const aside = await say('ok and when are you open on sundays?');
    expect(aside.state).toBe('ask_card');
    expect(aside.tools).toEqual([]);
    expect((await say('LB654321')).state).toBe('confirm');
  });
});
