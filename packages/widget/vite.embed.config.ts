import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The `<script>` embed: `dist/parley-widget.js`, one minified IIFE with everything inside
 * (`pnpm --filter @parley/widget build:embed`). Runs after tsup, whose `clean` empties
 * `dist/`, so it must not empty the folder itself.
 *
 * Inside this file only, React is Preact's compatibility layer: React 19 with react-dom alone
 * is ~67 KB gzipped, more than the embed's whole 75 KB budget; with `preact/compat` the file
 * is ~40 KB. The components are the same; the React entry (`@parley/widget`) keeps using the
 * site's own React. The embed's browser tests run this build.
 */
// Always a production build, whatever NODE_ENV the caller runs under (vitest sets `test`):
// otherwise the React plugin picks its development JSX transform (`jsxDEV`), which the
// production React inside the file does not provide. Set before vite and the plugin read it.
process.env.NODE_ENV = 'production';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
      { find: /^react-dom$/, replacement: 'preact/compat' },
      { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
      { find: /^react$/, replacement: 'preact/compat' },
    ],
  },
  // Library mode leaves `process.env.NODE_ENV` for the consumer; this file has none: React's
  // production build, without its development checks.
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    lib: {
      entry: fileURLToPath(new URL('./src/embed/parley-widget.ts', import.meta.url)),
      formats: ['iife'],
      name: 'ParleyWidget',
      fileName: () => 'parley-widget.js',
    },
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2020',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    reportCompressedSize: true,
  },
});
