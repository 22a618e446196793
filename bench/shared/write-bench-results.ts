import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const resultsFolder = path.resolve(import.meta.dirname, '..', 'results');

/** What every results file says of the run besides its own figures. */
export interface BenchRun {
  /** The benchmark's name: the file is `bench/results/<name>.json`. */
  name: string;
  /** `performance.now()` when the run began. */
  startedAt: number;
  /** More about the machine (load averages…), beside Node, the CPU model and count. */
  machine?: Record<string, unknown>;
}

/**
 * Writes `bench/results/<name>.json`: the benchmark's name, the date, how long it ran, the
 * machine, then `figures` (its settings and results), and says so on stdout.
 */
export async function writeBenchResults(
  run: BenchRun,
  figures: Record<string, unknown>,
): Promise<void> {
  await mkdir(resultsFolder, { recursive: true });
  const document = {
    benchmark: run.name,
    date: new Date().toISOString(),
    durationSeconds: Math.round((performance.now() - run.startedAt) / 1000),
    machine: {
      node: process.version,
      cpuModel: os.cpus()[0]?.model,
      cpuCount: os.cpus().length,
      ...run.machine,
    },
    ...figures,
  };
  await writeFile(
    path.join(resultsFolder, `${run.name}.json`),
    `${JSON.stringify(document, null, 2)}\n`,
  );
  process.stdout.write(`Wrote bench/results/${run.name}.json\n`);
}
