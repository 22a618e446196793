import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvaluateCommand } from './run-evaluate-command';

const hours = 'We are open from noon to 10 pm, Tuesday to Sunday.';

/** An agent written as data, as a JSON suite holds it. */
const agent = {
  name: 'Bistro',
  compositionMode: 'canned_strict',
  guidelines: [
    {
      key: 'opening_hours',
      condition: 'the customer asks when the bistro is open',
      action: 'tell the opening hours',
      examples: ['when are you open?', 'what are your opening hours?'],
    },
  ],
  cannedResponses: [{ template: hours }],
};

function suiteJson(expectations: Array<Record<string, unknown>>, name = 'Bistro <JSON>') {
  return JSON.stringify({
    name,
    agent,
    scenarios: [
      {
        name: 'hours',
        turns: expectations.map((expect) => ({ customer: 'when are you open?', expect })),
      },
    ],
  });
}

function captureIo(cwd: string) {
  const output = { stdout: [] as string[], stderr: [] as string[] };
  return {
    output,
    io: {
      cwd,
      env: {},
      stdout: (line: string) => output.stdout.push(line),
      stderr: (line: string) => output.stderr.push(line),
    },
  };
}

describe('the parley-evaluate command', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'parley-evaluate-'));
    await writeFile(path.join(directory, 'passing.json'), suiteJson([{ cannedResponse: hours }]));
    await writeFile(
      path.join(directory, 'failing.json'),
      suiteJson([{ cannedResponse: hours }, { replyIncludes: ['midnight'] }], 'Failing'),
    );
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('runs a passing JSON suite in the no-model mode: the table, the JUnit file, exit 0', async () => {
    const { io, output } = captureIo(directory);
    const code = await runEvaluateCommand(['passing.json', '--junit', 'out/results.xml'], io);
    expect(output.stderr).toEqual([]);
    expect(code).toBe(0);
    const table = output.stdout[0] ?? '';
    expect(table.split('\n')[0]).toBe('No failed turns.');
    expect(table.split('\n').at(-1)).toMatch(/^Bistro <JSON>\s+1\s+1\s+100\.0%\s+1\s+-$/);
    expect(output.stdout[1]).toBe('Wrote out/results.xml');
    const xml = await readFile(path.join(directory, 'out/results.xml'), 'utf8');
    expect(xml).toContain(
      '<testsuite name="Bistro &lt;JSON&gt;" tests="1" failures="0" errors="0" skipped="0">',
    );
    expect(xml).toContain('<testcase classname="Bistro &lt;JSON&gt;" name="hours › turn 1" />');
  });

  it('matches on meaning as well as words with --semantic', async () => {
    const paraphrase = JSON.stringify({
      name: 'Paraphrase',
      agent,
      scenarios: [
        {
          name: 'hours in other words',
          turns: [
            { customer: 'at what time do your doors unlock?', expect: { cannedResponse: hours } },
          ],
        },
      ],
    });
    await writeFile(path.join(directory, 'paraphrase.json'), paraphrase);
    const words = captureIo(directory);
    expect(await runEvaluateCommand(['paraphrase.json'], words.io)).toBe(1);
    const meaning = captureIo(directory);
    expect(await runEvaluateCommand(['paraphrase.json', '--semantic'], meaning.io)).toBe(0);
    expect(meaning.output.stdout[0]?.split('\n')[0]).toBe('No failed turns.');
  });

  it('exits 1 when a turn fails, with the failure in the table and in the JUnit file', async () => {
    const { io, output } = captureIo(directory);
    const code = await runEvaluateCommand(
      ['passing.json', 'failing.json', '--repeat', '2', '--junit', 'failing.xml'],
      io,
    );
    expect(code).toBe(1);
    const lines = (output.stdout[0] ?? '').split('\n');
    expect(lines[2]).toMatch(
      /^Failing\s+hours\s+2\s+1\s+"when are you open\?"\s+reply: expected it to include "midnight"/,
    );
    expect(lines.at(-1)).toMatch(/^Failing\s+2\s+4\s+50\.0%\s+2\s+50\.0%$/);
    const xml = await readFile(path.join(directory, 'failing.xml'), 'utf8');
    expect(xml).toContain('<testsuites name="parley-evaluate" tests="6" failures="2" errors="0">');
    expect(xml).toContain('name="hours › turn 2 (run 2)">');
    expect(xml).toContain(
      `<failure message="reply: expected it to include &quot;midnight&quot;, got &quot;${hours}&quot;" type="evaluation">`,
    );
  });

  it('exits 2 with a readable message on usage mistakes', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /give at least one suite file/],
      [['passing.json', '--mode', 'gpt'], /--mode takes no-model, scripted, openai; got "gpt"/],
      [['passing.json', '--repeat', '0'], /--repeat takes a positive integer; got "0"/],
      [['passing.json', '--record'], /--record and --replay need --cassette <file>/],
      [['passing.json', '--cassette', 'c.json', '--record', '--replay'], /not both/],
      [['passing.json', '--cassette', 'c.json'], /--cassette records OpenAI-compatible calls/],
      [['passing.json', '--colour'], /Unknown option '--colour'/],
      [['missing.json'], /cannot read the suite file missing\.json/],
      [['passing.json', '--mode', 'openai'], /--mode openai needs a model name/],
      [
        ['passing.json', '--mode', 'scripted'],
        /--mode scripted takes the engine's model from the suite module's `options.model`/,
      ],
    ];
    for (const [args, message] of cases) {
      const { io, output } = captureIo(directory);
      expect(await runEvaluateCommand(args, io), args.join(' ')).toBe(2);
      expect(output.stderr.join('\n'), args.join(' ')).toMatch(message);
    }
    // Usage mistakes show the usage; the others do not need it.
    const { io, output } = captureIo(directory);
    await runEvaluateCommand([], io);
    expect(output.stderr[0]).toContain('Usage: parley-evaluate <suite file>...');
  });

  it('exits 2 naming the file and the path of a suite mistake, and a judge expectation with no judge', async () => {
    await writeFile(
      path.join(directory, 'typo.json'),
      suiteJson([{ guidelines: ['opening_hour'] }]),
    );
    await writeFile(
      path.join(directory, 'judged.json'),
      suiteJson([{ judge: { criteria: 'says the days' } }]),
    );
    await writeFile(path.join(directory, 'broken.json'), '{ "name": ');
    const run = async (file: string) => {
      const { io, output } = captureIo(directory);
      return { code: await runEvaluateCommand([file], io), stderr: output.stderr.join('\n') };
    };
    expect(await run('typo.json')).toEqual({
      code: 2,
      stderr:
        'parley-evaluate: typo.json: Invalid evaluation suite: scenarios.0.turns.0.expect.guidelines.0: unknown guideline key "opening_hour"',
    });
    const judged = await run('judged.json');
    expect(judged.code).toBe(2);
    expect(judged.stderr).toMatch(
      /^parley-evaluate: The suite has `judge` expectations \(scenario "hours"\), but runEvaluation was given no `judgeModel`/,
    );
    expect(await run('broken.json')).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^parley-evaluate: broken\.json: not JSON/),
    });
  });

  it('runs a TypeScript suite module in the scripted mode, with its model and judge', async () => {
    const source = (name: string) =>
      JSON.stringify(path.resolve(import.meta.dirname, '..', 'testing', name));
    await writeFile(
      path.join(directory, 'scripted.suite.ts'),
      `import { createScriptedChatModel } from ${source('create-scripted-chat-model.ts')};
import { defineAgent } from ${JSON.stringify(path.resolve(import.meta.dirname, '..', 'definition', 'define-agent.ts'))};

const model = createScriptedChatModel();
model.onObject('guideline_judgement', () => ({
  guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
  journey: { id: null, nextState: null },
  cannedResponse: null,
}));
model.onText('reply', () => 'We open at noon, every day but Monday.');
const judgeModel = createScriptedChatModel();
judgeModel.onObject('evaluation_judgement', () => ({ passed: false, reason: 'Monday is not named as closed.' }));

export const suite = {
  name: 'Scripted',
  agent: defineAgent({ ...${JSON.stringify(agent)}, compositionMode: 'fluid' }),
  scenarios: [{ name: 'hours', turns: [
    { customer: 'when are you open?', expect: { guidelines: ['opening_hours'], replyIncludes: ['noon'] } },
    { customer: 'and on mondays?', expect: { judge: { criteria: 'says it is closed on Monday' } } },
  ] }],
};
export const options = { model, judgeModel };
`,
    );
    const { io, output } = captureIo(directory);
    const code = await runEvaluateCommand(['scripted.suite.ts', '--mode', 'scripted'], io);
    expect(output.stderr).toEqual([]);
    expect(code).toBe(1);
    const lines = (output.stdout[0] ?? '').split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[2]).toMatch(
      /^Scripted\s+hours\s+2\s+1\s+"and on mondays\?"\s+judge: "says it is closed on Monday" not met: Monday is not named as closed\.$/,
    );
    expect(lines.at(-1)).toMatch(/^Scripted\s+1\s+2\s+50\.0%\s+1\s+-$/);
  });
});
