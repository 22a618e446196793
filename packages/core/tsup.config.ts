import { defineConfig } from 'tsup';

/** One bundle per public subpath, each in ESM and CJS with its own declarations. */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'schema/index': 'src/schema/index.ts',
    'pglite/index': 'src/pglite/index.ts',
    'postgres/index': 'src/postgres/index.ts',
    'auth/index': 'src/auth/index.ts',
    'protocol/index': 'src/protocol/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
