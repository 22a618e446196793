import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type PlaywrightTestConfig, type Project } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../.storybook/chromium.ts';

/**
 * The Sim-like host's end-to-end tests
 * (`pnpm exec playwright test -c examples/sim-host/playwright.config.ts`): the app built with
 * `next build` and served by `next start`, driven in Debian's Chromium.
 *
 * The web server (`e2e/serve.ts`) makes a fresh PostgreSQL database for the run on the server
 * `DATABASE_URL` names (default `postgres://postgres@127.0.0.1:5432/test`, the machines' own),
 * applies the host's migrations and seed, builds, and starts on a port the system picks; the
 * global teardown drops the database.
 */

// A browser first: without one, say how to install it (no browser download works here).
if (!existsSync(chromiumPath)) {
  throw new Error(
    `No Chromium at ${chromiumPath}: the sim-host tests run in a real browser. Install ` +
      "Debian's with `apt-get update && apt-get install -y chromium`, or set " +
      'PARLEY_CHROMIUM_PATH to a Chromium or Chrome executable.',
  );
}

const projectDir = import.meta.dirname;

/** One entry of a config's `webServer`. */
type WebServer = Extract<NonNullable<PlaywrightTestConfig['webServer']>, { command: string }>;

// The config is read again by each worker, which inherits these: one database per run.
process.env.SIM_HOST_E2E_ADMIN_URL ??=
  process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
process.env.SIM_HOST_E2E_DATABASE ??= `sim_host_e2e_${randomBytes(6).toString('hex')}`;

/**
 * The pieces a bigger config can take in (the repository's root one): the project, the web
 * server and the teardown. Everything else below is this file's own run.
 */
export const simHostProject: Project = {
  name: 'sim-host',
  testDir: path.join(projectDir, 'e2e'),
  testMatch: '**/*.spec.ts',
  // Generous: these machines have two cores, often shared with other test runs.
  timeout: 60_000,
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    // Known once the server printed it (the workers read the config after that).
    baseURL: process.env.SIM_HOST_E2E_URL,
  },
};

/**
 * Makes the run's database, starts a fake OpenAI server for the embeddings, migrates, seeds,
 * builds, and serves (`e2e/serve.ts`).
 */
export const simHostWebServer: WebServer = {
  name: 'sim-host',
  // The source condition: the harness starts `startFakeOpenAIServer` of `@parley/core/testing`.
  command: 'pnpm exec tsx --conditions=@parley/source e2e/serve.ts',
  cwd: projectDir,
  // Playwright puts each named group in the workers' environment, upper-cased.
  wait: {
    stdout:
      /Sim host listening on (?<sim_host_e2e_url>http:\/\/[^\s,]+), with a model on (?<sim_host_e2e_model_url>http:\/\/[^\s,]+), fake OpenAI control at (?<sim_host_e2e_fake_control_url>http:\/\/[^\s]+)\n/,
  },
  stdout: 'pipe',
  // `next build` included: about a minute on two cores, more on a busy machine.
  timeout: 300_000,
};

/** Drops the run's database. */
export const simHostTeardown = path.join(projectDir, 'e2e', 'global-teardown.ts');

export default defineConfig({
  outputDir: path.join(projectDir, 'test-results'),
  expect: { timeout: 10_000 },
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  globalTeardown: simHostTeardown,
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [simHostProject],
  webServer: simHostWebServer,
});
