#!/usr/bin/env node
// `pnpm size`: the gzipped size of what a site downloads, checked against the budgets.
//
// - The React entry: `src/index.ts` bundled and minified as a site's bundler would, with the
//   peers (react, react-dom, @tanstack/react-query) left out and everything else (the SSE
//   parser, the markdown renderer, the CSS) in. Built in memory, so no build is needed first.
// - The `<script>` embed: `dist/parley-widget.js` as built by `pnpm build:embed` (Preact compat inside).
//
// Prints one table and exits with 1 when a bundle is over its budget or missing.
// Options: --budget-react=<kB>, --budget-embed=<kB> (default 30 and 75; 1 kB = 1,000 bytes,
// gzip level 9), --embed=<file> (another embed file, for the tests).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { build } from 'vite';

// Measure the production build even when called under another NODE_ENV (vitest sets `test`,
// which would make the React plugin emit development JSX).
process.env.NODE_ENV = 'production';

const packageRoot = path.resolve(import.meta.dirname, '..');
const peers = /^(react|react-dom|@tanstack\/react-query)(\/|$)/;

const { values } = parseArgs({
  options: {
    'budget-react': { type: 'string', default: '30' },
    'budget-embed': { type: 'string', default: '75' },
    embed: { type: 'string', default: path.join(packageRoot, 'dist', 'parley-widget.js') },
  },
});

/** A budget in bytes from a kB option; stops the script on anything but a positive number. */
function budgetOf(name) {
  const kilobytes = Number(values[name]);
  if (!Number.isFinite(kilobytes) || kilobytes <= 0) {
    console.error(`--${name} must be a positive number of kB (got "${values[name]}")`);
    process.exit(2);
  }
  return kilobytes * 1000;
}

/** The React entry, minified, peers external: the code as a site's bundler would ship it. */
async function bundleReactEntry() {
  const result = await build({
    root: packageRoot,
    configFile: false,
    logLevel: 'silent',
    plugins: [react()],
    resolve: { conditions: ['@parley/source'] },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      lib: { entry: path.join(packageRoot, 'src', 'index.ts'), formats: ['es'] },
      rolldownOptions: { external: (id) => peers.test(id) },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  const chunks = outputs.flatMap((output) => output.output).filter((item) => item.type === 'chunk');
  return Buffer.from(chunks.map((chunk) => chunk.code).join('\n'));
}

const kilobytes = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;

const rows = [];
const reactEntry = await bundleReactEntry();
rows.push({
  name: 'React entry (src/index.ts; react, react-dom, react-query external)',
  bytes: reactEntry,
  budget: budgetOf('budget-react'),
});
const embedFile = path.resolve(values.embed);
rows.push({
  name: `<script> embed (${path.relative(process.cwd(), embedFile) || embedFile}; Preact compat inside)`,
  bytes: existsSync(embedFile) ? readFileSync(embedFile) : null,
  budget: budgetOf('budget-embed'),
});

let failed = false;
const table = rows.map((row) => {
  if (row.bytes === null) {
    failed = true;
    return [
      row.name,
      '-',
      '-',
      kilobytes(row.budget),
      'MISSING: run pnpm --filter @parley/widget build:embed',
    ];
  }
  const gzipped = gzipSync(row.bytes, { level: 9 }).length;
  const over = gzipped > row.budget;
  if (over) failed = true;
  return [
    row.name,
    kilobytes(row.bytes.length),
    kilobytes(gzipped),
    kilobytes(row.budget),
    over ? `OVER BUDGET by ${kilobytes(gzipped - row.budget)}` : 'ok',
  ];
});
const header = ['bundle', 'minified', 'gzip', 'budget (gzip)', ''];
const widths = header.map((_, column) =>
  Math.max(...[header, ...table].map((line) => line[column].length)),
);
for (const line of [header, ...table]) {
  console.log(
    line
      .map((cell, column) =>
        column === 0 || column === 4 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]),
      )
      .join('  ')
      .trimEnd(),
  );
}
process.exit(failed ? 1 : 0);
