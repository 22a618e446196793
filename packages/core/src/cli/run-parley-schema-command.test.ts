import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParleySchema } from '../schema/create-parley-schema';
import { createHostProject, type HostProject } from '../schema/test-support/create-host-project';
import { runParleySchemaCommand } from './run-parley-schema-command';

function captureIo(cwd: string) {
  const output = { stdout: [] as string[], stderr: [] as string[] };
  return {
    output,
    io: {
      cwd,
      stdout: (line: string) => output.stdout.push(line),
      stderr: (line: string) => output.stderr.push(line),
    },
  };
}

describe('the parley-schema command', () => {
  let project: HostProject;
  beforeAll(async () => {
    project = await createHostProject();
  });
  afterAll(() => project?.remove());

  it('writes a file exporting every table of createParleySchema() at the top level', async () => {
    const module = (await import(path.join(project.directory, 'parley-schema.ts'))) as Record<
      string,
      unknown
    >;
    // What drizzle-kit sees: the module's top-level exports that are tables.
    const exportedTables = Object.values(module).filter((value) => is(value, PgTable));
    const expectedNames = Object.values(createParleySchema()).map(
      (table) => getTableConfig(table).name,
    );
    expect(exportedTables.map((table) => getTableConfig(table as PgTable).name).sort()).toEqual(
      expectedNames.sort(),
    );
    // The whole schema for run time, made of the very same table objects.
    const schema = module.parley as Record<string, PgTable>;
    expect(Object.keys(schema)).toEqual(Object.keys(createParleySchema()));
    expect(new Set(exportedTables)).toEqual(new Set(Object.values(schema)));
    expect(module.parleyGuidelineRelationship).toBe(schema.guidelineRelationship);
    // Foreign keys to the host's tables.
    const agentTargets = getTableConfig(schema.agent as PgTable).foreignKeys.map(
      (key) => getTableConfig(key.reference().foreignTable).name,
    );
    expect(agentTargets.sort()).toEqual(['user', 'workspace']);
    const linkTargets = getTableConfig(schema.agentKnowledgeBase as PgTable).foreignKeys.map(
      (key) => getTableConfig(key.reference().foreignTable).name,
    );
    expect(linkTargets.sort()).toEqual(['knowledge_base', 'parley_agent', 'workspace']);
  });

  it('quotes its own command in the header, and --check passes on the file it wrote', async () => {
    const text = await readFile(path.join(project.directory, 'parley-schema.ts'), 'utf8');
    expect(text).toContain(`npx parley-schema ${project.schemaCommand.join(' ')}`);
    const { io, output } = captureIo(project.directory);
    expect(await runParleySchemaCommand([...project.schemaCommand, '--check'], io)).toBe(0);
    expect(output.stdout).toEqual(['parley-schema.ts is up to date']);
  });

  it('--check accepts the file after a formatter rewrote it', async () => {
    const file = path.join(project.directory, 'parley-schema.ts');
    const text = await readFile(file, 'utf8');
    const reformatted = text
      .replaceAll("'", '"')
      .replace('export const {\n', 'export const {')
      .replaceAll(',\n  ', ', ');
    await writeFile(file, reformatted);
    try {
      const { io, output } = captureIo(project.directory);
      expect(await runParleySchemaCommand([...project.schemaCommand, '--check'], io)).toBe(0);
      expect(output.stderr).toEqual([]);
    } finally {
      await writeFile(file, text);
    }
  });

  it('--check fails on a file that misses a table, saying what to run', async () => {
    const file = path.join(project.directory, 'parley-schema.ts');
    const text = await readFile(file, 'utf8');
    // As a file written by a version of Parley without the event table would be.
    await writeFile(file, text.replace('  event: parleyEvent,\n', ''));
    const { io, output } = captureIo(project.directory);
    try {
      expect(await runParleySchemaCommand([...project.schemaCommand, '--check'], io)).toBe(1);
      expect(output.stderr.join('\n')).toContain('does not export the tables event (parleyEvent)');
      expect(output.stderr.join('\n')).toContain(
        `Run \`npx parley-schema ${project.schemaCommand.join(' ')}\``,
      );
      expect(output.stderr.join('\n')).toContain('drizzle-kit generate');
    } finally {
      await writeFile(file, text);
    }
    const missing = captureIo(project.directory);
    expect(await runParleySchemaCommand(['--out', 'elsewhere.ts', '--check'], missing.io)).toBe(1);
    expect(missing.output.stderr.join('\n')).toContain('does not exist');
  });

  it('writes the prefix and export name asked for, without references when none are given', async () => {
    const { io } = captureIo(project.directory);
    expect(
      await runParleySchemaCommand(
        ['--out', 'db/standalone.ts', '--prefix', 'sim_parley_', '--name', 'simParley'],
        io,
      ),
    ).toBe(0);
    const text = await readFile(path.join(project.directory, 'db', 'standalone.ts'), 'utf8');
    expect(text).toContain("prefix: 'sim_parley_',");
    expect(text).toContain('export const simParley = createParleySchema({');
    expect(text).toContain('  agentKey: simParleyAgentKey,');
    expect(text).not.toContain('references');
    expect(text).not.toMatch(/from '\.\/schema'/);
  });

  it('refuses what it cannot write, with usage', async () => {
    const cases: string[][] = [
      [],
      ['--out', 'x.ts', '--user', 'schema-without-export'],
      ['--out', 'x.ts', '--user', './schema#not-an-identifier'],
      ['--out', 'x.ts', '--unknown'],
    ];
    for (const args of cases) {
      const { io, output } = captureIo(project.directory);
      expect(await runParleySchemaCommand(args, io), args.join(' ')).toBe(2);
      expect(output.stderr.join('\n')).toMatch(/parley-schema/);
    }
    const help = captureIo(project.directory);
    expect(await runParleySchemaCommand(['--help'], help.io)).toBe(0);
    expect(help.output.stdout.join('\n')).toContain('Usage: parley-schema --out <file>');
  });
});
