import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What one `tsc --extendedDiagnostics` run cost, as tsc and the operating system saw it. */
export interface TscRun {
  /**
   * `ok`: no errors; `errors`: tsc reported type errors; `crashed`: it died otherwise (out of
   * memory, for one); `timeout`: killed at the time limit.
   */
  status: 'ok' | 'errors' | 'crashed' | 'timeout';
  /** From the start of the process to its exit (or its kill), in seconds. */
  wallSeconds: number;
  /** tsc's own "Total time" (parse, bind, check, emit), in seconds; null when killed. */
  tscTotalSeconds: number | null;
  /** tsc's "Check time", in seconds. */
  checkSeconds: number | null;
  /** tsc's "Memory used" (the heap it measured at the end), in MiB. */
  tscMemoryMiB: number | null;
  /** The process's peak resident set, in MiB. */
  peakRssMiB: number | null;
  /** CPU time of the process, user and system, in seconds: moves less with the machine's load than wall time. */
  cpuSeconds: number | null;
  files: number | null;
  types: number | null;
  instantiations: number | null;
  /** The first errors tsc printed, or the last lines of a crash (empty when neither). */
  errors: string[];
}

/** Options of {@link runTsc}. */
export interface RunTscOptions {
  /** The tsconfig to check. */
  project: string;
  /** Kill tsc after this long; the run is then reported as `timeout`. */
  timeoutMs: number;
  /** A file the child writes its `process.resourceUsage()` to (it is removed afterwards). */
  usageFile: string;
  /** Let the project emit (declarations); by default tsc runs with `--noEmit`. */
  emit?: boolean;
}

const require = createRequire(import.meta.url);
const tscEntry = require.resolve('typescript/bin/tsc');
const reportUsage = path.join(import.meta.dirname, 'report-resource-usage.cjs');

/** tsc's `--extendedDiagnostics` lines (`Check time:   1.23s`), by name. */
function parseDiagnostics(output: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const match of output.matchAll(/^([A-Za-z][A-Za-z /()]+?):\s+(\S+)\s*$/gm)) {
    values.set(match[1] as string, match[2] as string);
  }
  return values;
}

function numberOf(values: Map<string, string>, name: string, suffix = ''): number | null {
  const raw = values.get(name);
  if (raw === undefined || !raw.endsWith(suffix)) return null;
  const value = Number(raw.slice(0, raw.length - suffix.length));
  return Number.isFinite(value) ? value : null;
}

/** The peak resident set of a live process, from Linux's `/proc` (null elsewhere). */
async function peakRssOfLiveProcess(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kilobytes = status.match(/^VmHWM:\s+(\d+) kB/m)?.[1];
    return kilobytes === undefined ? null : Number(kilobytes) / 1024;
  } catch {
    return null;
  }
}

/**
 * Runs `tsc -p project --noEmit --extendedDiagnostics` (`--noEmit` unless `emit`) in a Node
 * child of its own, so its memory and CPU time are its alone: the child reports
 * `process.resourceUsage()` as it exits, and a child still running at `timeoutMs` has its peak
 * resident set read before it is killed.
 */
export async function runTsc(options: RunTscOptions): Promise<TscRun> {
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--require',
      reportUsage,
      tscEntry,
      '-p',
      options.project,
      ...(options.emit ? [] : ['--noEmit']),
      '--extendedDiagnostics',
      '--pretty',
      'false',
    ],
    {
      env: { ...process.env, PARLEY_BENCH_USAGE_FILE: options.usageFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let timedOut = false;
  let timedOutPeakRss: number | null = null;
  const timer = setTimeout(async () => {
    timedOut = true;
    if (child.pid !== undefined) timedOutPeakRss = await peakRssOfLiveProcess(child.pid);
    child.kill('SIGKILL');
  }, options.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  const wallSeconds = (performance.now() - started) / 1000;

  const usage = await readFile(options.usageFile, 'utf8')
    .then((text) => JSON.parse(text) as NodeJS.ResourceUsage)
    .catch(() => null);
  await rm(options.usageFile, { force: true });
  const values = parseDiagnostics(output);
  const errors = output.split('\n').filter((line) => /(^|\s)error TS\d+:/.test(line));
  const memoryKilobytes = numberOf(values, 'Memory used', 'K');
  const status: TscRun['status'] = timedOut
    ? 'timeout'
    : errors.length > 0
      ? 'errors'
      : exitCode === 0
        ? 'ok'
        : 'crashed';
  return {
    status,
    wallSeconds,
    tscTotalSeconds: numberOf(values, 'Total time', 's'),
    checkSeconds: numberOf(values, 'Check time', 's'),
    tscMemoryMiB: memoryKilobytes === null ? null : memoryKilobytes / 1024,
    // maxRSS is in kilobytes.
    peakRssMiB: usage ? usage.maxRSS / 1024 : timedOutPeakRss,
    cpuSeconds: usage ? (usage.userCPUTime + usage.systemCPUTime) / 1e6 : null,
    files: numberOf(values, 'Files'),
    types: numberOf(values, 'Types'),
    instantiations: numberOf(values, 'Instantiations'),
    // A crash says why in its last lines.
    errors: status === 'crashed' ? output.trim().split('\n').slice(-20) : errors.slice(0, 20),
  };
}
