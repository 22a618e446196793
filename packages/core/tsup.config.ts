import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  dts: true,
  sourcemap: true,
  shims: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
};

/**
 * One bundle per public subpath, each in ESM and CJS with its own declarations. The two
 * builds run in parallel, so neither cleans `dist`: the `build` script does that first.
 */
export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      'schema/index': 'src/schema/index.ts',
      'pglite/index': 'src/pglite/index.ts',
      'postgres/index': 'src/postgres/index.ts',
      'postgres-js/index': 'src/postgres-js/index.ts',
      'drizzle/index': 'src/drizzle/index.ts',
      'auth/index': 'src/auth/index.ts',
      'protocol/index': 'src/protocol/index.ts',
      'openai/index': 'src/openai/index.ts',
      'mcp/index': 'src/mcp/index.ts',
      'pgvector/index': 'src/pgvector/index.ts',
      'universal-sentence-encoder/index': 'src/universal-sentence-encoder/index.ts',
    },
    format: ['esm', 'cjs'],
  },
  {
    // The `parley-schema` and `parley-evaluate` commands: ESM only (top-level await), no declarations.
    ...shared,
    dts: false,
    entry: {
      'cli/parley-schema': 'src/cli/parley-schema.ts',
      'cli/parley-evaluate': 'src/cli/parley-evaluate.ts',
    },
    format: ['esm'],
  },
  {
    // The testing helpers import vitest, which is ESM only: no CJS build for them.
    ...shared,
    entry: { 'testing/index': 'src/testing/index.ts' },
    format: ['esm'],
  },
]);
