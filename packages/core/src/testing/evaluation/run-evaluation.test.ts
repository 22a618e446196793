import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAgent } from '../../definition/define-agent';
import { ParleyError } from '../../errors/parley-error';
import { createPgliteStore, type PgliteStore } from '../../pglite/create-pglite-store';
import type { ObjectGenerationRequest } from '../../ports/chat-model';
import { tool } from '../../tools/tool';
import { createScriptedChatModel } from '../create-scripted-chat-model';
import {
  type EvaluationSuite,
  evaluationSuiteSchema,
  parseEvaluationSuite,
} from './evaluation-scenario';
import { formatEvaluationReport } from './format-evaluation-report';
import { type EvaluatedTurn, type EvaluationReport, runEvaluation } from './run-evaluation';

const hours = 'We are open from noon to 10 pm, Tuesday to Sunday.';
const freeTables = 'We have {{check_tables.free}} free tables tonight.';
const askSize = 'For how many people shall I book the table?';
const booked =
  'Your booking for tonight is confirmed: one of our {{check_tables.free}} free tables.';
const fallbackReply = 'Sorry, I can only help with tables and opening hours.';

/** Free tables tonight; a test may change it between runs. */
let freeTonight = 3;
const checkTables = tool({
  name: 'check_tables',
  description: 'Counts the tables free tonight for a party',
  parameters: z.object({ partySize: z.number().int().min(1).default(2) }),
  handler: ({ partySize }) => ({ partySize, free: freeTonight }),
});

const bistro = defineAgent({
  name: 'Bistro',
  compositionMode: 'canned_strict',
  tools: [checkTables],
  guidelines: [
    {
      key: 'opening_hours',
      condition: 'the customer asks when the bistro is open',
      action: 'tell the opening hours',
      examples: ['when are you open?', 'what are your opening hours?'],
    },
    {
      key: 'free_tables',
      condition: 'the customer asks whether a table is free tonight',
      action: 'check the free tables and say how many',
      tools: ['check_tables'],
      examples: ['is there a free table tonight?', 'any tables left this evening?'],
    },
  ],
  journeys: [
    {
      key: 'book_table',
      title: 'Book a table',
      conditions: ['the customer wants to book a table', 'reserve a table for dinner'],
      initialState: 'ask_size',
      states: [
        { key: 'ask_size', kind: 'chat', action: 'Ask for how many people the table is' },
        { key: 'check', kind: 'tool', tool: 'check_tables' },
        { key: 'confirm', kind: 'chat', action: 'Confirm the booking for tonight' },
        { key: 'done', kind: 'end' },
      ],
      transitions: [
        { from: 'ask_size', to: 'check', condition: 'the customer said how many people' },
        { from: 'check', to: 'confirm' },
        { from: 'confirm', to: 'done', condition: 'the customer is happy' },
      ],
    },
  ],
  cannedResponses: [
    { template: hours },
    { template: freeTables },
    { template: askSize },
    { template: booked },
  ],
});

/** Expectations partly right and partly wrong on purpose: every wrong one is named in `because`. */
const suite: EvaluationSuite = {
  name: 'Bistro',
  agent: bistro,
  scenarios: [
    {
      name: 'questions',
      turns: [
        {
          customer: 'when are you open?',
          expect: {
            cannedResponse: hours,
            fallback: false,
            tools: [],
            journey: null,
            guidelines: ['opening_hours'],
            replyIncludes: ['NOON'],
          },
        },
        {
          customer: 'is there a free table tonight?',
          expect: {
            cannedResponse: freeTables,
            tools: [{ name: 'check_tables', arguments: { partySize: 2 } }],
            guidelines: ['free_tables'],
            replyIncludes: ['3 free tables'],
          },
        },
        {
          customer: 'tell me a joke about penguins',
          expect: { fallback: true, cannedResponse: null, tools: [], guidelines: [] },
        },
      ],
    },
    {
      name: 'wrong on purpose',
      turns: [
        // wrong: another canned response was sent
        { customer: 'when are you open?', expect: { cannedResponse: freeTables } },
        // wrong: the fallback was sent
        { customer: 'tell me a joke about penguins', expect: { fallback: false } },
        // wrong: the arguments; right: the tool's name
        {
          customer: 'is there a free table tonight?',
          expect: { tools: [{ name: 'check_tables', arguments: { partySize: 4 } }] },
        },
        // wrong: a tool ran
        { customer: 'any tables left this evening?', expect: { tools: [] } },
        // wrong: the guideline; right: the reply
        {
          customer: 'what are your opening hours?',
          expect: { guidelines: ['free_tables'], replyIncludes: ['Tuesday'] },
        },
        // wrong: the reply; right: the guideline
        {
          customer: 'what are your opening hours?',
          expect: { guidelines: ['opening_hours'], replyIncludes: ['midnight'] },
        },
        // wrong: no canned response was expected
        { customer: 'when are you open?', expect: { cannedResponse: null } },
      ],
    },
    {
      name: 'booking',
      at: '2026-07-01T18:30:00+02:00',
      turns: [
        {
          customer: 'I would like to book a table',
          expect: {
            journey: { journey: 'book_table', state: 'ask_size' },
            cannedResponse: askSize,
            tools: [],
          },
        },
        {
          customer: 'four of us',
          expect: {
            // The tool state ran and was passed through.
            journey: { journey: 'book_table', state: 'confirm' },
            tools: [{ name: 'check_tables' }],
            replyIncludes: ['confirmed', '3 FREE'],
          },
        },
        // The journey reached its end state: no journey.
        { customer: 'thanks, great', expect: { journey: null } },
      ],
    },
    {
      name: 'booking, wrong journeys',
      turns: [
        // wrong: a journey started
        { customer: 'I would like to book a table', expect: { journey: null } },
        // wrong: the state
        {
          customer: 'four of us',
          expect: { journey: { journey: 'book_table', state: 'ask_size' } },
        },
        // wrong: the journey is over
        {
          customer: 'thanks, great',
          expect: { journey: { journey: 'book_table', state: 'confirm' } },
        },
      ],
    },
  ],
};

function turnOf(report: EvaluationReport, scenario: string, index: number, run = 1): EvaluatedTurn {
  const turn = report.turns.find(
    (candidate) =>
      candidate.scenario === scenario && candidate.index === index && candidate.run === run,
  );
  if (!turn) throw new Error(`no turn ${index} of "${scenario}" in run ${run}`);
  return turn;
}

/** Answers the judgement like a model would: the guidelines whose condition `applies` picks. */
function judgeBy(applies: (condition: string) => boolean) {
  return (request: ObjectGenerationRequest<z.ZodType>) => {
    const system = request.messages.find((message) => message.role === 'system');
    const prompt = system && 'content' in system ? system.content : '';
    const candidates = [...prompt.matchAll(/^- (g\d+): WHEN (.+?)(?: THEN |$)/gm)];
    return {
      guidelines: candidates.map((match) => ({
        id: match[1],
        applies: applies(match[2] as string),
        alreadyApplied: false,
      })),
      journey: { id: null, nextState: null },
      cannedResponse: null,
    };
  };
}

describe('runEvaluation', () => {
  let store: PgliteStore;
  beforeAll(async () => {
    store = await createPgliteStore();
  });
  afterAll(async () => {
    await store.close();
  });

  describe('in the no-LLM mode', () => {
    let report: EvaluationReport;
    beforeAll(async () => {
      freeTonight = 3;
      report = await runEvaluation(suite, { store, engine: { fallbackReply } });
    });

    it('passes every turn whose expectations are right', () => {
      for (const [scenario, count] of [
        ['questions', 3],
        ['booking', 3],
      ] as const) {
        for (let index = 0; index < count; index += 1) {
          expect(turnOf(report, scenario, index)).toMatchObject({ passed: true, failures: [] });
        }
      }
      expect(turnOf(report, 'questions', 1).reply).toBe('We have 3 free tables tonight.');
      expect(turnOf(report, 'booking', 1).reply).toBe(
        'Your booking for tonight is confirmed: one of our 3 free tables.',
      );
    });

    it('detects a wrong canned response, whatever was sent instead', () => {
      expect(turnOf(report, 'wrong on purpose', 0).failures).toEqual([
        `canned response: expected "${freeTables}", got "${hours}"`,
      ]);
      expect(turnOf(report, 'wrong on purpose', 6).failures).toEqual([
        `canned response: expected none, got "${hours}"`,
      ]);
    });

    it('detects the fallback', () => {
      expect(turnOf(report, 'wrong on purpose', 1)).toMatchObject({
        passed: false,
        reply: fallbackReply,
        failures: [`fallback: expected no fallback, got the fallback ("${fallbackReply}")`],
      });
    });

    it("detects a tool's arguments, and a tool that should not have run", () => {
      expect(turnOf(report, 'wrong on purpose', 2).failures).toEqual([
        'tools: check_tables (call 1) expected partySize = 4, was called with partySize = 2',
      ]);
      expect(turnOf(report, 'wrong on purpose', 3).failures).toEqual([
        'tools: expected no tool, got check_tables({"partySize":2})',
      ]);
    });

    it('detects guidelines that did not apply, and a reply without the words', () => {
      // Each turn has one right and one wrong expectation: only the wrong one fails.
      expect(turnOf(report, 'wrong on purpose', 4).failures).toEqual([
        'guidelines: expected "free_tables" to apply; applied: "opening_hours"',
      ]);
      expect(turnOf(report, 'wrong on purpose', 5).failures).toEqual([
        `reply: expected it to include "midnight", got "${hours}"`,
      ]);
    });

    it('detects the journey and its state, an end state counting as none', () => {
      expect(turnOf(report, 'booking, wrong journeys', 0).failures).toEqual([
        'journey: expected no journey, got "book_table" at "ask_size"',
      ]);
      expect(turnOf(report, 'booking, wrong journeys', 1).failures).toEqual([
        'journey: expected "book_table" at "ask_size", got "book_table" at "confirm"',
      ]);
      expect(turnOf(report, 'booking, wrong journeys', 2).failures).toEqual([
        'journey: expected "book_table" at "confirm", got no journey',
      ]);
    });

    it('scores the suite per turn', () => {
      expect(report).toMatchObject({ suite: 'Bistro', runs: 1, totalTurns: 16, passedTurns: 6 });
      expect(report.score).toBeCloseTo(6 / 16);
      expect(report.passAllRuns).toBeUndefined();
      expect(report.turns.map((turn) => `${turn.scenario} ${turn.index}`).slice(0, 4)).toEqual([
        'questions 0',
        'questions 1',
        'questions 2',
        'wrong on purpose 0',
      ]);
    });

    it('formats the failed turns and the totals as a plain-text table', () => {
      const text = formatEvaluationReport(report);
      const lines = text.split('\n');
      expect(lines[0]).toMatch(/^suite\s+scenario\s+turn\s+run\s+customer\s+failures$/);
      expect(lines[1]).toMatch(/^-+ {2}-+/);
      const failedLines = lines.slice(2, lines.indexOf(''));
      expect(failedLines).toHaveLength(10);
      expect(failedLines[0]).toMatch(
        /^Bistro\s+wrong on purpose\s+1\s+1\s+"when are you open\?"\s+canned response: expected "We have/,
      );
      expect(failedLines).toContainEqual(
        expect.stringMatching(
          /^Bistro\s+booking, wrong journeys\s+2\s+1\s+"four of us"\s+journey: expected "book_table" at "ask_size", got "book_table" at "confirm"$/,
        ),
      );
      expect(lines.at(-3)).toMatch(/^suite\s+passed\s+turns\s+score\s+runs\s+passed in all runs$/);
      expect(lines.at(-1)).toMatch(/^Bistro\s+6\s+16\s+37\.5%\s+1\s+-$/);
      expect(text).not.toContain('\u001b');
    });
  });

  it('with repeat: 2 runs the suite twice, in a store of its own, and measures pass^k', async () => {
    let calls = 0;
    // Free tables in the first run only: the second turn passes in one run of two.
    const countTables = tool({
      ...checkTables,
      handler: () => {
        calls += 1;
        return { free: calls === 1 ? 3 : 0 };
      },
    });
    const flaky = defineAgent({ ...bistro, name: 'Flaky bistro', tools: [countTables] });
    const report = await runEvaluation(
      {
        name: 'Consistency',
        agent: flaky,
        scenarios: [
          {
            name: 'tables',
            turns: [
              { customer: 'when are you open?', expect: { cannedResponse: hours } },
              {
                customer: 'is there a free table tonight?',
                expect: { replyIncludes: ['3 free tables'] },
              },
            ],
          },
        ],
      },
      { repeat: 2, engine: { fallbackReply } },
    );
    expect(calls).toBe(2);
    expect(report).toMatchObject({ runs: 2, totalTurns: 4, passedTurns: 3, score: 0.75 });
    expect(report.turns.map((turn) => [turn.run, turn.index, turn.passed])).toEqual([
      [1, 0, true],
      [1, 1, true],
      [2, 0, true],
      [2, 1, false],
    ]);
    expect(report.turns[3]?.failures).toEqual([
      'reply: expected it to include "3 free tables", got "We have 0 free tables tonight."',
    ]);
    // pass^2: one turn of two passed in both runs.
    expect(report.passAllRuns).toBe(0.5);
    expect(formatEvaluationReport(report).split('\n').at(-1)).toMatch(
      /^Consistency\s+3\s+4\s+75\.0%\s+2\s+50\.0%$/,
    );
  });

  it('uses the model port it is given: the scripted model judges, proposes arguments, writes', async () => {
    freeTonight = 3;
    const model = createScriptedChatModel();
    model.onObject(
      'guideline_judgement',
      judgeBy((condition) => condition.includes('free tonight')),
    );
    model.onObject('tool_calls', () => ({
      calls: [
        { tool: 'check_tables', call: true, arguments: '{"partySize":6}', missingArguments: [] },
      ],
    }));
    model.onText('reply', () => 'Yes: 3 tables are free tonight for 6 people.');
    const fluid = defineAgent({ ...bistro, name: 'Fluid bistro', compositionMode: 'fluid' });
    const report = await runEvaluation(
      {
        name: 'With a model',
        agent: fluid,
        scenarios: [
          {
            name: 'six people',
            turns: [
              {
                customer: 'is there a table for six tonight?',
                expect: {
                  guidelines: ['free_tables'],
                  tools: [{ name: 'check_tables', arguments: { partySize: 6 } }],
                  cannedResponse: null,
                  fallback: false,
                  replyIncludes: ['6 people'],
                },
              },
              {
                customer: 'and is there one for six tonight, really?',
                expect: {
                  tools: [{ name: 'check_tables', arguments: { partySize: 2 } }],
                  fallback: true,
                },
              },
            ],
          },
        ],
      },
      { model, store },
    );
    expect(report.turns[0]).toMatchObject({
      passed: true,
      reply: 'Yes: 3 tables are free tonight for 6 people.',
    });
    expect(report.turns[1]?.failures).toEqual([
      'fallback: expected the fallback reply, got "Yes: 3 tables are free tonight for 6 people."',
      'tools: check_tables (call 1) expected partySize = 2, was called with partySize = 6',
    ]);
    expect(model.calls.map((call) => call.purpose)).toEqual([
      'guideline_judgement',
      'tool_calls',
      'reply',
      'guideline_judgement',
      'tool_calls',
      'reply',
    ]);
  });

  it('fails every expectation of a turn that ends in error, saying so', async () => {
    const model = createScriptedChatModel();
    model.enqueueFailure(new Error('the model is down'), { for: 'guideline_judgement' });
    model.enqueueFailure(new Error('the model is down'), { for: 'guideline_judgement' });
    const report = await runEvaluation(
      {
        name: 'Errors',
        agent: bistro,
        scenarios: [
          {
            name: 'model down',
            turns: [
              {
                customer: 'is there a free table tonight?',
                expect: { guidelines: ['free_tables'], replyIncludes: ['tables'] },
              },
              { customer: 'hello?', expect: {} },
            ],
          },
        ],
      },
      { model, store },
    );
    const problem = 'the turn ended in error (model_failed: the model is down)';
    expect(report.turns.map((turn) => turn.failures)).toEqual([
      [
        `guidelines: expected "free_tables" to apply, but ${problem}`,
        `reply: expected a reply including "tables", but ${problem}`,
      ],
      [`turn: ${problem}`],
    ]);
    expect(report.passedTurns).toBe(0);
  });

  it('fails a turn whose tool failed, still checking what it explained', async () => {
    const brokenTables = tool({
      ...checkTables,
      handler: () => {
        throw new Error('the booking system is down');
      },
    });
    const broken = defineAgent({ ...bistro, name: 'Broken bistro', tools: [brokenTables] });
    const report = await runEvaluation(
      {
        name: 'Tool failure',
        agent: broken,
        scenarios: [
          {
            name: 'tables',
            turns: [
              {
                customer: 'is there a free table tonight?',
                expect: { guidelines: ['free_tables'], tools: [{ name: 'check_tables' }] },
              },
            ],
          },
        ],
      },
      { store, engine: { fallbackReply } },
    );
    // The guideline applied and the tool ran: only the error is a failure.
    expect(report.turns[0]).toMatchObject({
      passed: false,
      failures: ['turn: the turn ended in error (tool_failed: The check_tables tool failed)'],
    });
  });

  it("runs each scenario at its `at` on the engine's clock, for the customer it names", async () => {
    let refreshes = 0;
    const readPlan = tool({
      name: 'read_plan',
      description: "Reads the customer's plan",
      parameters: z.object({}),
      handler: () => {
        refreshes += 1;
        return 'gold';
      },
    });
    const clocked = defineAgent({
      name: 'Clocked',
      compositionMode: 'canned_strict',
      tools: [readPlan],
      // Read again when the value is older than an hour, by the engine's clock.
      variables: [
        { name: 'plan', tool: 'read_plan', freshness: { kind: 'max_age', seconds: 3600 } },
      ],
      guidelines: [
        {
          key: 'plan',
          condition: 'the customer asks which plan they have',
          action: 'tell them their plan',
          examples: ['which plan do I have?'],
        },
      ],
      cannedResponses: [{ template: 'Hi {{customer.name}}, your plan is {{plan}}.' }],
    });
    const ask = {
      customer: 'which plan do I have?',
      expect: { replyIncludes: ['Hi Ada', 'gold'] },
    };
    const ada = { externalId: 'ada', name: 'Ada' };
    const report = await runEvaluation(
      {
        name: 'Clock',
        agent: clocked,
        scenarios: [
          { name: 'morning', at: '2026-03-02T09:00:00Z', customer: ada, turns: [ask] },
          { name: 'half an hour later', at: '2026-03-02T09:30:00Z', customer: ada, turns: [ask] },
          { name: 'two hours later', at: '2026-03-02T11:00:00Z', customer: ada, turns: [ask] },
        ],
      },
      { store },
    );
    expect(report.score).toBe(1);
    // Read at 9:00, still fresh at 9:30, stale at 11:00.
    expect(refreshes).toBe(2);
  });

  it('refuses a suite whose expectations name what the agent does not have, before running', async () => {
    const broken: EvaluationSuite = {
      name: 'Broken',
      agent: bistro,
      scenarios: [
        { name: 'typo', turns: [{ customer: 'hello', expect: { guidelines: ['opening_hour'] } }] },
      ],
    };
    await expect(runEvaluation(broken, { store })).rejects.toMatchObject({
      code: 'validation_failed',
      message:
        'Invalid evaluation suite: scenarios.0.turns.0.expect.guidelines.0: unknown guideline key "opening_hour"',
    });
    await expect(runEvaluation(suite, { store, repeat: 0 })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('evaluationSuiteSchema', () => {
  const issuesOf = (input: unknown) => {
    const parsed = evaluationSuiteSchema.safeParse(input);
    if (parsed.success) throw new Error('expected the suite to be refused');
    return parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('refuses a suite written as JSON with a readable path for each mistake', () => {
    const written = `{
      "name": "Bistro from JSON",
      "scenarios": [
        { "name": "booking", "turns": [
          { "customer": "I would like to book a table",
            "expect": { "journey": { "journey": "book_table", "state": "ask_size" } } },
          { "customer": "four of us",
            "expect": { "journey": { "journey": "book_table", "state": "ask_day" },
                        "guidelines": ["greet"],
                        "tools": [{ "name": "check_tables", "arguments": { "party": 4 } }],
                        "cannedResponse": "See you!" } }
        ] }
      ]
    }`;
    let refusal: unknown;
    try {
      parseEvaluationSuite(JSON.parse(written), { agent: bistro });
    } catch (error) {
      refusal = error;
    }
    expect(ParleyError.isInstance(refusal) && refusal.code).toBe('validation_failed');
    expect((refusal as ParleyError).details).toEqual({
      issues: [
        {
          path: 'scenarios.0.turns.1.expect.cannedResponse',
          message: 'the agent has no canned response with this template: "See you!"',
        },
        {
          path: 'scenarios.0.turns.1.expect.tools.0.arguments.party',
          message: 'tool "check_tables" has no parameter "party" (its parameters: "partySize")',
        },
        {
          path: 'scenarios.0.turns.1.expect.journey.state',
          message:
            'journey "book_table" has no state "ask_day" (its states: "ask_size", "check", "confirm", "done")',
        },
        {
          path: 'scenarios.0.turns.1.expect.guidelines.0',
          message: 'unknown guideline key "greet"',
        },
      ],
    });
  });

  it('refuses misspelt fields and wrong types in expectations, and end states', () => {
    expect(
      issuesOf({
        name: 'Shapes',
        agent: bistro,
        scenarios: [
          {
            name: 'one',
            at: 'tomorrow',
            turns: [{ customer: 'hi', expect: { fallback: 'yes', replyInclude: ['hi'] } }],
          },
        ],
      }),
    ).toEqual([
      'scenarios.0.at: Invalid ISO datetime',
      'scenarios.0.turns.0.expect.fallback: Invalid input: expected boolean, received string',
      'scenarios.0.turns.0.expect: Unrecognized key: "replyInclude"',
    ]);
    expect(
      issuesOf({
        name: 'Ends',
        agent: bistro,
        scenarios: [
          {
            name: 'one',
            turns: [
              { customer: 'hi', expect: { journey: { journey: 'book_table', state: 'done' } } },
            ],
          },
          { name: 'one', turns: [{ customer: 'hi', expect: {} }] },
        ],
      }),
    ).toEqual([
      'scenarios.0.turns.0.expect.journey.state: "done" is an end state: a finished journey is no journey, so expect null',
      'scenarios.1.name: duplicate scenario name "one" (also scenarios.0)',
    ]);
  });

  it('takes an agent written as data, its tools given in code, and names its mistakes under agent', () => {
    const agent = {
      name: 'Data bistro',
      guidelines: [
        {
          key: 'free_tables',
          condition: 'the customer asks whether a table is free tonight',
          action: 'check the free tables',
          tools: ['check_tables'],
        },
      ],
    };
    const scenarios = [
      {
        name: 'tables',
        turns: [{ customer: 'free table?', expect: { tools: [{ name: 'check_tables' }] } }],
      },
    ];
    const parsed = parseEvaluationSuite(
      { name: 'Data', agent, scenarios },
      { tools: [checkTables] },
    );
    expect(parsed.agent.tools).toEqual([checkTables]);
    expect(parsed.agent.guidelines[0]?.tools).toEqual(['check_tables']);
    expect(() => parseEvaluationSuite({ name: 'Data', agent, scenarios })).toThrow(
      'Invalid evaluation suite: agent.guidelines.0.tools.0: unknown tool "check_tables": add it to the definition\'s tools',
    );
  });
});
