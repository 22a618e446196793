import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through this export condition.
const conditions = ['@parley/source', 'module', 'node', 'development|production'];

/** One vitest run over every package, straight from the sources: no build needed first. */
export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
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
});
