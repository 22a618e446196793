import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageRoot = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as {
  exports: Record<string, Record<string, { types: string; default: string }> | string>;
};

/** Names each public entry must export, in ESM and CJS alike. */
const expectedExports: Record<string, string[]> = {
  '@parley/core': [
    'ParleyError',
    'agentInputSchema',
    'eventInputSchema',
    'createInMemoryEventBus',
    'applyEventRetention',
  ],
  '@parley/core/schema': ['createParleySchema', 'migrate', 'agent', 'event', 'parleySchema'],
  '@parley/core/pglite': ['createPgliteStore'],
  '@parley/core/postgres': ['createPostgresStore', 'createPostgresEventBus'],
  '@parley/core/postgres-js': ['createPostgresJsStore', 'createPostgresJsEventBus'],
  '@parley/core/drizzle': ['createDrizzleStore'],
  '@parley/core/auth': ['createJwtVerifier', 'principalSchema'],
  '@parley/core/openai': ['createOpenAIChatModel', 'createOpenAIEmbedder'],
  '@parley/core/mcp': ['createMcpToolProvider'],
  '@parley/core/pgvector': ['createPgvectorRetriever'],
  '@parley/core/protocol': ['wireEventSchema', 'toWireEvent', 'turnStatusSchema'],
  '@parley/core/testing': [
    'describeStoreContract',
    'describeEventBusContract',
    'createTestClock',
    'createScriptedChatModel',
    'startFakeOpenAIServer',
  ],
};

/** Modules the main entry must never load: drivers, HTTP frameworks, React, the MCP SDK. */
const forbiddenInMainEntry =
  /^(pg|pg-.*|@electric-sql\/.*|@modelcontextprotocol\/.*|react|react-dom|express|hono|next|fastify|koa|node:http|node:https|http|https)(\/|$)/;

/** Every module the file at `entry` loads, following the package's own relative imports. */
function collectBareImports(entry: string): Set<string> {
  const seen = new Set<string>();
  const bare = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const specifiers = [
      ...source.matchAll(/\bfrom\s*["']([^"']+)["']/g),
      ...source.matchAll(/\bimport\s*\(?\s*["']([^"']+)["']/g),
      ...source.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g),
    ].map((match) => match[1] as string);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
      else bare.add(specifier);
    }
  }
  return bare;
}

const built = existsSync(path.join(packageRoot, 'dist', 'index.js'));

describe('the built package (run `pnpm build` first)', () => {
  it('has been built', () => {
    expect(
      built,
      'packages/core/dist is missing: `pnpm test` builds it; alone, run `pnpm build`',
    ).toBe(true);
  });

  it.runIf(built)('points every export at files that exist, types first', () => {
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      // The testing helpers import vitest, which cannot be required: they are ESM only.
      const conditions =
        subpath === './testing' ? (['import'] as const) : (['import', 'require'] as const);
      for (const condition of conditions) {
        const entry = target[condition];
        expect(entry, `${subpath} ${condition}`).toBeDefined();
        expect(Object.keys(entry ?? {})[0], `${subpath} ${condition}: types must come first`).toBe(
          'types',
        );
        for (const file of [entry?.types, entry?.default]) {
          expect(existsSync(path.join(packageRoot, file ?? '')), `${subpath} → ${file}`).toBe(true);
        }
      }
    }
  });

  it.runIf(built)(
    'loads every entry with import and with require',
    async () => {
      const script = (kind: 'esm' | 'cjs') =>
        Object.entries(expectedExports)
          .filter(([specifier]) => kind === 'esm' || specifier !== '@parley/core/testing')
          .map(([specifier, names]) => {
            const load =
              kind === 'esm' ? `await import('${specifier}')` : `require('${specifier}')`;
            return `{ const m = ${load}; for (const n of ${JSON.stringify(names)}) if (!(n in m)) throw new Error('${specifier} (${kind}) lacks ' + n); }`;
          })
          .join('\n');
      // Self-referencing the package by name from its own folder resolves through "exports",
      // exactly as a user's project would (the source condition is not set here).
      await run(
        process.execPath,
        ['--input-type=module', '-e', `${script('esm')}\nconsole.log('ok')`],
        { cwd: packageRoot },
      );
      await run(
        process.execPath,
        ['--input-type=commonjs', '-e', `${script('cjs')}\nconsole.log('ok')`],
        { cwd: packageRoot },
      );
    },
    60_000,
  );

  it.runIf(built)('keeps drivers, HTTP frameworks and React out of the main entry', () => {
    for (const entry of ['dist/index.js', 'dist/index.cjs', 'dist/protocol/index.js']) {
      const imports = [...collectBareImports(path.join(packageRoot, entry))];
      expect(
        imports.filter((specifier) => forbiddenInMainEntry.test(specifier)),
        entry,
      ).toEqual([]);
    }
    // The check itself must see a driver where there is one.
    expect([...collectBareImports(path.join(packageRoot, 'dist/postgres/index.js'))]).toContain(
      'pg',
    );
    expect(
      [...collectBareImports(path.join(packageRoot, 'dist/mcp/index.js'))].filter((specifier) =>
        forbiddenInMainEntry.test(specifier),
      ),
    ).toContain('@modelcontextprotocol/sdk/client/index.js');
  });

  it.runIf(built)('loads each driver only from its own entry point', () => {
    for (const [entry, ownDriver] of Object.entries(driverOfEntry)) {
      for (const extension of ['js', 'cjs']) {
        const file = `dist/${entry}/index.${extension}`;
        const imports = [...collectBareImports(path.join(packageRoot, file))];
        const drivers = imports.filter((specifier) => driverModules.includes(specifier));
        expect(drivers, file).toEqual(ownDriver ? [ownDriver] : []);
      }
    }
  });

  it.runIf(built)('lets a postgres-js host require its entry without loading pg', async () => {
    const script = `
      require('@parley/core/postgres-js');
      require('@parley/core/schema');
      require('@parley/core');
      const loaded = Object.keys(require.cache);
      const pg = loaded.filter((file) => /[\\/]node_modules[\\/](pg|pg-pool|@electric-sql[\\/]pglite)[\\/]/.test(file));
      if (pg.length > 0) throw new Error('loaded ' + pg.join(', '));
      if (!loaded.some((file) => /[\\/]node_modules[\\/]postgres[\\/]/.test(file))) throw new Error('postgres-js was not loaded');
      console.log('ok');`;
    const { stdout } = await run(process.execPath, ['--input-type=commonjs', '-e', script], {
      cwd: packageRoot,
    });
    expect(stdout.trim()).toBe('ok');
  });
});

/** The database drivers, each an optional peer dependency. */
const driverModules = ['pg', 'postgres', '@electric-sql/pglite'];
/** The one driver each entry may load (none for the driver-free ones). */
const driverOfEntry: Record<string, string | null> = {
  postgres: 'pg',
  'postgres-js': 'postgres',
  pglite: '@electric-sql/pglite',
  drizzle: null,
  schema: null,
  auth: null,
  protocol: null,
};

describe('the sources', () => {
  it('keep drivers, HTTP frameworks and React out of the main entry and the protocol', () => {
    const resolveSource = (file: string) =>
      existsSync(file) ? file : existsSync(`${file}.ts`) ? `${file}.ts` : `${file}/index.ts`;
    for (const entry of ['src/index.ts', 'src/protocol/index.ts']) {
      const seen = new Set<string>();
      const bare = new Set<string>();
      const pending = [path.join(packageRoot, entry)];
      while (pending.length > 0) {
        const file = resolveSource(pending.pop() as string);
        if (seen.has(file)) continue;
        seen.add(file);
        const source = readFileSync(file, 'utf8');
        for (const match of source.matchAll(/\bfrom\s*["']([^"']+)["']/g)) {
          const specifier = match[1] as string;
          if (specifier.startsWith('.')) pending.push(path.resolve(path.dirname(file), specifier));
          else bare.add(specifier);
        }
      }
      expect(
        [...bare].filter((specifier) => forbiddenInMainEntry.test(specifier)),
        entry,
      ).toEqual([]);
      if (entry === 'src/protocol/index.ts') expect([...bare].sort()).toEqual(['zod']);
    }
  });
});
