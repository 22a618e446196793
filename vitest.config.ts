import { defineConfig } from 'vitest/config';

/** One vitest run over every package; each package may add its own project config later. */
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
