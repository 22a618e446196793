#!/usr/bin/env node
// The lowest versions of the peer ranges: copies the workspace to a temporary folder, pins
// drizzle-orm and zod (peers of @parley/core and @parley/http) to the lowest versions their
// ranges allow with pnpm overrides, installs, and runs the typecheck of the packages and the
// store suites (contract on every driver, migrations, host transactions) against them. Sim, the
// first host, pins the lowest of both today. Prints "lowest peers: N passed, N failed"; with
// `--report <file>` also writes those counts as JSON for scripts/test-all.mjs.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reportArgument = process.argv.indexOf('--report');
const reportFile = reportArgument > 0 ? path.resolve(process.argv[reportArgument + 1]) : null;
/** The peers whose lowest versions are checked, and the packages that declare them. */
const checkedPeers = ['drizzle-orm', 'zod'];
/** What runs against them: the store contract on each driver and what touches the schema. */
const suites = [
  'packages/core/src/pglite/create-pglite-store.test.ts',
  'packages/core/src/postgres/create-postgres-store.test.ts',
  'packages/core/src/postgres-js/create-postgres-js-store.test.ts',
  'packages/core/src/schema',
  'packages/core/test/host-transactions.test.ts',
  'packages/core/src/definition',
  'packages/core/src/tools',
];

/** The lowest version a range like `^4.3.6` or `>=0.45.2 <0.46` allows: its first version. */
function lowestOf(range) {
  const match = /(\d+\.\d+\.\d+)/.exec(range);
  if (!match || !/^(\^|~|>=)?\s*\d/.test(range.trim())) {
    throw new Error(`Cannot tell the lowest version of the range "${range}"`);
  }
  return match[1];
}

function run(title, command, args, cwd, env = {}) {
  console.log(`\n=== lowest peers: ${title}: ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status === 0;
}

const core = JSON.parse(readFileSync(path.join(root, 'packages/core/package.json'), 'utf8'));
const lowest = Object.fromEntries(
  checkedPeers.map((name) => {
    const range = core.peerDependencies?.[name];
    if (!range) throw new Error(`@parley/core declares no peer range for ${name}`);
    return [name, lowestOf(range)];
  }),
);
console.log(
  `lowest peers: ${Object.entries(lowest)
    .map(([n, v]) => `${n}@${v}`)
    .join(', ')}`,
);

const copy = mkdtempSync(path.join(tmpdir(), 'parley-lowest-peers-'));
let passed = 0;
let failed = 0;
try {
  // Tracked files and new ones not ignored: what a clean clone plus the work in progress holds.
  const listed = spawnSync(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    {
      cwd: root,
      encoding: 'utf8',
    },
  );
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split('\0').filter(Boolean)) {
    const source = path.join(root, file);
    const target = path.join(copy, file);
    mkdirSync(path.dirname(target), { recursive: true });
    try {
      cpSync(source, target);
    } catch (error) {
      // A file deleted but not yet staged is still listed: nothing to copy.
      if (error.code !== 'ENOENT') throw error;
    }
  }
  const workspaceFile = path.join(copy, 'pnpm-workspace.yaml');
  const overrides = Object.entries(lowest)
    .map(([name, version]) => `  ${name}: ${version}`)
    .join('\n');
  writeFileSync(
    workspaceFile,
    `${readFileSync(workspaceFile, 'utf8')}\n# Added by scripts/test-lowest-peers.mjs\noverrides:\n${overrides}\n`,
  );

  let ok = run(
    'install with the lowest peers',
    'pnpm',
    ['install', '--no-frozen-lockfile', '--prefer-offline'],
    copy,
  );
  if (ok) {
    // The copy must really hold the lowest versions, as @parley/core resolves them.
    // Through the package's folder under packages/core/node_modules (drizzle-orm does not
    // export its package.json).
    for (const [name, version] of Object.entries(lowest)) {
      const manifest = path.join(copy, 'packages/core/node_modules', name, 'package.json');
      const installed = JSON.parse(readFileSync(manifest, 'utf8')).version;
      if (installed !== version) {
        console.error(`lowest peers: ${name} resolved to ${installed}, not ${version}`);
        ok = false;
      }
    }
  }
  if (!ok) {
    failed += 1;
  } else {
    for (const [title, filter] of [
      ['typecheck @parley/core', './packages/core'],
      ['typecheck @parley/http', './packages/http'],
    ]) {
      if (!run(title, 'pnpm', ['--filter', filter, 'run', 'typecheck'], copy)) failed += 1;
    }
    const report = path.join(copy, '.vitest-lowest-peers.json');
    run(
      'store suites',
      'pnpm',
      [
        'exec',
        'vitest',
        'run',
        '--project',
        'node',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${report}`,
        ...suites,
      ],
      copy,
    );
    try {
      const results = JSON.parse(readFileSync(report, 'utf8'));
      passed += results.numPassedTests;
      failed += results.numFailedTests;
      for (const file of results.testResults) {
        if (file.status === 'failed' && file.assertionResults.length === 0) failed += 1;
      }
      if (results.numPassedTests === 0) failed += 1;
    } catch (error) {
      console.error(`lowest peers: could not read the vitest report: ${error.message}`);
      failed += 1;
    }
  }
} finally {
  rmSync(copy, { recursive: true, force: true });
}
console.log(`lowest peers: ${passed} passed, ${failed} failed`);
if (reportFile) writeFileSync(reportFile, JSON.stringify({ passed, failed, lowest }));
process.exit(failed > 0 ? 1 : 0);
