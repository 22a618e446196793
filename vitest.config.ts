import path from 'node:path';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './.storybook/chromium.ts';

// Workspace packages resolve to their TypeScript sources through this export condition.
const conditions = ['@parley/source', 'module', 'node', 'development|production'];

/**
 * The engine scenarios again on the machine's PostgreSQL, once through each driver a host may
 * use (`PARLEY_SCENARIO_DRIVER`, read by `packages/core/test/scenario-support.ts`): only when
 * DATABASE_URL is set, since the suite must also pass on PGlite alone.
 */
const scenarioProjectsOnPostgres = process.env.DATABASE_URL
  ? (['node-postgres', 'postgres-js'] as const).map((driver) => ({
      extends: true as const,
      test: {
        name: `scenarios-${driver}`,
        include: ['packages/core/test/scenarios/**/*.test.ts'],
        // Matching quality on the sentence encoder: CPU-bound (45 s a run on two cores) and
        // the same whatever the driver, so it runs once, on PGlite; the journeys, tools and
        // turns it goes through run on both drivers in the other scenarios.
        exclude: ['packages/core/test/scenarios/no-model-matching.test.ts'],
        env: { PARLEY_SCENARIO_DRIVER: driver },
        testTimeout: 30_000,
        hookTimeout: 120_000,
      },
    }))
  : [];

/**
 * One vitest run over every package, straight from the sources: no build needed first. The
 * projects: `node` (the unit and integration suites), `storybook` (every story of
 * `.storybook/main.ts` run as a test in Chromium: its play function, then axe), and with
 * DATABASE_URL the scenarios on PostgreSQL through node-postgres and postgres-js.
 */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/src/**/*.test.tsx',
            'packages/*/test/**/*.test.ts',
            'bench/**/*.test.ts',
            'examples/*/src/**/*.test.ts',
            'examples/*/test/**/*.test.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      ...scenarioProjectsOnPostgres,
      {
        // Not `extends`: the stories run in a browser, with the browser's export conditions.
        plugins: [storybookTest({ configDir: path.join(import.meta.dirname, '.storybook') })],
        test: {
          name: 'storybook',
          globalSetup: ['./.storybook/require-chromium.ts'],
          // The figure's story streams 2,000 tokens through React's development build.
          testTimeout: 60_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({
              launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
