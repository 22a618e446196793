import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `pnpm size` (scripts/report-size.mjs) run as CI runs it, against embed files of known size. */

const run = promisify(execFile);
const script = path.join(import.meta.dirname, '..', 'scripts', 'report-size.mjs');

async function reportSize(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, ...args]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

/** The table's line for a bundle. */
const lineOf = (output: string, bundle: string) =>
  output.split('\n').find((line) => line.startsWith(bundle)) ?? '';

describe('the size report', () => {
  let folder: string;
  let smallEmbed: string;
  let largeEmbed: string;

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'parley-size-'));
    smallEmbed = path.join(folder, 'small.js');
    await writeFile(smallEmbed, 'console.log("a tiny embed");\n');
    // Random bytes do not compress: 80 kB stays 80 kB gzipped, over the 75 kB budget.
    largeEmbed = path.join(folder, 'large.js');
    await writeFile(largeEmbed, randomBytes(80_000));
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('passes and prints both bundles when each is within its budget', async () => {
    const { code, output } = await reportSize([`--embed=${smallEmbed}`, '--budget-react=1000']);
    expect(output).toMatch(/^bundle\s+minified\s+gzip\s+budget \(gzip\)/);
    expect(lineOf(output, 'React entry')).toMatch(/\d+\.\d kB\s+\d+\.\d kB\s+1000\.0 kB\s+ok$/);
    expect(lineOf(output, '<script> embed')).toMatch(/\s+ok$/);
    expect(code).toBe(0);
  });

  it('fails when the React entry is over its budget', async () => {
    const { code, output } = await reportSize([`--embed=${smallEmbed}`, '--budget-react=1']);
    expect(lineOf(output, 'React entry')).toMatch(/1\.0 kB\s+OVER BUDGET by \d+\.\d kB$/);
    expect(lineOf(output, '<script> embed')).toMatch(/\s+ok$/);
    expect(code).toBe(1);
  });

  it('fails when the embed is over the default 75 kB budget', async () => {
    const { code, output } = await reportSize([`--embed=${largeEmbed}`, '--budget-react=1000']);
    expect(lineOf(output, '<script> embed')).toMatch(/75\.0 kB\s+OVER BUDGET by [5-6]\.\d kB$/);
    expect(code).toBe(1);
  });

  it('fails, saying how to build it, when the embed is missing', async () => {
    const missing = path.join(folder, 'not-built.js');
    const { code, output } = await reportSize([`--embed=${missing}`, '--budget-react=1000']);
    expect(lineOf(output, '<script> embed')).toContain(
      'MISSING: run pnpm --filter @parley/widget build:embed',
    );
    expect(code).toBe(1);
  });

  it('refuses a budget that is not a positive number', async () => {
    const { code, output } = await reportSize([`--embed=${smallEmbed}`, '--budget-embed=lots']);
    expect(output).toContain('--budget-embed must be a positive number of kB (got "lots")');
    expect(code).toBe(2);
  });
});
