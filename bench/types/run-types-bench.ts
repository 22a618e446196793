/**
 * @module bench/types — what a host's agent file costs the type checker (`pnpm bench:types`):
 * a generated file with 30 `tool({ parameters: z.object(…) })` and one `defineAgent(…)`,
 * checked by `tsc --noEmit --extendedDiagnostics` on the lowest zod of `@parley/core`'s peer
 * range (4.3.6, as `zod-lowest`) and on the latest (the workspace's `zod`), each time with one
 * zod for the whole program. Per zod, three programs:
 *
 * - the agent file against `@parley/core`'s declarations (emitted once from its sources with
 *   the workspace's zod, as the published package is built): what a host's `tsc` checks;
 * - the agent file with `@parley/core`'s sources (resolved through the `@parley/source`
 *   export condition, as the workspace resolves them): the whole program;
 * - `@parley/core`'s sources with a one-line file, so the agent file's share shows.
 *
 * Targets: ≤ 10 s and ≤ 1 GB for the agent file on both. `--two-copies` adds the case a host
 * hit before zod was a peer dependency (its own zod 4.3.6 in the agent file, `@parley/core`
 * on the workspace's zod). `--runs=N` checks each program N times and keeps its fastest run
 * (the machine is shared); `--keep` keeps the generated folder. Prints a table and writes
 * `bench/results/types.json`; fails when tsc reports a type error, so a broken API cannot
 * pass as fast.
 */
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { writeBenchResults } from '../shared/write-bench-results';
import { generateAgentFile, generatedToolCount } from './generate-agent-file';
import { runTsc, type TscRun } from './run-tsc';

const timeoutMs = 120_000;
const targets = { wallSeconds: 10, peakRssMiB: 1024 } as const;
const repositoryRoot = path.resolve(import.meta.dirname, '..', '..');
const coreFolder = path.join(repositoryRoot, 'packages', 'core');
const twoCopies = process.argv.includes('--two-copies');
const keepFolder = process.argv.includes('--keep');
/** `--runs=N`: check each program N times, interleaved, and report its fastest run (wall time). */
const runs = Math.max(
  1,
  Number(process.argv.find((argument) => argument.startsWith('--runs='))?.slice(7) ?? 1) || 1,
);

/** A copy of zod the bench can point the program at. */
interface ZodCopy {
  version: string;
  folder: string;
}

async function zodCopy(packageName: string): Promise<ZodCopy> {
  const require = createRequire(path.join(repositoryRoot, 'bench', 'package.json'));
  const manifest = require.resolve(`${packageName}/package.json`);
  const { version } = require(manifest) as { version: string };
  return { version, folder: await realpath(path.dirname(manifest)) };
}

/** How `@parley/core` reaches the program. */
type CoreForm = 'declarations' | 'sources';

interface Scenario {
  name: string;
  file: 'agent.ts' | 'core-only.ts';
  core: CoreForm;
  /** The zod every file of the program sees; null: each resolves its own (two copies). */
  zod: ZodCopy | null;
  zodLabel: string;
  /**
   * `agent`: the targets apply; `baseline`: for comparison; both must type-check. `two-copies`
   * is recorded whatever tsc says.
   */
  kind: 'agent' | 'baseline' | 'two-copies';
}

interface ScenarioResult extends Omit<Scenario, 'zod'> {
  /** The fastest of its runs (by wall time), which the table shows. */
  run: TscRun;
  /** Every run, in order. */
  runs: TscRun[];
  met: boolean | null;
}

const lowest = await zodCopy('zod-lowest');
const latest = await zodCopy('zod');
const folder = await mkdtemp(path.join(os.tmpdir(), 'parley-bench-types-'));
const declarationsFolder = path.join(folder, 'core-declarations');

/**
 * The generated folder's `node_modules`, as a host's would be: `@parley/core` (the workspace
 * package, so its `exports` apply), the dependencies its declarations import, and the host's
 * own zod (the lowest), which only the two-copies scenario lets the agent file resolve.
 */
async function linkModules(): Promise<void> {
  const modules = path.join(folder, 'node_modules');
  await mkdir(path.join(modules, '@parley'), { recursive: true });
  await symlink(coreFolder, path.join(modules, '@parley', 'core'), 'dir');
  for (const name of ['drizzle-orm', 'jose']) {
    const target = await realpath(path.join(coreFolder, 'node_modules', name));
    await symlink(target, path.join(modules, name), 'dir');
  }
  await symlink(lowest.folder, path.join(modules, 'zod'), 'dir');
}

/** A tsconfig on the repository's base options (strict, `@parley/source` condition). */
async function writeTsconfig(name: string, config: Record<string, unknown>): Promise<string> {
  const file = path.join(folder, name);
  const { compilerOptions, ...rest } = config as { compilerOptions?: object };
  await writeFile(
    file,
    `${JSON.stringify(
      {
        extends: path.join(repositoryRoot, 'tsconfig.base.json'),
        ...rest,
        compilerOptions: {
          typeRoots: [path.join(repositoryRoot, 'node_modules', '@types')],
          ...compilerOptions,
        },
      },
      null,
      2,
    )}\n`,
  );
  return file;
}

/** Maps `zod` and `zod/*` for every file of the program, `@parley/core`'s included. */
function zodPaths(zod: ZodCopy | null): Record<string, string[]> {
  if (zod === null) return {};
  return { zod: [zod.folder], 'zod/*': [path.join(zod.folder, '*')] };
}

function scenarioTsconfig(scenario: Scenario): Promise<string> {
  const paths: Record<string, string[]> = zodPaths(scenario.zod);
  // Stands in for the published `dist/index.d.ts`.
  if (scenario.core === 'declarations')
    paths['@parley/core'] = [path.join(declarationsFolder, 'index.d.ts')];
  const slug = scenario.name.replaceAll(/[^a-z0-9]+/gi, '-').toLowerCase();
  return writeTsconfig(`tsconfig.${slug}.json`, {
    files: [scenario.file],
    compilerOptions: { paths, skipLibCheck: true },
  });
}

function failIfErrors(what: string, run: TscRun): void {
  if (run.status === 'crashed') {
    process.stderr.write(`\n${what}: tsc crashed\n${run.errors.join('\n')}\n`);
    return;
  }
  if (run.status !== 'errors') return;
  process.stderr.write(`\n${what}: tsc reported errors\n${run.errors.join('\n')}\n`);
  throw new Error(`${what} does not type-check: the figures would mean nothing`);
}

const seconds = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
const mebibytes = (value: number | null) => (value === null ? 'n/a' : value.toFixed(0));
const count = (value: number | null) => (value === null ? 'n/a' : value.toLocaleString('en-US'));

function metTargets(run: TscRun): boolean {
  return (
    run.status === 'ok' &&
    run.wallSeconds <= targets.wallSeconds &&
    run.peakRssMiB !== null &&
    run.peakRssMiB <= targets.peakRssMiB
  );
}

/** The table's last column: what tsc said, or whether the targets were met. */
function verdict(run: TscRun, met: boolean | null): string {
  if (run.status === 'errors') return 'type errors';
  if (run.status === 'crashed') return 'crashed';
  if (met === null) return '';
  return met ? 'met' : 'NOT MET';
}

function printTable(results: readonly ScenarioResult[]): void {
  const header = [
    'program',
    'zod',
    'wall s',
    'tsc total s',
    'check s',
    'CPU s',
    'tsc memory MiB',
    'peak RSS MiB',
    'types',
    'instantiations',
    'targets',
  ];
  const rows = results.map(({ name, zodLabel, run, met }) => [
    name,
    zodLabel,
    run.status === 'timeout'
      ? `killed at ${(timeoutMs / 1000).toFixed(0)}`
      : seconds(run.wallSeconds),
    seconds(run.tscTotalSeconds),
    seconds(run.checkSeconds),
    seconds(run.cpuSeconds),
    mebibytes(run.tscMemoryMiB),
    mebibytes(run.peakRssMiB),
    count(run.types),
    count(run.instantiations),
    verdict(run, met),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  process.stdout.write(
    `\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n${rows.map(line).join('\n')}\n`,
  );
}

const started = performance.now();
const loadAverageAtStart = os.loadavg();
try {
  await linkModules();
  await writeFile(path.join(folder, 'agent.ts'), generateAgentFile());
  await writeFile(
    path.join(folder, 'core-only.ts'),
    "import { defineAgent } from '@parley/core';\n\nexport const agent = defineAgent({ name: 'Support' });\n",
  );

  process.stdout.write(`generated a ${generatedToolCount}-tool agent file in ${folder}\n`);
  process.stdout.write(
    "emitting @parley/core's declarations (zod as the workspace resolves it)…\n",
  );
  const declarations = await runTsc({
    project: await writeTsconfig('tsconfig.declarations.json', {
      files: [path.join(coreFolder, 'src', 'index.ts')],
      compilerOptions: {
        noEmit: false,
        declaration: true,
        emitDeclarationOnly: true,
        declarationMap: false,
        sourceMap: false,
        rootDir: path.join(coreFolder, 'src'),
        outDir: declarationsFolder,
      },
    }),
    timeoutMs,
    usageFile: path.join(folder, 'usage.json'),
    emit: true,
  });
  failIfErrors("@parley/core's declarations", declarations);
  if (declarations.status !== 'ok')
    throw new Error(`emitting the declarations failed (${declarations.status})`);

  const scenarios: Scenario[] = [];
  for (const zod of [lowest, latest]) {
    const zodLabel = zod === lowest ? `${zod.version} (lowest)` : `${zod.version} (latest)`;
    scenarios.push(
      {
        name: 'agent file, core declarations',
        file: 'agent.ts',
        core: 'declarations',
        zod,
        zodLabel,
        kind: 'agent',
      },
      {
        name: 'agent file + core sources',
        file: 'agent.ts',
        core: 'sources',
        zod,
        zodLabel,
        kind: 'agent',
      },
      {
        name: 'core sources alone',
        file: 'core-only.ts',
        core: 'sources',
        zod,
        zodLabel,
        kind: 'baseline',
      },
    );
  }
  if (twoCopies) {
    scenarios.push({
      name: 'agent file + core sources',
      file: 'agent.ts',
      core: 'sources',
      zod: null,
      zodLabel: `two copies: ${lowest.version} + ${latest.version}`,
      kind: 'two-copies',
    });
  }

  const runsOf = new Map<Scenario, TscRun[]>(scenarios.map((scenario) => [scenario, []]));
  // Rounds over every program, so a change in the machine's load falls on all of them alike;
  // the two-copies program (minutes, gigabytes) runs once.
  for (let round = 1; round <= runs; round += 1) {
    for (const scenario of scenarios) {
      if (round > 1 && scenario.kind === 'two-copies') continue;
      const label = `${scenario.name}, zod ${scenario.zodLabel}`;
      process.stdout.write(`checking ${label}${runs > 1 ? ` (run ${round} of ${runs})` : ''}…\n`);
      const run = await runTsc({
        project: await scenarioTsconfig(scenario),
        timeoutMs,
        usageFile: path.join(folder, 'usage.json'),
      });
      if (scenario.kind !== 'two-copies') failIfErrors(`${scenario.file} (${label})`, run);
      runsOf.get(scenario)?.push(run);
    }
  }
  const results: ScenarioResult[] = scenarios.map((scenario) => {
    const scenarioRuns = runsOf.get(scenario) ?? [];
    const fastest = scenarioRuns.reduce((best, run) =>
      run.wallSeconds < best.wallSeconds ? run : best,
    );
    const { zod: _zod, ...described } = scenario;
    return {
      ...described,
      run: fastest,
      runs: scenarioRuns,
      met: scenario.kind === 'agent' ? metTargets(fastest) : null,
    };
  });

  printTable(results);
  process.stdout.write(
    `\nTargets: the agent file in ≤ ${targets.wallSeconds} s (wall) and ≤ 1 GB (peak RSS) on both zods. ` +
      `Load average ${loadAverageAtStart.map((value) => value.toFixed(1)).join(' ')} at the start, ` +
      `${os
        .loadavg()
        .map((value) => value.toFixed(1))
        .join(
          ' ',
        )} at the end (${os.cpus().length} CPUs): wall times grow with it, CPU times less.\n`,
  );

  await writeBenchResults(
    {
      name: 'types',
      startedAt: started,
      machine: { loadAverageAtStart, loadAverageAtEnd: os.loadavg() },
    },
    {
      settings: {
        tools: generatedToolCount,
        timeoutMs,
        runs,
        targets,
        zod: { lowest: lowest.version, latest: latest.version },
        typescript: createRequire(import.meta.url)('typescript/package.json').version,
      },
      declarations,
      results,
    },
  );
} finally {
  if (keepFolder) process.stdout.write(`kept ${folder}\n`);
  else await rm(folder, { recursive: true, force: true });
}
