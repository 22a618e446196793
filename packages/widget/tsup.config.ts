import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  // A browser library: modern syntax, no Node built-ins; dependencies and peers stay external.
  platform: 'browser',
  target: 'es2022',
});
