#!/usr/bin/env node
// The whole test suite, as the README's test command and CI run it: lint, typecheck, build,
// the widget's size budgets, every vitest suite, the store suites on the lowest peer versions,
// then the Playwright end-to-end suite (against the quickstart, in Chromium). Ends with one line of totals over all suites: "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportFolder = path.join(root, '.vitest-reports');
const vitestReport = path.join(reportFolder, 'vitest.json');
const playwrightReport = path.join(reportFolder, 'playwright.json');

/** Runs one step, streaming its output; true when it succeeded. */
function step(title, command, args, env = {}) {
  console.log(`\n=== ${title}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

const failedSteps = [];
for (const [title, script] of [
  ['lint', 'lint'],
  ['typecheck', 'typecheck'],
  ['build', 'build'],
  // After the build: it measures the built `<script>` embed; over budget fails the run.
  ['size', 'size'],
]) {
  if (!step(title, 'pnpm', ['run', '--silent', script])) failedSteps.push(title);
}

rmSync(reportFolder, { recursive: true, force: true });
mkdirSync(reportFolder, { recursive: true });
const vitestPassed = step('tests', 'pnpm', [
  'exec',
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestReport}`,
]);

let passed = 0;
let failed = 0;
let skipped = 0;
let postgresPassed = 0;
try {
  const report = JSON.parse(readFileSync(vitestReport, 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
  skipped = report.numPendingTests + report.numTodoTests;
  for (const file of report.testResults) {
    for (const test of file.assertionResults) {
      if (test.status === 'passed' && test.fullName.includes('PostgreSQL')) postgresPassed += 1;
    }
    // A file that failed to load has no test results but must count as a failure.
    if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
  }
} catch (error) {
  console.error(`Could not read the vitest report: ${error.message}`);
  failed += 1;
}
if (!vitestPassed && failed === 0) failed += 1;

// The store suites and the typecheck again, on the lowest versions of the peer ranges
// (drizzle-orm, zod) in a copy of the workspace: what a host pinned at those versions runs.
const lowestPeersReport = path.join(reportFolder, 'lowest-peers.json');
const lowestPeersPassed = step('lowest peer versions', 'node', [
  'scripts/test-lowest-peers.mjs',
  '--report',
  lowestPeersReport,
]);
try {
  const report = JSON.parse(readFileSync(lowestPeersReport, 'utf8'));
  passed += report.passed;
  failed += report.failed;
  console.log(`Lowest peer versions passed: ${report.passed}, failed: ${report.failed}`);
} catch (error) {
  console.error(`Could not read the lowest-peers report: ${error.message}`);
  failed += 1;
}
if (!lowestPeersPassed && failed === 0) failed += 1;

// The end-to-end suite, after the build (it serves the built `<script>` embed).
const playwrightPassed = step(
  'end-to-end tests',
  'pnpm',
  ['exec', 'playwright', 'test', '--reporter=list,json'],
  { PLAYWRIGHT_JSON_OUTPUT_FILE: playwrightReport },
);
let endToEndPassed = 0;
let endToEndFailed = 0;
try {
  const report = JSON.parse(readFileSync(playwrightReport, 'utf8'));
  // `expected` passed, `unexpected` failed, `flaky` passed on a retry.
  endToEndPassed = report.stats.expected + report.stats.flaky;
  endToEndFailed = report.stats.unexpected;
  // A run that could not start (no browser, a server that would not come up) has errors and
  // no test results, but must count as a failure.
  if (report.errors.length > 0 && endToEndFailed === 0) endToEndFailed += 1;
} catch (error) {
  console.error(`Could not read the Playwright report: ${error.message}`);
  endToEndFailed += 1;
}
if (!playwrightPassed && endToEndFailed === 0) endToEndFailed += 1;
console.log(`End-to-end tests (Playwright) passed: ${endToEndPassed}, failed: ${endToEndFailed}`);
passed += endToEndPassed;
failed += endToEndFailed;

console.log('');
if (process.env.DATABASE_URL) {
  console.log(`PostgreSQL suites: ${postgresPassed} tests passed against DATABASE_URL`);
  if (postgresPassed === 0) {
    console.log('PostgreSQL suites did not run although DATABASE_URL is set');
    failed += 1;
  }
} else {
  console.log(`PostgreSQL suites skipped (${skipped} tests): set DATABASE_URL to run them`);
}
if (failedSteps.length > 0) console.log(`Failed steps: ${failedSteps.join(', ')}`);
// Each failed step counts as one failure, so a broken lint or build can never read as green.
failed += failedSteps.length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
