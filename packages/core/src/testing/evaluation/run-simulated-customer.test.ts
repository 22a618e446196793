import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteStore, type PgliteStore } from '../../pglite/create-pglite-store';
import type { ObjectGenerationRequest } from '../../ports/chat-model';
import { createScriptedChatModel } from '../create-scripted-chat-model';
import {
  type EvaluationSuite,
  parseEvaluationSuite,
  type SimulatedCustomerScenario,
} from './evaluation-scenario';
import { formatEvaluationReport } from './format-evaluation-report';
import { runEvaluation } from './run-evaluation';
import { bistro, bistroFallbackReply, bistroHours } from './test-support/bistro-agent';

const hours = bistroHours;
const fallbackReply = bistroFallbackReply;

const sundayVisit: SimulatedCustomerScenario = {
  name: 'sunday visit',
  simulatedCustomer: {
    goal: 'find out whether the bistro is open on Sunday',
    persona: 'terse',
    successCriteria: ['the agent told the opening days', 'the agent offered a discount'],
    maxTurns: 3,
  },
};

function suiteOf(...simulations: SimulatedCustomerScenario[]): EvaluationSuite {
  return { name: 'Simulated bistro', agent: bistro, scenarios: [], simulations };
}

const userPrompt = (request: ObjectGenerationRequest<never>) =>
  (request.messages.find((message) => message.role === 'user') as { content: string }).content;
const systemPrompt = (request: ObjectGenerationRequest<never>) =>
  (request.messages.find((message) => message.role === 'system') as { content: string }).content;

/** A customer who asks once, then is done once the agent has named the days. */
function customerWhoAsksOnce() {
  const model = createScriptedChatModel({ id: 'customer' });
  model.onObject('simulated_customer_message', (request) =>
    userPrompt(request as never).includes('Tuesday to Sunday')
      ? { message: '', done: true }
      : { message: 'when are you open?', done: false },
  );
  return model;
}

/** A judge that holds what the transcript shows: the hours, and no discount. */
function judgeOfTranscript() {
  const model = createScriptedChatModel({ id: 'judge' });
  model.onObject('evaluation_judgement', (request) => {
    const prompt = userPrompt(request as never);
    if (prompt.includes('Criterion: the agent offered a discount')) {
      return { passed: false, reason: 'No discount is mentioned.' };
    }
    return { passed: prompt.includes('Tuesday to Sunday'), reason: 'The days are named.' };
  });
  return model;
}

describe('simulated customers', () => {
  let store: PgliteStore;
  beforeAll(async () => {
    store = await createPgliteStore();
  });
  afterAll(() => store.close());

  it('plays the customer until done, then judges each success criterion on the transcript', async () => {
    const customerModel = customerWhoAsksOnce();
    const judgeModel = judgeOfTranscript();
    const report = await runEvaluation(suiteOf(sundayVisit), {
      store,
      customerModel,
      judgeModel,
      engine: { fallbackReply },
    });

    expect(report.simulations).toHaveLength(1);
    const [simulation] = report.simulations;
    expect(simulation).toMatchObject({
      scenario: 'sunday visit',
      goal: 'find out whether the bistro is open on Sunday',
      ended: 'done',
      run: 1,
      passed: false,
      transcript: [
        { speaker: 'customer', text: 'when are you open?' },
        { speaker: 'agent', text: hours },
      ],
      criteria: [
        {
          criterion: 'the agent told the opening days',
          passed: true,
          reason: 'The days are named.',
        },
        {
          criterion: 'the agent offered a discount',
          passed: false,
          reason: 'No discount is mentioned.',
        },
      ],
      failures: ['criterion: "the agent offered a discount" not met: No discount is mentioned.'],
    });
    expect(report).toMatchObject({
      totalTurns: 0,
      totalSimulations: 1,
      passedSimulations: 0,
      score: 0,
    });
    // Two moves: the question, then done; the prompt carries the goal and the persona.
    expect(customerModel.calls).toHaveLength(2);
    const first = customerModel.calls[0] as unknown as ObjectGenerationRequest<never>;
    expect(systemPrompt(first)).toContain(
      'Your goal: find out whether the bistro is open on Sunday',
    );
    expect(systemPrompt(first)).toContain('Who you are: terse');
    expect(userPrompt(first)).toContain('(no messages yet)');
    expect(judgeModel.calls.map((call) => call.schemaName)).toEqual([
      'evaluation_judgement',
      'evaluation_judgement',
    ]);

    const lines = formatEvaluationReport(report).split('\n');
    expect(lines[2]).toMatch(
      /^Simulated bistro\s+sunday visit\s+-\s+1\s+goal: "find out whether the bistro is open on …"\s+criterion: "the agent offered a discount" not met: No discount is mentioned\.$/,
    );
    expect(lines.at(-3)).toMatch(
      /^suite\s+passed\s+turns\s+simulations\s+score\s+runs\s+passed in all runs$/,
    );
    expect(lines.at(-1)).toMatch(/^Simulated bistro\s+0\s+0\s+0\/1\s+0\.0%\s+1\s+-$/);
  });

  it('stops after maxTurns messages when the customer is never done', async () => {
    const customerModel = createScriptedChatModel();
    customerModel.onObject('simulated_customer_message', () => ({
      message: 'what are your opening hours?',
      done: false,
    }));
    const report = await runEvaluation(
      suiteOf({
        name: 'insistent',
        simulatedCustomer: { goal: 'g', successCriteria: ['the days are named'], maxTurns: 2 },
      }),
      { store, customerModel, judgeModel: judgeOfTranscript(), engine: { fallbackReply } },
    );
    expect(report.simulations[0]).toMatchObject({ ended: 'max_turns', passed: true, failures: [] });
    expect(report.simulations[0]?.transcript.map((line) => line.speaker)).toEqual([
      'customer',
      'agent',
      'customer',
      'agent',
    ]);
    expect(customerModel.calls).toHaveLength(2);
  });

  it('fails the conversation, without judging it, when the customer model fails', async () => {
    const customerModel = createScriptedChatModel();
    customerModel.enqueueFailure(new Error('the customer model is down'));
    const judgeModel = judgeOfTranscript();
    const report = await runEvaluation(suiteOf(sundayVisit), {
      store,
      customerModel,
      judgeModel,
    });
    expect(report.simulations[0]).toMatchObject({
      ended: 'error',
      passed: false,
      criteria: [],
      failures: ['customer: the customer model failed (model_failed: the customer model is down)'],
    });
    expect(judgeModel.calls).toEqual([]);
  });

  it('measures pass^k over simulations too', async () => {
    let judged = 0;
    const judgeModel = createScriptedChatModel();
    // Passes every criterion of the first run only.
    judgeModel.onObject('evaluation_judgement', () => {
      judged += 1;
      return { passed: judged <= 1, reason: judged <= 1 ? 'yes' : 'no' };
    });
    const report = await runEvaluation(
      suiteOf({
        name: 'twice',
        simulatedCustomer: { goal: 'g', successCriteria: ['the days are named'], maxTurns: 3 },
      }),
      {
        store,
        repeat: 2,
        customerModel: customerWhoAsksOnce(),
        judgeModel,
        engine: { fallbackReply },
      },
    );
    expect(report.simulations.map((simulation) => [simulation.run, simulation.passed])).toEqual([
      [1, true],
      [2, false],
    ]);
    expect(report).toMatchObject({ runs: 2, score: 0.5, passAllRuns: 0 });
  });

  it('refuses a suite with simulations and no customer or judge model, before running', async () => {
    await expect(
      runEvaluation(suiteOf(sundayVisit), { store, judgeModel: judgeOfTranscript() }),
    ).rejects.toMatchObject({ code: 'validation_failed', reason: 'missing_customer_model' });
    await expect(
      runEvaluation(suiteOf(sundayVisit), { store, customerModel: customerWhoAsksOnce() }),
    ).rejects.toMatchObject({ code: 'validation_failed', reason: 'missing_judge_model' });
  });

  it('is checked by the schema: names unique across scenarios and simulations, something to run', () => {
    const turns = [{ customer: 'hi', expect: {} }];
    expect(() =>
      parseEvaluationSuite({
        name: 'S',
        agent: bistro,
        scenarios: [{ name: 'sunday visit', turns }],
        simulations: [
          sundayVisit,
          { ...sundayVisit, simulatedCustomer: { goal: 'g', maxTurns: 0 } },
        ],
      }),
    ).toThrow(
      'Invalid evaluation suite: simulations.1.simulatedCustomer.successCriteria: Invalid input: expected array, received undefined; simulations.1.simulatedCustomer.maxTurns: Too small: expected number to be >=1',
    );
    expect(() =>
      parseEvaluationSuite({
        name: 'S',
        agent: bistro,
        scenarios: [{ name: 'sunday visit', turns }],
        simulations: [sundayVisit],
      }),
    ).toThrow('simulations.0.name: duplicate scenario name "sunday visit" (also scenarios.0)');
    expect(() => parseEvaluationSuite({ name: 'S', agent: bistro, scenarios: [] })).toThrow(
      'scenarios: a suite needs at least one scenario or simulation',
    );
    expect(parseEvaluationSuite(suiteOf(sundayVisit)).simulations).toEqual([sundayVisit]);
  });
});
