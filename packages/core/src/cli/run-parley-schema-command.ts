import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ParleyError } from '../errors/parley-error';
import {
  findStaleParleySchemaFile,
  type HostTableImport,
  renderParleySchemaFile,
} from '../schema/render-parley-schema-file';

/** Where the command reads and writes; the process's by default, a test's in tests. */
export interface CommandIo {
  cwd: string;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

const usage = `Usage: parley-schema --out <file> [--workspace <module>#<export>[.<column>]]
                     [--user <module>#<export>[.<column>]]
                     [--knowledge-base <module>#<export>[.<column>]]
                     [--prefix parley_] [--name parley] [--check]

Writes the schema file that makes each of Parley's tables a top-level export of your drizzle
schema, with foreign keys to your workspace and user tables. <module> is written into the
file's import as given (relative to the file, or an alias such as @/db/schema).

  --out        the file to write, e.g. src/db/parley-schema.ts
  --workspace  your workspace table, e.g. ./schema#workspace (column default: id)
  --user       your user table, e.g. ./schema#user
  --knowledge-base
               your knowledge-base table, e.g. ./schema#knowledgeBase: an agent's links to
               knowledge bases are deleted with them
  --prefix     prefix of Parley's table names (default parley_)
  --name       the export holding the whole schema (default parley; tables: parleyAgent, ...)
  --check      write nothing; exit 1 when the file misses tables of this version (or has others)`;

/** Reads `./schema#user.id` as `{ from: './schema', name: 'user', column: 'id' }`. */
function parseTable(value: string, option: string): HostTableImport {
  const match = /^(.+)#([^#.]+)(?:\.([^#.]+))?$/.exec(value);
  if (!match) {
    throw new ParleyError(
      'validation_failed',
      `--${option} takes <module>#<export>[.<column>], e.g. ./schema#${option}; got "${value}"`,
    );
  }
  return { from: match[1] as string, name: match[2] as string, column: match[3] };
}

/**
 * The `parley-schema` command: writes (or with `--check` verifies) a host's Parley schema
 * file. Returns the exit code; never exits the process itself.
 */
export async function runParleySchemaCommand(
  args: string[],
  io: CommandIo = {
    cwd: process.cwd(),
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
  },
): Promise<number> {
  try {
    const { values } = parseArgs({
      args,
      options: {
        out: { type: 'string' },
        workspace: { type: 'string' },
        user: { type: 'string' },
        'knowledge-base': { type: 'string' },
        prefix: { type: 'string' },
        name: { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
    if (values.help) {
      io.stdout(usage);
      return 0;
    }
    if (values.out === undefined) {
      io.stderr(`parley-schema: --out is required\n\n${usage}`);
      return 2;
    }
    const command = [
      'npx parley-schema',
      `--out ${values.out}`,
      values.workspace === undefined ? '' : `--workspace ${values.workspace}`,
      values.user === undefined ? '' : `--user ${values.user}`,
      values['knowledge-base'] === undefined ? '' : `--knowledge-base ${values['knowledge-base']}`,
      values.prefix === undefined ? '' : `--prefix ${values.prefix}`,
      values.name === undefined ? '' : `--name ${values.name}`,
    ]
      .filter((part) => part.length > 0)
      .join(' ');
    const text = renderParleySchemaFile({
      workspace:
        values.workspace === undefined ? undefined : parseTable(values.workspace, 'workspace'),
      user: values.user === undefined ? undefined : parseTable(values.user, 'user'),
      knowledgeBase:
        values['knowledge-base'] === undefined
          ? undefined
          : parseTable(values['knowledge-base'], 'knowledge-base'),
      prefix: values.prefix,
      name: values.name,
      command,
    });
    const file = path.resolve(io.cwd, values.out);
    if (values.check) {
      const current = await readFile(file, 'utf8').catch(() => null);
      if (current === null) {
        io.stderr(`${values.out} does not exist: run \`${command}\``);
        return 1;
      }
      const problems = findStaleParleySchemaFile(current, {
        name: values.name,
        prefix: values.prefix,
      });
      if (problems.length === 0) {
        io.stdout(`${values.out} is up to date`);
        return 0;
      }
      io.stderr(
        `${values.out} is stale for this version of @parley/core: ${problems.join('; ')}. ` +
          `Run \`${command}\`, then \`drizzle-kit generate\` and apply your migrations.`,
      );
      return 1;
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
    io.stdout(`Wrote ${values.out}`);
    return 0;
  } catch (error) {
    io.stderr(`parley-schema: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}
