import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NextConfig } from 'next';

/**
 * In this repository only: every entry of the Parley packages (`@parley/core`,
 * `@parley/core/postgres-js`, …) aliased to its TypeScript source, the file its `@parley/source`
 * export condition names. The typecheck (`customConditions`) and the other examples
 * (`tsx --conditions=@parley/source`) read the same sources, so nothing has to be built first.
 * Turbopack has no setting for extra export conditions, hence the aliases. A host that installs
 * Parley from npm leaves all of this out and gets the packages' built files.
 */
function parleySources(packages: string[]): Record<string, string> {
  const projectDir = import.meta.dirname;
  const require = createRequire(path.join(projectDir, 'package.json'));
  const aliases: Record<string, string> = {};
  for (const name of packages) {
    const manifestPath = require.resolve(`${name}/package.json`);
    const { exports } = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
      exports: Record<string, string | Record<string, unknown>>;
    };
    for (const [subpath, conditions] of Object.entries(exports)) {
      const source = typeof conditions === 'object' ? conditions['@parley/source'] : undefined;
      if (typeof source !== 'string') continue;
      // Turbopack reads an alias as relative to the project when it starts with `./`.
      const file = path.relative(projectDir, path.join(path.dirname(manifestPath), source));
      aliases[name + subpath.slice(1)] = `./${file}`;
    }
  }
  return aliases;
}

const nextConfig: NextConfig = {
  turbopack: {
    resolveAlias: parleySources(['@parley/core', '@parley/http', '@parley/widget']),
  },
};

export default nextConfig;
