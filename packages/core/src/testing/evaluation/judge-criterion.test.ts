import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteStore, type PgliteStore } from '../../pglite/create-pglite-store';
import type { ObjectGenerationRequest } from '../../ports/chat-model';
import { createScriptedChatModel } from '../create-scripted-chat-model';
import { type EvaluationSuite, parseEvaluationSuite } from './evaluation-scenario';
import { formatEvaluationReport } from './format-evaluation-report';
import { judgeCriterion } from './judge-criterion';
import { runEvaluation } from './run-evaluation';
import { bistro, bistroFallbackReply, bistroHours } from './test-support/bistro-agent';

const hours = bistroHours;
const fallbackReply = bistroFallbackReply;

const suite: EvaluationSuite = {
  name: 'Judged bistro',
  agent: bistro,
  scenarios: [
    {
      name: 'hours',
      turns: [
        {
          customer: 'when are you open?',
          expect: { cannedResponse: hours, judge: { criteria: 'says on which days it is open' } },
        },
        {
          customer: 'tell me a joke about penguins',
          expect: { judge: { criteria: 'tells a joke about penguins' } },
        },
      ],
    },
  ],
};

/** The user message of a judge call: the transcript and the criterion. */
function promptOf(request: ObjectGenerationRequest<never> | { messages: unknown[] }): string {
  const user = (request.messages as Array<{ role: string; content: string }>).find(
    (message) => message.role === 'user',
  );
  return user?.content ?? '';
}

describe('the judge expectation', () => {
  let store: PgliteStore;
  beforeAll(async () => {
    store = await createPgliteStore();
  });
  afterAll(() => store.close());

  it('asks the judge model about each reply in the light of the conversation, and shows a failing reason', async () => {
    const judgeModel = createScriptedChatModel({ id: 'judge' });
    judgeModel.onObject('evaluation_judgement', (request) => {
      const prompt = promptOf(request);
      return prompt.includes('Criterion: says on which days')
        ? { passed: true, reason: 'It names Tuesday to Sunday.' }
        : { passed: false, reason: 'The agent declined instead of telling a joke.' };
    });
    const report = await runEvaluation(suite, { store, judgeModel, engine: { fallbackReply } });

    expect(report.turns.map((turn) => [turn.passed, turn.failures])).toEqual([
      [true, []],
      [
        false,
        [
          'judge: "tells a joke about penguins" not met: The agent declined instead of telling a joke.',
        ],
      ],
    ]);
    expect(report.turns[0]?.judgement).toEqual({
      passed: true,
      reason: 'It names Tuesday to Sunday.',
    });
    // The second judgement saw the whole conversation, its reply last.
    const second = judgeModel.calls[1];
    expect(second).toMatchObject({ kind: 'object', schemaName: 'evaluation_judgement' });
    expect(promptOf(second as never)).toBe(
      [
        'Transcript:',
        'Customer: when are you open?',
        `Agent: ${hours}`,
        'Customer: tell me a joke about penguins',
        `Agent: ${fallbackReply}`,
        '',
        'Criterion: tells a joke about penguins',
        '',
        "Does the agent's last reply meet the criterion, given the conversation before it?",
      ].join('\n'),
    );
    expect(formatEvaluationReport(report)).toContain(
      'judge: "tells a joke about penguins" not met: The agent declined instead of telling a joke.',
    );
  });

  it('refuses a suite with a judge expectation when no judge model is given, before running', async () => {
    await expect(runEvaluation(suite, { store })).rejects.toMatchObject({
      name: 'ParleyError',
      code: 'validation_failed',
      reason: 'missing_judge_model',
      message: expect.stringMatching(
        /^The suite has `judge` expectations \(scenario "hours"\), but runEvaluation was given no `judgeModel`/,
      ),
    });
  });

  it('fails the turn, not the run, when the judge model fails', async () => {
    const judgeModel = createScriptedChatModel();
    judgeModel.enqueueFailure(new Error('the judge is down'));
    judgeModel.enqueueObject({ passed: true, reason: 'fine' });
    const report = await runEvaluation(suite, { store, judgeModel, engine: { fallbackReply } });
    expect(report.turns[0]?.failures).toEqual([
      'judge: "says on which days it is open" could not be judged: the judge model failed (model_failed: the judge is down)',
    ]);
    expect(report.turns[1]?.passed).toBe(true);
  });

  it('is checked by the schema: criteria must be text, no other field', () => {
    const scenarios = (expect: unknown) => [{ name: 'one', turns: [{ customer: 'hi', expect }] }];
    expect(() =>
      parseEvaluationSuite({ name: 'S', agent: bistro, scenarios: scenarios({ judge: {} }) }),
    ).toThrow('scenarios.0.turns.0.expect.judge.criteria: Invalid input: expected string');
    expect(() =>
      parseEvaluationSuite({
        name: 'S',
        agent: bistro,
        scenarios: scenarios({ judge: { criteria: 'polite', score: 3 } }),
      }),
    ).toThrow('scenarios.0.turns.0.expect.judge: Unrecognized key: "score"');
  });
});

describe('judgeCriterion', () => {
  it('asks about the whole conversation, at temperature 0, and trims the reason', async () => {
    const model = createScriptedChatModel();
    model.enqueueObject({ passed: false, reason: '  Nobody booked anything. ' });
    const judgement = await judgeCriterion(model, {
      transcript: [],
      criterion: 'a table was booked',
      subject: 'conversation',
    });
    expect(judgement).toEqual({ passed: false, reason: 'Nobody booked anything.' });
    expect(promptOf(model.calls[0] as never)).toContain('Transcript:\n(no messages yet)');
    expect(promptOf(model.calls[0] as never)).toContain(
      'Does the conversation as a whole meet the criterion?',
    );
  });

  it('rejects with malformed_output when the judge answers without a verdict', async () => {
    const model = createScriptedChatModel();
    model.enqueueObject({ reason: 'no verdict' });
    await expect(
      judgeCriterion(model, { transcript: [], criterion: 'x', subject: 'reply' }),
    ).rejects.toMatchObject({ code: 'model_failed', reason: 'malformed_output' });
  });
});
