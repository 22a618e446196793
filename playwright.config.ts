import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumPath } from './.storybook/chromium.ts';
import {
  simHostProject,
  simHostTeardown,
  simHostWebServer,
} from './examples/sim-host/playwright.config.ts';

/**
 * The end-to-end tests (`pnpm test:e2e`): the quickstart's real page, its `<script>` embed and
 * its API, driven in Debian's Chromium (no browser is ever downloaded).
 *
 * Three processes are started first, in this order, each on a port the system picks (their
 * addresses are read from what they print into `PARLEY_E2E_*` variables, which the test
 * workers inherit):
 *
 * 1. the quickstart with no LLM (strict canned mode), as `pnpm start` runs it;
 * 2. the fake OpenAI server of `@parley/core/testing`, with a control port the tests script it
 *    through (`e2e/servers/serve-fake-openai.ts`);
 * 3. a second quickstart whose `OPENAI_BASE_URL` is that fake: for a model error, and for
 *    replies that stream slowly (or very fast) on demand.
 *
 * Both quickstarts keep their data in PGlite in a folder of their own made fresh for the run,
 * even when `DATABASE_URL` is set (as CI sets it), and never see a real API key.
 *
 * A fourth, the Sim-like Next.js host of `examples/sim-host` with Parley mounted in it, is built
 * and started on a PostgreSQL database of its own (`examples/sim-host/playwright.config.ts`:
 * made on the server `DATABASE_URL` names, dropped by the global teardown); its specs are the
 * `sim-host` project.
 */

// A browser first: without one, say how to install it rather than fail in Playwright's words
// (which would suggest downloading one: no browser download works on these machines).
if (!existsSync(chromiumPath)) {
  throw new Error(
    `No Chromium at ${chromiumPath}: the end-to-end tests run in a real browser. Install ` +
      "Debian's with `apt-get update && apt-get install -y chromium`, or set " +
      'PARLEY_CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}

const root = import.meta.dirname;
const outputDir = path.join(root, 'test-results', 'e2e');
/**
 * A fresh data folder per server and run, in the output folder, which Playwright empties when
 * a run starts (so one run's databases are kept to look at, until the next). The config is
 * read again by each worker: one stamp for the run.
 */
process.env.PARLEY_E2E_RUN_STAMP ??= `${Date.now()}-${process.pid}`;
const runStamp = process.env.PARLEY_E2E_RUN_STAMP;
const dataDir = (name: string) => path.join(outputDir, 'servers', runStamp, name);
/**
 * The operator secret of the quickstart with no LLM, one per run (read again by each worker,
 * as the stamp is): the tests sign operator tokens with it (`e2e/support/operator-api.ts`),
 * e.g. to issue a key for a page of another origin they serve themselves.
 */
process.env.PARLEY_E2E_OPERATOR_SECRET ??= randomBytes(32).toString('hex');
const operatorSecret = process.env.PARLEY_E2E_OPERATOR_SECRET;

/** The environment of a quickstart: system-chosen port, PGlite, no model unless set after. */
function quickstartEnvironment(name: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: '',
    PARLEY_DATA_DIR: dataDir(name),
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    PARLEY_ALLOWED_ORIGINS: '',
  };
}

/** The start banner's first line; the named group becomes `PARLEY_E2E_…_URL`. */
const listening = (variable: string) =>
  new RegExp(`Parley quickstart listening on (?<${variable}>http://[^\\s]+)\\n`);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir,
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never' }]],
  globalTeardown: simHostTeardown,
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [
    {
      // Against the quickstart with no LLM: any number at once.
      name: 'quickstart',
      testIgnore: '**/model/**',
    },
    {
      // Against the quickstart on the fake model, whose scripted replies are one queue: one
      // test at a time, so each gets the replies it queued.
      name: 'fake-model',
      testMatch: 'model/**/*.spec.ts',
      workers: 1,
    },
    simHostProject,
  ],
  webServer: [
    {
      name: 'quickstart',
      // Builds the widget's `<script>` embed first when it is missing.
      command: 'pnpm start',
      env: {
        ...quickstartEnvironment('quickstart'),
        PARLEY_OPERATOR_SECRET: operatorSecret,
      },
      wait: { stdout: listening('parley_e2e_url') },
      timeout: 180_000,
    },
    {
      name: 'fake-openai',
      command: 'pnpm exec tsx --conditions=@parley/source e2e/servers/serve-fake-openai.ts',
      wait: {
        stdout:
          /Fake OpenAI server at (?<parley_e2e_fake_openai_url>http:\/\/[^\s,]+), control at (?<parley_e2e_fake_control_url>http:\/\/[^\s]+)\n/,
      },
      timeout: 60_000,
    },
    {
      name: 'quickstart-fake-model',
      // The fake's address is known only once it printed it (the step above put it in the
      // environment): the shell reads it when this command starts.
      command: 'OPENAI_BASE_URL="$PARLEY_E2E_FAKE_OPENAI_URL" pnpm start',
      env: quickstartEnvironment('quickstart-fake-model'),
      wait: { stdout: listening('parley_e2e_model_url') },
      timeout: 180_000,
    },
    simHostWebServer,
  ],
});
