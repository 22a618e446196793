import path from 'node:path';
import { storybookTest } from '@storybook/addon-vitest/vitest-plugin';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, chromiumPath } from './.storybook/chromium.ts';

// Workspace packages resolve to their TypeScript sources through this export condition.
const conditions = ['@parley/source', 'module', 'node', 'development|production'];

/**
 * One vitest run over every package, straight from the sources: no build needed first. Two
 * projects: `node` (the unit and integration suites) and `storybook` (every story of
 * `.storybook/main.ts` run as a test in Chromium: its play function, then axe).
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
          ],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
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
