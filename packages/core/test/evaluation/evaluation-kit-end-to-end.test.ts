import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvaluateCommand } from '../../src/cli/run-evaluate-command';
import { createOpenAIChatModel } from '../../src/openai/create-openai-chat-model';
import {
  type Cassette,
  createCassetteFetch,
  type FetchFunction,
} from '../../src/testing/evaluation/create-cassette-fetch';
import { parseEvaluationSuite } from '../../src/testing/evaluation/evaluation-scenario';
import { type EvaluationReport, runEvaluation } from '../../src/testing/evaluation/run-evaluation';
import {
  type FakeOpenAIServer,
  type FakeResponse,
  type RecordedRequest,
  startFakeOpenAIServer,
} from '../../src/testing/start-fake-openai-server';

// The whole kit over real HTTP: the engine, the judge and the simulated customer are each the
// real OpenAI adapter talking to the fake OpenAI server; the calls are recorded to a cassette,
// then replayed with the server stopped, by runEvaluation and by the parley-evaluate command.

const apiKey = 'sk-end-to-end-secret-key';
const fallbackReply = 'Sorry, I can only help with opening hours.';
const weekReply = 'We are open from noon to 10 pm, Tuesday to Sunday.';
const sundayReply = 'Yes, on Sunday we are open from noon to 10 pm.';

/** The suite as JSON holds it: the agent as data, for runEvaluation and the command alike. */
const suiteData = {
  name: 'Bistro end to end',
  agent: {
    name: 'Bistro',
    compositionMode: 'fluid',
    guidelines: [
      {
        key: 'opening_hours',
        condition: 'the customer asks when the bistro is open',
        action: 'tell the opening hours',
        examples: ['when are you open?', 'are you open on sunday?'],
      },
    ],
  },
  scenarios: [
    {
      name: 'hours',
      turns: [
        {
          customer: 'when are you open?',
          expect: {
            guidelines: ['opening_hours'],
            replyIncludes: ['noon'],
            judge: { criteria: 'names the days it is open' },
          },
        },
        {
          customer: 'when are you open, and do you give discounts?',
          expect: { judge: { criteria: 'offers a discount' } },
        },
      ],
    },
  ],
  simulations: [
    {
      name: 'sunday visit',
      simulatedCustomer: {
        goal: 'find out whether the bistro is open on Sunday',
        successCriteria: ['the agent says it is open on Sunday', 'the agent offers a discount'],
        maxTurns: 3,
      },
    },
  ],
};

type Body = {
  stream?: boolean;
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { json_schema?: { name?: string } };
};

const contentOf = (body: Body, role: string) =>
  body.messages
    .filter((message) => message.role === role)
    .map((message) => message.content)
    .join('\n');

/** The fake's answers, by what each request is for: the three callers share the server. */
function respond(request: RecordedRequest): FakeResponse | undefined {
  const body = request.body as Body;
  const schema = body.response_format?.json_schema?.name;
  if (schema === 'guideline_judgement') {
    const ids = [...contentOf(body, 'system').matchAll(/^- (g\d+): WHEN /gm)].map((m) => m[1]);
    return {
      json: {
        guidelines: ids.map((id) => ({ id, applies: true, alreadyApplied: false })),
        journey: { id: null, nextState: null },
        cannedResponse: null,
      },
    };
  }
  if (schema === 'evaluation_judgement') {
    const prompt = contentOf(body, 'user');
    const criterion = /^Criterion: (.*)$/m.exec(prompt)?.[1] ?? '';
    if (criterion.includes('discount')) {
      return { json: { passed: false, reason: 'No discount is offered anywhere.' } };
    }
    const holds = criterion.includes('Sunday')
      ? prompt.includes('on Sunday we are open')
      : prompt.includes('Tuesday to Sunday');
    return { json: { passed: holds, reason: holds ? 'The agent says so.' : 'It does not.' } };
  }
  if (schema === 'simulated_customer_message') {
    return contentOf(body, 'user').includes('Agent:')
      ? { json: { message: '', done: true } }
      : { json: { message: 'Are you open on Sunday?', done: false } };
  }
  if (body.stream) {
    // The engine's reply, streamed over SSE.
    const lastCustomer = body.messages.map((message) => message.content).join('\n');
    return { text: /Sunday\?\s*$/m.test(lastCustomer) ? sundayReply : weekReply };
  }
  return undefined;
}

function modelsOn(baseURL: string, fetch: FetchFunction) {
  const model = (name: string) =>
    createOpenAIChatModel({ model: name, baseURL, apiKey, fetch, maxRetries: 0 });
  return {
    model: model('gpt-engine'),
    judgeModel: model('gpt-judge'),
    customerModel: model('gpt-customer'),
  };
}

/** A report without what differs between any two runs: session ids. */
function comparable(report: EvaluationReport) {
  return {
    ...report,
    turns: report.turns.map(({ sessionId: _session, ...turn }) => turn),
    simulations: report.simulations.map(({ sessionId: _session, ...simulation }) => simulation),
  };
}

describe('the evaluation kit, end to end through the fake OpenAI server', () => {
  let server: FakeOpenAIServer;
  let directory: string;
  let cassettePath: string;
  let baseURL: string;
  let recorded: EvaluationReport;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'parley-evaluation-kit-'));
    cassettePath = path.join(directory, 'cassettes', 'bistro.json');
    server = await startFakeOpenAIServer({ apiKey, respond });
    baseURL = server.baseURL;
    const cassette = createCassetteFetch({ path: cassettePath, mode: 'record' });
    recorded = await runEvaluation(parseEvaluationSuite(suiteData), {
      ...modelsOn(baseURL, cassette),
      engine: { fallbackReply },
    });
    await server.close();
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('runs the suite with the real adapter: model replies, a judged reply, a simulated customer', () => {
    expect(recorded.turns.map((turn) => [turn.reply, turn.passed, turn.failures])).toEqual([
      [weekReply, true, []],
      [weekReply, false, ['judge: "offers a discount" not met: No discount is offered anywhere.']],
    ]);
    expect(recorded.turns[0]?.judgement).toEqual({ passed: true, reason: 'The agent says so.' });
    expect(recorded.simulations).toHaveLength(1);
    expect(recorded.simulations[0]).toMatchObject({
      ended: 'done',
      transcript: [
        { speaker: 'customer', text: 'Are you open on Sunday?' },
        { speaker: 'agent', text: sundayReply },
      ],
      criteria: [
        { criterion: 'the agent says it is open on Sunday', passed: true },
        { criterion: 'the agent offers a discount', passed: false },
      ],
      failures: [
        'criterion: "the agent offers a discount" not met: No discount is offered anywhere.',
      ],
    });
    expect(recorded).toMatchObject({
      passedTurns: 1,
      totalTurns: 2,
      passedSimulations: 0,
      score: 1 / 3,
    });

    // Every call went over HTTP, the engine's reply streamed.
    const bodies = server.requests.map((request) => request.body as Body);
    expect(new Set(bodies.map((body) => body.model))).toEqual(
      new Set(['gpt-engine', 'gpt-judge', 'gpt-customer']),
    );
    expect(bodies.filter((body) => body.stream)).toHaveLength(3);
  });

  it('wrote every call to the cassette, streams as event streams, and no key', async () => {
    const text = await readFile(cassettePath, 'utf8');
    expect(text).not.toContain(apiKey);
    expect(text.toLowerCase()).not.toContain('bearer');
    const cassette = JSON.parse(text) as Cassette;
    expect(cassette.exchanges).toHaveLength(server.requests.length);
    const streamed = cassette.exchanges.filter(
      (exchange) => exchange.response.headers['content-type'] === 'text/event-stream',
    );
    expect(streamed).toHaveLength(3);
    expect(streamed[0]?.response.body).toMatch(/^data: .*\n\n[\s\S]*data: \[DONE\]\n\n$/);
  });

  it('replays the cassette with the server stopped, to the same results', async () => {
    const cassette = createCassetteFetch({ path: cassettePath, mode: 'replay' });
    const replayed = await runEvaluation(parseEvaluationSuite(suiteData), {
      ...modelsOn(baseURL, cassette),
      engine: { fallbackReply },
    });
    expect(cassette.misses).toEqual([]);
    expect(comparable(replayed)).toEqual(comparable(recorded));
  });

  it('fails a replay whose calls were never recorded, naming the call', async () => {
    const cassette = createCassetteFetch({ path: cassettePath, mode: 'replay' });
    const changed = structuredClone(suiteData);
    changed.scenarios[0]!.turns[0]!.customer = 'what time do you open?';
    changed.simulations = [];
    const report = await runEvaluation(parseEvaluationSuite(changed), {
      ...modelsOn(baseURL, cassette),
      engine: { fallbackReply },
    });
    expect(report.turns[0]?.passed).toBe(false);
    expect(report.turns[0]?.failures[0]).toMatch(
      /the turn ended in error \(model_failed: Model 127\.0\.0\.1:\d+:gpt-engine rejected the request: 404 Cassette .*bistro\.json has no recording of POST \/v1\/chat\/completions \(model "gpt-engine", schema "guideline_judgement"/,
    );
    expect(cassette.misses[0]).toMatch(/^POST \/v1\/chat\/completions \(model "gpt-engine"/);
  });

  it('replays through the parley-evaluate command, offline and without a key, writing JUnit XML', async () => {
    const suiteFile = path.join(directory, 'bistro.eval.json');
    await writeFile(suiteFile, JSON.stringify(suiteData, null, 2));
    const output = { stdout: [] as string[], stderr: [] as string[] };
    const code = await runEvaluateCommand(
      [
        'bistro.eval.json',
        '--mode',
        'openai',
        '--model',
        'gpt-engine',
        '--judge-model',
        'gpt-judge',
        '--customer-model',
        'gpt-customer',
        '--base-url',
        baseURL,
        '--cassette',
        cassettePath,
        '--replay',
        '--fallback-reply',
        fallbackReply,
        '--junit',
        'results/bistro.xml',
      ],
      {
        cwd: directory,
        env: {},
        stdout: (line) => output.stdout.push(line),
        stderr: (line) => output.stderr.push(line),
      },
    );
    expect(output.stderr).toEqual([]);
    expect(code).toBe(1);
    const lines = (output.stdout[0] ?? '').split('\n');
    expect(lines[2]).toMatch(
      /^Bistro end to end\s+hours\s+2\s+1\s+"when are you open, and do you give disc…"\s+judge: "offers a discount" not met: No discount is offered anywhere\.$/,
    );
    expect(lines[3]).toMatch(
      /^Bistro end to end\s+sunday visit\s+-\s+1\s+goal: .*criterion: "the agent offers a discount" not met: No discount is offered anywhere\.$/,
    );
    expect(lines.at(-1)).toMatch(/^Bistro end to end\s+1\s+2\s+0\/1\s+33\.3%\s+1\s+-$/);

    const xml = await readFile(path.join(directory, 'results/bistro.xml'), 'utf8');
    expect(xml).toContain('<testsuites name="parley-evaluate" tests="3" failures="2" errors="0">');
    expect(xml).toContain(
      '<testsuite name="Bistro end to end" tests="3" failures="2" errors="0" skipped="0">',
    );
    expect(xml).toContain('<testcase classname="Bistro end to end" name="hours › turn 1" />');
    expect(xml).toContain(
      '<failure message="judge: &quot;offers a discount&quot; not met: No discount is offered anywhere." type="evaluation">Customer: when are you open, and do you give discounts?',
    );
    expect(xml).toContain(
      '<testcase classname="Bistro end to end" name="sunday visit › simulated customer">',
    );
    expect(xml).toContain(`Customer: Are you open on Sunday?\nAgent: ${sundayReply}`);
  });
});
