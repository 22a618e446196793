import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The promise of the example: Parley mounts with one route file of at most 36 lines and one
// schema file, which stays what the installed `parley-schema` writes.

const projectDir = path.resolve(import.meta.dirname, '..');
const routeFile = 'app/api/parley/[...path]/route.ts';

/** Runs one script of the example's package.json; its output, or the failure with it. */
function runScript(script: string, ...args: string[]): string {
  return execFileSync('pnpm', ['run', '--silent', script, ...args], {
    cwd: projectDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe("the host's Parley code", () => {
  it('is one route file of 36 lines at most, every line counted', () => {
    const text = readFileSync(path.join(projectDir, routeFile), 'utf8');
    expect(text.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(36);
  });

  it('has the schema file that `parley-schema --check` finds up to date', () => {
    expect(runScript('db:parley-schema', '--check')).toContain('db/parley-schema.ts is up to date');
  });

  it('prints its line counts with `pnpm parley-lines`', () => {
    const printed = runScript('parley-lines');
    expect(printed).toMatch(/app\/api\/parley\/\[\.\.\.path\]\/route\.ts +\d+ /);
    expect(printed).toMatch(/^Total: \d+ lines, \d+ of them written by hand\.$/m);
  });
});
