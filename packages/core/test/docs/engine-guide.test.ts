import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type FakeOpenAIServer,
  type FakeResponse,
  startFakeOpenAIServer,
} from '../../src/testing/start-fake-openai-server';
import { type CodeBlock, extractCodeBlocks, typescriptLanguages } from './extract-code-blocks';

/**
 * docs/engine.md cannot rot: every `ts` block is written to a file of its own and
 * typechecked with the workspace's compiler settings, and every block that is a program is
 * run (imported here, so `@parley/core` resolves to its sources through the `@parley/source`
 * condition, as in every other test). No network and no API key: `OPENAI_API_KEY` is unset
 * and `OPENAI_BASE_URL` points at the fake OpenAI server, which a `model=<fixture>` block
 * finds scripted with the fixture's answers below; any other block must make no model call.
 * The directives are described in `extract-code-blocks.ts`.
 */

const repositoryRoot = path.resolve(import.meta.dirname, '../../../..');
const guidePath = 'docs/engine.md';
const guide = readFileSync(path.join(repositoryRoot, guidePath), 'utf8');
const blocks = extractCodeBlocks(guide).filter((block) => typescriptLanguages.has(block.language));
const runnable = blocks.filter((block) => block.mode === 'run');
const checked = blocks.filter((block) => block.mode !== 'skip');

const noJourney = { id: null, nextState: null };

/**
 * What the model answers, in order, for each `model=` block: the guideline judgement, tool
 * call proposals, journey branches (JSON), and replies (text). The block's own assertions say
 * what the engine made of them; the test also checks each fixture is used up exactly.
 */
const fixtures: Record<string, FakeResponse[]> = {
  'order-status': [
    {
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: noJourney,
        cannedResponse: null,
      },
    },
    {
      json: {
        calls: [
          {
            tool: 'lookup_order',
            call: true,
            arguments: '{"orderNumber":"A-17"}',
            missingArguments: [],
          },
        ],
      },
    },
    { text: 'Order A-17 has shipped.' },
  ],
  booking: [
    // "I would like to book a table": the journey starts.
    { json: { guidelines: [], journey: { id: 'j1', nextState: null }, cannedResponse: null } },
    { text: 'Happy to! Which day would you like to come?' },
    // "Saturday, please": on to the tool state, its argument, then the fork's way out.
    { json: { guidelines: [], journey: { id: 'j1', nextState: 'check' }, cannedResponse: null } },
    {
      json: {
        calls: [
          {
            tool: 'check_availability',
            call: true,
            arguments: '{"day":"saturday"}',
            missingArguments: [],
          },
        ],
      },
    },
    { json: { nextState: 'confirm' } },
    { text: 'Your table is booked for Saturday.' },
  ],
  composition: [
    // "When are you open?": the hours guideline applies and the first canned response fits.
    {
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: noJourney,
        cannedResponse: 'c1',
      },
    },
    // "Do you sell gift cards?": nothing applies, nothing fits; the model writes.
    { json: { guidelines: [], journey: noJourney, cannedResponse: null } },
    { text: 'We do not sell gift cards yet, sorry.' },
    // "I want a refund for my boots": the strict guideline applies, no canned response picked.
    {
      json: {
        guidelines: [{ id: 'g1', applies: true, alreadyApplied: false }],
        journey: noJourney,
        cannedResponse: null,
      },
    },
  ],
};

/** Where a block is, for messages: `docs/engine.md:42 (Journeys)`. */
const where = (block: CodeBlock) => `${guidePath}:${block.line} (${block.heading})`;
const fileNameOf = (block: CodeBlock) => `block-${String(block.line).padStart(4, '0')}.ts`;

// Inside the workspace, so imports resolve as they do for the package's own tests; in a
// gitignored `tmp-probe` folder, so a run that is killed leaves nothing for lint or git.
const workFolder = path.join(
  import.meta.dirname,
  'tmp-probe',
  `engine-guide-${globalThis.crypto.randomUUID().slice(0, 8)}`,
);

/** Rewrites `block-0042.ts:7:3` in compiler output and stacks to the guide's own lines. */
function toGuideLines(text: string): string {
  return text.replace(
    /(?:[^\s(]*[\\/])?block-(\d{4})\.ts(?::(\d+)(?::(\d+))?|\((\d+),(\d+)\))/g,
    (
      _match,
      first: string,
      line?: string,
      column?: string,
      tscLine?: string,
      tscColumn?: string,
    ) => {
      const start = Number(first);
      const offset = Number(line ?? tscLine ?? 1) - 1;
      return `${guidePath}:${start + offset}:${column ?? tscColumn ?? 1}`;
    },
  );
}

let typecheck: Promise<{ failed: boolean; output: string }>;

beforeAll(async () => {
  mkdirSync(workFolder, { recursive: true });
  for (const block of checked) writeFileSync(path.join(workFolder, fileNameOf(block)), block.code);
  writeFileSync(
    path.join(workFolder, 'tsconfig.json'),
    JSON.stringify({
      extends: path.relative(workFolder, path.join(repositoryRoot, 'tsconfig.base.json')),
      include: ['*.ts'],
    }),
  );
  // Started now, awaited by its test: the compiler works while the examples run.
  typecheck = new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        path.join(repositoryRoot, 'node_modules/typescript/bin/tsc'),
        '-p',
        workFolder,
        '--pretty',
        'false',
      ],
      { cwd: repositoryRoot, timeout: 230_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ failed: error !== null, output: `${stdout}${stderr}` }),
    );
  });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  // The compiler reads the files: let it finish before they go.
  await typecheck?.catch(() => undefined);
  rmSync(workFolder, { recursive: true, force: true });
  // The shared parent goes too once empty (another run may still be using it).
  try {
    rmdirSync(path.dirname(workFolder));
  } catch {}
});

describe(`the code of ${guidePath}`, () => {
  it('has runnable examples, and a fixture for each one that uses the model', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(10);
    const wanted = new Set(runnable.flatMap((block) => (block.model ? [block.model] : [])));
    expect([...wanted].sort()).toEqual(Object.keys(fixtures).sort());
    for (const block of blocks) {
      if (block.mode === 'skip') expect(block.reason, where(block)).toBeTruthy();
    }
  });

  for (const block of runnable) {
    it(`runs ${where(block)}${block.model ? ` with the fake model (${block.model})` : ''}`, async () => {
      // A server of its own, so answers a failed block left unread cannot reach the next.
      const server: FakeOpenAIServer = await startFakeOpenAIServer();
      try {
        vi.stubEnv('OPENAI_API_KEY', undefined);
        vi.stubEnv('OPENAI_BASE_URL', server.baseURL);
        const script = block.model ? (fixtures[block.model] as FakeResponse[]) : [];
        for (const response of script) server.enqueue(response);
        try {
          await import(pathToFileURL(path.join(workFolder, fileNameOf(block))).href);
        } catch (error) {
          const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
          throw new Error(`${where(block)} failed:\n${toGuideLines(detail)}`, { cause: error });
        }
        // Exactly the scripted answers were asked for: a block that calls the model more or
        // less than its fixture says (or at all, without one) is out of step with the guide.
        expect(server.requests.length, `model calls of ${where(block)}`).toBe(script.length);
      } finally {
        vi.unstubAllEnvs();
        await server.close();
      }
    }, 120_000);
  }

  it(`typechecks every block that is not skipped (${checked.length})`, async () => {
    const { failed, output } = await typecheck;
    expect(toGuideLines(output).trim(), 'tsc output').toBe('');
    expect(failed).toBe(false);
  }, 240_000);
});
