#!/usr/bin/env node
// Uses the packages the way another project would, before they are published: packs
// @parley/core, @parley/http and @parley/widget into tarballs (from their built `dist`: run
// `pnpm build` first), checks what each tarball holds against its package.json, installs the
// tarballs with npm into a scratch project in a temporary folder, and runs a plain Node ESM
// server there, outside the workspace and without the `@parley/source` condition: a PGlite
// store, the engine, an agent with one strict canned guideline, `createParleyHandler` and
// `toNodeListener` on port 0, then `/v1/health` and one widget-style conversation turn over
// HTTP. Exits 0 when all of it works; the temporary folder is removed either way.
//
//   node scripts/try-packed-packages.mjs [--keep] [--without-widget]
//
// --keep leaves the temporary folder (its path is printed) to look around in;
// --without-widget leaves the widget's tarball out of the install.
// Needs the npm registry for the packages' own dependencies; nothing else goes on the network.
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const keep = process.argv.includes('--keep');
const withWidget = !process.argv.includes('--without-widget');

const packages = [
  { name: '@parley/core', folder: 'packages/core' },
  { name: '@parley/http', folder: 'packages/http' },
  ...(withWidget ? [{ name: '@parley/widget', folder: 'packages/widget' }] : []),
];

const log = (line) => console.log(`[try-packed] ${line}`);

class Failure extends Error {}
const fail = (message) => {
  throw new Failure(message);
};

/** Runs a command to its end; its output is returned, and printed when it fails. */
function run(command, args, options) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    process.stderr.write(result.stderr ?? '');
    fail(`${command} ${args.join(' ')} exited with ${result.status}`);
  }
  return result;
}

/** What a module specifier looks like (text in a string that merely resembles one is not). */
const moduleSpecifier =
  /^(?:\.{1,2}\/[\w./-]*|node:[\w/]+|(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?)$/i;

/** Every bare module the file loads, following the package's own relative imports. */
function bareImportsOf(entry, seen = new Set(), found = new Set()) {
  if (seen.has(entry) || !existsSync(entry)) return found;
  seen.add(entry);
  const source = readFileSync(entry, 'utf8');
  const specifiers = [
    ...source.matchAll(/(?:^|[;}])\s*(?:import|export)\s[^'";]*?\sfrom\s*["']([^"']+)["']/gm),
    ...source.matchAll(/(?:^|;)\s*import\s*["']([^"']+)["']/gm),
    ...source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
  ]
    .map((match) => match[1])
    .filter((specifier) => moduleSpecifier.test(specifier));
  for (const specifier of specifiers) {
    if (specifier.startsWith('.'))
      bareImportsOf(path.resolve(path.dirname(entry), specifier), seen, found);
    else found.add(specifier);
  }
  return found;
}

/** The package a bare specifier names: `@scope/name` or `name`, without a subpath. */
const packageNameOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]);

/** The files an `exports` map points at, for every condition but the workspace's own. */
function exportTargets(exportsField, notes) {
  const targets = [];
  const sourceConditions = [];
  const visit = (value, label) => {
    if (typeof value === 'string') {
      if (!value.includes('*')) targets.push({ label, file: value });
      return;
    }
    for (const [condition, target] of Object.entries(value ?? {})) {
      if (condition === '@parley/source') {
        sourceConditions.push(target);
        continue;
      }
      visit(target, condition.startsWith('.') ? condition : `${label} ${condition}`);
    }
  };
  visit(exportsField, '');
  if (sourceConditions.length > 0) {
    notes.add(
      `${sourceConditions.length} exports keep the workspace's "@parley/source" condition (${sourceConditions[0]}…), whose sources are not packed: harmless unless a project sets that condition`,
    );
  }
  return targets;
}

/**
 * Checks an unpacked tarball against its manifest: no `workspace:` ranges left, every file
 * `main`, `module`, `types` and `exports` name is there, and every module its JavaScript
 * loads is declared as a dependency or peer. Returns notes that do not fail the run.
 */
function inspectTarball(name, folder) {
  const manifest = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
  const notes = new Set();
  const problems = [];
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  for (const [dependency, range] of Object.entries(manifest.dependencies ?? {})) {
    if (String(range).startsWith('workspace:'))
      problems.push(`dependency ${dependency} is still "${range}"`);
  }
  const targets = [
    ...['main', 'module', 'types'].flatMap((field) =>
      manifest[field] ? [{ label: field, file: manifest[field] }] : [],
    ),
    ...exportTargets(manifest.exports, notes),
  ];
  for (const { label, file } of targets) {
    if (!existsSync(path.join(folder, file)))
      problems.push(`${label.trim()} → ${file} is not in the tarball`);
  }
  const scripts = targets.filter(({ file }) => /\.(c|m)?js$/.test(file));
  const undeclared = new Set();
  for (const { file } of scripts) {
    for (const specifier of bareImportsOf(path.join(folder, file))) {
      if (isBuiltin(specifier)) continue;
      const dependency = packageNameOf(specifier);
      if (dependency !== name && !declared.has(dependency)) undeclared.add(dependency);
    }
  }
  for (const dependency of undeclared) {
    problems.push(`its JavaScript imports ${dependency}, which is neither a dependency nor a peer`);
  }
  if (problems.length > 0) fail(`${name}'s tarball is broken:\n  - ${problems.join('\n  - ')}`);
  return { manifest, notes: [...notes], checkedFiles: targets.length };
}

/** The scratch project's server: only the packed packages, as an outsider writes it. */
const serverSource = `
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createEngine, defineAgent, tool } from '@parley/core';
import { createPgliteStore } from '@parley/core/pglite';
import { createParleyHandler, toNodeListener } from '@parley/http';
import { z } from 'zod';

const say = (line) => console.log('[app] ' + line);
const check = (ok, message) => {
  if (!ok) throw new Error(message);
};
const origin = 'https://shop.example';
const expectedReply = 'Today we are open from 9:00 to 18:00.';

// CommonJS consumers get the same API.
const require = createRequire(import.meta.url);
for (const [entry, name] of [
  ['@parley/core', 'createEngine'],
  ['@parley/core/pglite', 'createPgliteStore'],
  ['@parley/http', 'createParleyHandler'],
]) {
  check(typeof require(entry)[name] === 'function', 'require(' + entry + ').' + name + ' is missing');
}
say('require() of @parley/core, @parley/core/pglite and @parley/http works');
if (process.env.PARLEY_WITH_WIDGET === '1') {
  const widget = await import('@parley/widget');
  check(typeof widget.createChatClient === 'function', '@parley/widget lacks createChatClient');
  check(require.resolve('@parley/widget/parley-widget.js').endsWith('parley-widget.js'), 'no embed');
  say('@parley/widget loads (createChatClient) and ships parley-widget.js');
}

const todaysHours = tool({
  name: 'todays_hours',
  description: "Reads today's opening hours",
  parameters: z.object({}),
  handler: () => ({ hours: 'from 9:00 to 18:00' }),
});
const shop = defineAgent({
  name: 'Packed Shop',
  compositionMode: 'canned_strict',
  tools: [todaysHours],
  guidelines: [
    {
      key: 'opening_hours',
      condition: 'the customer asks when the shop is open',
      action: "give today's opening hours",
      examples: ['when are you open today?', 'what time do you close?'],
      tools: ['todays_hours'],
    },
  ],
  cannedResponses: [{ template: 'Today we are open {{todays_hours.hours}}.' }],
});

const store = await createPgliteStore();
const engine = createEngine({ store, fallbackReply: 'Sorry, I only know our opening hours.' });
const { agent } = await engine.sync('packed', shop);
const key = await store
  .forWorkspace('packed')
  .agentKeys.issue({ agentId: agent.id, name: 'Scratch page', allowedOrigins: [origin] });
const handler = await createParleyHandler({
  engine,
  basePath: '/api/parley',
  customerTokenSecret: randomBytes(32).toString('hex'),
});
const server = createServer(toNodeListener(handler));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = 'http://127.0.0.1:' + server.address().port + '/api/parley';
say('listening on port ' + server.address().port);

try {
  const health = await fetch(base + '/v1/health');
  say('GET /v1/health -> ' + health.status);
  check(health.status === 200, 'health answered ' + health.status + ': ' + (await health.text()));

  const headers = { 'content-type': 'application/json', origin };
  const opened = await fetch(base + '/v1/sessions', {
    method: 'POST',
    headers,
    body: JSON.stringify({ agentKey: key.secret }),
  });
  say('POST /v1/sessions -> ' + opened.status);
  check(opened.status === 201, 'opening a session answered ' + opened.status);
  const { session, customerToken } = await opened.json();
  const customer = { ...headers, authorization: 'Bearer ' + customerToken };

  const posted = await fetch(base + '/v1/sessions/' + session.id + '/events', {
    method: 'POST',
    headers: customer,
    body: JSON.stringify({ text: 'When are you open today?', clientMessageId: 'm-1' }),
  });
  say('POST /v1/sessions/:id/events -> ' + posted.status);
  check(posted.status === 201, 'posting the message answered ' + posted.status);

  // Long-poll the events until the turn ends.
  let after = (await posted.json()).event.offset;
  let reply = null;
  let status = null;
  const deadline = Date.now() + 60_000;
  while (status === null && Date.now() < deadline) {
    const page = await fetch(
      base + '/v1/sessions/' + session.id + '/events?after=' + after + '&wait=10',
      { headers: customer },
    );
    check(page.status === 200, 'reading events answered ' + page.status);
    for (const event of (await page.json()).events) {
      after = Math.max(after, event.offset);
      if (event.kind === 'message' && event.source === 'ai_agent') reply = event.data.text;
      if (event.kind === 'status' && ['ready', 'error', 'cancelled'].includes(event.data.status)) {
        status = event.data.status;
      }
    }
  }
  say('turn status: ' + status);
  say('reply: ' + reply);
  check(status === 'ready', 'the turn ended with ' + status);
  check(reply === expectedReply, 'expected the reply "' + expectedReply + '"');
} finally {
  await handler.close({ deadlineMs: 1000 });
  await new Promise((resolve) => server.close(resolve));
  await store.close();
}
say('ok');
`;

/** Runs the scratch server, its output streamed with a prefix, within a time limit. */
function runServer(appFolder) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['server.mjs'], {
      cwd: appFolder,
      // The app's own environment: no workspace condition, no model.
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PARLEY_WITH_WIDGET: withWidget ? '1' : '0',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Failure('the scratch server did not finish within 120 s'));
    }, 120_000);
    child.on('error', (error) => reject(new Failure(`node could not start: ${error.message}`)));
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Failure(`the scratch server exited with ${code ?? signal}`));
    });
  });
}

const workFolder = mkdtempSync(path.join(tmpdir(), 'parley-packed-'));
let exitCode = 0;
try {
  for (const { folder } of packages) {
    if (!existsSync(path.join(root, folder, 'dist', 'index.js'))) {
      fail(
        `${folder}/dist is missing: run \`pnpm build\` first (the tarballs hold the built files)`,
      );
    }
  }
  log(`working in ${workFolder}`);

  const tarballFolder = path.join(workFolder, 'tarballs');
  mkdirSync(tarballFolder);
  const tarballs = [];
  for (const { name, folder } of packages) {
    const before = new Set(readdirSync(tarballFolder));
    run('pnpm', ['pack', '--pack-destination', tarballFolder], { cwd: path.join(root, folder) });
    const tarball = readdirSync(tarballFolder).find((file) => !before.has(file));
    if (!tarball) fail(`pnpm pack wrote no tarball for ${name}`);
    const unpacked = path.join(workFolder, 'unpacked', tarball.replace(/\.tgz$/, ''));
    mkdirSync(unpacked, { recursive: true });
    run('tar', ['-xzf', path.join(tarballFolder, tarball), '-C', unpacked, '--strip-components=1']);
    const files = run('tar', ['-tzf', path.join(tarballFolder, tarball)])
      .stdout.trim()
      .split('\n');
    const { manifest, notes, checkedFiles } = inspectTarball(name, unpacked);
    log(
      `packed ${name}@${manifest.version} → ${tarball} (${files.length} files; ${checkedFiles} entry files present, imports declared)`,
    );
    for (const note of notes) log(`  note: ${note}`);
    tarballs.push(path.join(tarballFolder, tarball));
  }

  const appFolder = path.join(workFolder, 'app');
  mkdirSync(appFolder);
  const coreManifest = JSON.parse(
    readFileSync(path.join(root, 'packages/core/package.json'), 'utf8'),
  );
  const extras = [
    `@electric-sql/pglite@${coreManifest.devDependencies['@electric-sql/pglite']}`,
    // Peer dependencies: the app brings its own drizzle-orm and zod (a host shares its copies).
    `drizzle-orm@${coreManifest.devDependencies['drizzle-orm']}`,
    `zod@${coreManifest.devDependencies.zod}`,
    // drizzle-orm's optional peer postgres (">=3") would resolve to postgres 4, which
    // @parley/core/postgres-js does not support ("^3.4.0"): npm refuses the install
    // (ERESOLVE) unless the app names a postgres 3 itself.
    `postgres@${coreManifest.devDependencies.postgres}`,
  ];
  writeFileSync(
    path.join(appFolder, 'package.json'),
    `${JSON.stringify({ name: 'parley-packed-app', private: true, type: 'module' }, null, 2)}\n`,
  );
  log(`installing with npm: the ${tarballs.length} tarballs, ${extras.join(', ')}`);
  const install = run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=warn', ...tarballs, ...extras],
    { cwd: appFolder, env: { ...process.env, npm_config_update_notifier: 'false' } },
  );
  const warnings = `${install.stdout}\n${install.stderr}`
    .split('\n')
    .filter(
      (line) => /\bwarn\b/i.test(line) && !/^npm warn\s*(EBADENGINE\s*)?[{}]?\s*$/.test(line),
    );
  for (const warning of warnings) log(`  npm: ${warning.trim()}`);
  const installed = JSON.parse(
    readFileSync(path.join(appFolder, 'package.json'), 'utf8'),
  ).dependencies;
  log(`installed ${Object.keys(installed).sort().join(', ')}`);

  writeFileSync(path.join(appFolder, 'server.mjs'), serverSource.trimStart());
  log('running app/server.mjs with node (no workspace condition, no model)');
  await runServer(appFolder);
  log('OK: the packed packages install and serve a conversation');
} catch (error) {
  exitCode = 1;
  console.error(
    `[try-packed] FAILED: ${error instanceof Failure ? error.message : (error?.stack ?? error)}`,
  );
} finally {
  if (keep) log(`kept ${workFolder}`);
  else rmSync(workFolder, { recursive: true, force: true });
}
process.exit(exitCode);
