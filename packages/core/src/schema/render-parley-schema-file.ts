import { ParleyError } from '../errors/parley-error';
import { createParleySchema } from './create-parley-schema';
import { defaultPrefix } from './schema-prefix';

/** A host table Parley's tables reference, as the schema file imports it. */
export interface HostTableImport {
  /** The module to import it from, as the import statement writes it: `./schema`, `@/db/schema`. */
  from: string;
  /** The table's export name in that module: `user`. */
  name: string;
  /** The property of its id column; default `id`. */
  column?: string;
}

/** Options of {@link renderParleySchemaFile}. */
export interface ParleySchemaFileOptions {
  /** The host's user table: creator and customer user columns reference it (`on delete set null`). */
  user?: HostTableImport;
  /** The host's workspace table: every `workspace_id` references it (`on delete cascade`). */
  workspace?: HostTableImport;
  /**
   * The host's knowledge-base table (Sim's `knowledgeBase`): an agent's links to knowledge
   * bases reference it (`on delete cascade`).
   */
  knowledgeBase?: HostTableImport;
  /** Prefix of Parley's table names; default `parley_`. */
  prefix?: string;
  /** The export holding the whole schema (`parley`); each table's export is named after it (`parleyAgent`). */
  name?: string;
  /** The command that regenerates the file, quoted in its header. */
  command?: string;
}

const javascriptIdentifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A single-quoted TypeScript string literal. */
function quoted(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

function checkIdentifier(value: string, what: string): string {
  if (!javascriptIdentifier.test(value)) {
    throw new ParleyError('validation_failed', `${what} "${value}" is not a JavaScript identifier`);
  }
  return value;
}

/** The export name of one table: `parley` and `guidelineRelationship` give `parleyGuidelineRelationship`. */
export function tableExportName(schemaName: string, key: string): string {
  return `${schemaName}${key.charAt(0).toUpperCase()}${key.slice(1)}`;
}

/**
 * The text of a host's Parley schema file: it builds Parley's tables with
 * `createParleySchema({ prefix, references })` against the host's own `user` and `workspace`
 * tables, exports the whole schema for run time, and exports every table on its own, at the top
 * level, which is the only way drizzle-kit sees a table. The table list comes from this
 * version's `createParleySchema()`, so regenerating the file after an upgrade picks up new tables.
 */
export function renderParleySchemaFile(options: ParleySchemaFileOptions = {}): string {
  const name = checkIdentifier(options.name ?? 'parley', 'The schema export name');
  const prefix = options.prefix ?? defaultPrefix;
  const hostTables = {
    workspace: options.workspace,
    user: options.user,
    knowledgeBase: options.knowledgeBase,
  };
  const imports = new Map<string, Set<string>>();
  const references: string[] = [];
  for (const [role, table] of Object.entries(hostTables)) {
    if (table === undefined) continue;
    const tableName = checkIdentifier(table.name, `The ${role} table's export`);
    const column = checkIdentifier(table.column ?? 'id', `The ${role} table's id column`);
    imports.set(table.from, (imports.get(table.from) ?? new Set()).add(tableName));
    references.push(`    ${role}: () => ${tableName}.${column},`);
  }
  const keys = Object.keys(createParleySchema());
  const lines = [
    "// Parley's tables in this app's drizzle schema, each a top-level export so that drizzle-kit",
    "// generates (and pushes) them with the app's own tables. Parley's SQL routines are not in",
    `// here: \`migrate(db, { schema: ${name} })\` of @parley/core/schema applies them.`,
    "// Written by @parley/core's `parley-schema` command; run it again after upgrading:",
    ...(options.command ? [`//   ${options.command}`] : []),
    '',
    "import { createParleySchema } from '@parley/core/schema';",
    ...[...imports].map(
      ([from, names]) => `import { ${[...names].sort().join(', ')} } from ${quoted(from)};`,
    ),
    '',
    '/**',
    " * All of Parley's tables, for Parley at run time: the store's `schema` option and",
    ` * \`migrate(db, { schema: ${name} })\`.`,
    ' */',
    `export const ${name} = createParleySchema({`,
    `  prefix: ${quoted(prefix)},`,
    ...(references.length > 0 ? ['  references: {', ...references, '  },'] : []),
    '});',
    '',
    'export const {',
    ...keys.map((key) => `  ${key}: ${tableExportName(name, key)},`),
    `} = ${name};`,
    '',
  ];
  return lines.join('\n');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * What makes `text`, a host's Parley schema file, stale for this version of Parley: tables of
 * `createParleySchema()` it does not export at the top level (drizzle-kit would not create
 * them), exports of tables this version no longer has, another prefix. Empty when the file is
 * current. Reads the file's meaning, not its layout, so a formatter may rewrite it freely.
 */
export function findStaleParleySchemaFile(
  text: string,
  options: Pick<ParleySchemaFileOptions, 'name' | 'prefix'> = {},
): string[] {
  const name = options.name ?? 'parley';
  const prefix = options.prefix ?? defaultPrefix;
  const problems: string[] = [];
  const block = new RegExp(
    `export\\s+const\\s*\\{([^}]*)\\}\\s*=\\s*${escapeRegExp(name)}\\b`,
  ).exec(text);
  const exported = new Map<string, string>();
  for (const match of (block?.[1] ?? '').matchAll(/([A-Za-z_$][\w$]*)\s*:\s*([A-Za-z_$][\w$]*)/g)) {
    exported.set(match[1] as string, match[2] as string);
  }
  const keys = Object.keys(createParleySchema());
  const missing = keys.filter((key) => exported.get(key) === undefined);
  if (missing.length > 0) {
    problems.push(
      `it does not export the tables ${missing.map((key) => `${key} (${tableExportName(name, key)})`).join(', ')}`,
    );
  }
  const gone = [...exported.keys()].filter((key) => !keys.includes(key));
  if (gone.length > 0) problems.push(`it exports tables Parley no longer has: ${gone.join(', ')}`);
  if (!new RegExp(`prefix\\s*:\\s*['"\`]${escapeRegExp(prefix)}['"\`]`).test(text)) {
    problems.push(`its prefix is not ${prefix}`);
  }
  return problems;
}
