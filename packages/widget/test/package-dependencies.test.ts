import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * What a site gets when it installs `@parley/widget`: its runtime dependencies and theirs. None
 * of the server's libraries (a database driver, the token library, the validation library,
 * Parley's core package) may be among them, and each must declare support for the oldest Node
 * the project supports (so an install on Node 20 prints no engine warning).
 */

const packageDirectory = path.join(import.meta.dirname, '..');
/** The oldest Node the project supports: the lowest the root package's `engines.node` admits. */
const oldestNode = (
  semver.minVersion(
    (
      JSON.parse(readFileSync(path.join(packageDirectory, '..', '..', 'package.json'), 'utf8')) as {
        engines?: { node?: string };
      }
    ).engines?.node ?? '',
  ) as semver.SemVer
).version;
const serverOnly = ['@parley/core', 'drizzle-orm', 'jose', 'zod', 'pg', '@electric-sql/pglite'];

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  engines?: { node?: string };
}

const readPackageJson = (directory: string): PackageJson =>
  JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as PackageJson;

/** Where Node would find `name` from `directory`: the nearest `node_modules/<name>` upwards. */
function findPackage(name: string, directory: string): string {
  for (let current = directory; ; current = path.dirname(current)) {
    const candidate = path.join(current, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(current) === current) {
      throw new Error(`${name} is not installed (looked upwards from ${directory})`);
    }
  }
}

/** Every package installed for the widget at run time, its dependencies' too. */
function runtimeClosure(): PackageJson[] {
  const seen = new Map<string, PackageJson>();
  const visit = (directory: string) => {
    const manifest = readPackageJson(directory);
    for (const name of Object.keys(manifest.dependencies ?? {})) {
      const found = findPackage(name, directory);
      if (seen.has(found)) continue;
      seen.set(found, readPackageJson(found));
      visit(found);
    }
  };
  visit(packageDirectory);
  return [...seen.values()];
}

describe('the widget package', () => {
  it('has no server library among its runtime dependencies, nor among theirs', () => {
    const direct = Object.keys(readPackageJson(packageDirectory).dependencies ?? {});
    expect(direct.filter((name) => serverOnly.includes(name))).toEqual([]);
    const installed = runtimeClosure().map((manifest) => manifest.name);
    expect(installed.length).toBeGreaterThanOrEqual(direct.length);
    expect(installed.filter((name) => serverOnly.includes(name))).toEqual([]);
  });

  it(`has only runtime dependencies whose engines admit Node ${oldestNode}`, () => {
    const refusing = runtimeClosure()
      .filter((manifest) => {
        const range = manifest.engines?.node;
        return range !== undefined && !semver.satisfies(oldestNode, range);
      })
      .map((manifest) => `${manifest.name}@${manifest.version} (node ${manifest.engines?.node})`);
    expect(refusing).toEqual([]);
  });

  it('imports nothing from @parley/core in the code and types it ships', () => {
    const shipped: string[] = [];
    const walk = (directory: string) => {
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        const full = path.join(directory, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.tsx?$/.test(entry.name) && !/\.(test|stories)\.tsx?$/.test(entry.name)) {
          shipped.push(full);
        }
      }
    };
    walk(path.join(packageDirectory, 'src'));
    expect(shipped.length).toBeGreaterThan(20);
    const importing = shipped.filter((file) =>
      /\bfrom\s+['"]@parley\/core|import\(\s*['"]@parley\/core/.test(readFileSync(file, 'utf8')),
    );
    expect(importing.map((file) => path.relative(packageDirectory, file))).toEqual([]);
  });
});

describe('the engines check', () => {
  it('starts from the root package’s oldest Node, and refuses what the widget once shipped', () => {
    expect(oldestNode).toBe('20.19.0');
    // eventsource-parser 4.1.3 declared this: on Node 20 its install warned.
    expect(semver.satisfies(oldestNode, '>=22.12')).toBe(false);
  });
});
