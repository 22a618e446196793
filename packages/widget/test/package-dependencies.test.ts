import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * What a site gets when it installs `@parley/widget`: its runtime dependencies and theirs. None
 * of the server's libraries (a database driver, the token library, the validation library,
 * Parley's core package) may be among them, and each must declare support for the oldest Node
 * the project supports (so an install on Node 20 prints no engine warning).
 */

const packageDirectory = path.join(import.meta.dirname, '..');
/** The oldest Node the project supports (the root package's `engines.node`). */
const oldestNode = '20.19.0';
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

type Version = [number, number, number];

function parseVersion(text: string): Version {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`Not a version this check reads: "${text}"`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

function compare(left: Version, right: Version): number {
  for (let index = 0; index < 3; index += 1) {
    const difference = (left[index] as number) - (right[index] as number);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * Whether a semver range of the kinds `engines.node` uses (`>=18`, `>= 10`, `^20.19 || >=22`,
 * `>=18 <23`, `20.x`, `*`) admits `version`. Anything else throws: the check never passes by
 * not understanding a range.
 */
function admitsVersion(range: string, version: string): boolean {
  const target = parseVersion(version);
  return range.split('||').some((alternative) => {
    const comparators = alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .filter(Boolean);
    if (comparators.length === 0) return true;
    return comparators.every((comparator) => {
      if (comparator === '*' || comparator === 'x') return true;
      const match = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(comparator) as RegExpExecArray;
      const operator = match[1] ?? '=';
      const text = match[2] as string;
      if (operator === '=') {
        // `20`, `20.x`, `20.19.x`, `20.19.0`: equal in every part given.
        const parts = text.split('.');
        if (!parts.every((part) => /^(\d+|x|\*)$/.test(part)) || parts.length > 3) {
          throw new Error(`Not a version this check reads: "${text}"`);
        }
        return parts.every((part, index) => /x|\*/.test(part) || target[index] === Number(part));
      }
      const bound = parseVersion(text);
      const order = compare(target, bound);
      switch (operator) {
        case '>=':
          return order >= 0;
        case '>':
          return order > 0;
        case '<=':
          return order <= 0;
        case '<':
          return order < 0;
        case '^':
          return order >= 0 && target[0] === bound[0];
        case '~':
          return order >= 0 && target[0] === bound[0] && target[1] === bound[1];
        default:
          return order === 0;
      }
    });
  });
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
        return range !== undefined && !admitsVersion(range, oldestNode);
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
  it('reads the ranges packages declare', () => {
    expect(admitsVersion('>=18.0.0', oldestNode)).toBe(true);
    expect(admitsVersion('>= 10', oldestNode)).toBe(true);
    expect(admitsVersion('>=22.12', oldestNode)).toBe(false);
    expect(admitsVersion('>=22.12.0', oldestNode)).toBe(false);
    expect(admitsVersion('^20.19.0 || >=22.12.0', oldestNode)).toBe(true);
    expect(admitsVersion('^18 || ^22', oldestNode)).toBe(false);
    expect(admitsVersion('>=18 <20', oldestNode)).toBe(false);
    expect(admitsVersion('20.x', oldestNode)).toBe(true);
    expect(admitsVersion('*', oldestNode)).toBe(true);
    expect(() => admitsVersion('>=latest', oldestNode)).toThrow(/Not a version/);
  });
});
