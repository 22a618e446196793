import { defineConfig } from 'vitest/config';

/**
 * The example's own tests (`pnpm --filter @parley/example-sim-host test`): the line count of the
 * route file and `parley-schema --check` on the schema file. The root config runs them too (as
 * part of `pnpm test`); this one lets vitest run here without the root's browser project.
 */
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000 },
});
