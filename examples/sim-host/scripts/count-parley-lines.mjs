#!/usr/bin/env node
// `pnpm parley-lines`: how many lines of the host are there for Parley. Every line counts,
// blank and comment lines included: the files that exist only for Parley in full, and in the
// host's own files each declaration that is there for Parley, with the comment above it.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const projectDir = path.resolve(import.meta.dirname, '..');

/** The files that exist only for Parley. */
const parleyFiles = [
  ['app/api/parley/[...path]/route.ts', 'the one route file (at most 36 lines)'],
  ['db/parley-schema.ts', 'the schema file, written by `pnpm db:parley-schema`'],
  ['lib/chat-model.ts', 'the chat model, when the environment names one'],
  ['lib/knowledge.ts', "the retriever over the host's `embedding` table"],
  ['lib/workflows.ts', "the executor of the host's workflows, from the environment"],
  ['lib/sim-workflow-executor.ts', "Sim's execute route as Parley's `WorkflowExecutor`"],
  ['lib/read-sse-data-frames.ts', "the `data:` frames of that route's stream"],
  ['app/site/[workspaceId]/support-chat.tsx', "the widget on the workspace's site"],
  [
    'app/api/workspaces/[workspaceId]/parley-agent-key/route.ts',
    "saves the workspace's publishable key",
  ],
];

/** Declarations for Parley in the host's own files: a line that starts each. */
const parleyDeclarations = [
  ['db/schema.ts', /^\s+parleyAgentKey:/, 'the column `workspace.parley_agent_key`'],
  ['drizzle.config.ts', /'\.\/db\/parley-schema\.ts'/, 'the schema file in `schema`'],
  ['drizzle.config.ts', /^\s+tablesFilter:/, "`tablesFilter`, keeping Parley's ledger"],
  ['app/site/[workspaceId]/page.tsx', /from '\.\/support-chat'/, 'the import of the widget'],
  ['app/site/[workspaceId]/page.tsx', /PARLEY WIDGET/, 'the widget in the page'],
  ['app/site/[workspaceId]/page.tsx', /<SupportChat /, 'the widget in the page'],
  ['lib/workspaces.ts', /^const permissionRank/, '`hasWorkspacePermission`, for `authorize`'],
  [
    'lib/workspaces.ts',
    /^export async function hasWorkspacePermission/,
    '`hasWorkspacePermission`, for `authorize`',
  ],
];

function readLines(file) {
  return readFileSync(path.join(projectDir, file), 'utf8').replace(/\n$/, '').split('\n');
}

const indentOf = (line) => line.search(/\S/);

/**
 * The line numbers of the declaration that starts at `index`: the comment right above it, its
 * own line, and the lines after it that are indented deeper, up to its closing bracket.
 */
function declarationAt(lines, index) {
  const indent = indentOf(lines[index]);
  let start = index;
  while (start > 0 && /^\s*(\/\*\*|\*|\/\/|\{\/\*)/.test(lines[start - 1])) start -= 1;
  let end = index;
  while (end + 1 < lines.length) {
    const next = lines[end + 1];
    const deeper = indentOf(next) > indent;
    const closing = indentOf(next) === indent && /^\s*[)}\]]/.test(next);
    if (!deeper && !closing) break;
    end += 1;
  }
  return Array.from({ length: end - start + 1 }, (_, offset) => start + offset);
}

/** The line counts: `{ files: [{ file, lines, what }], declarations: [...], total }`. */
export function countParleyLines() {
  const files = parleyFiles.map(([file, what]) => ({ file, lines: readLines(file).length, what }));
  const byFile = new Map();
  for (const [file, pattern, what] of parleyDeclarations) {
    const lines = readLines(file);
    const index = lines.findIndex((line) => pattern.test(line));
    if (index === -1) throw new Error(`${file}: no line matches ${pattern}`);
    const entry = byFile.get(file) ?? { file, counted: new Set(), what: [] };
    for (const number of declarationAt(lines, index)) entry.counted.add(number);
    if (!entry.what.includes(what)) entry.what.push(what);
    byFile.set(file, entry);
  }
  const declarations = [...byFile.values()].map(({ file, counted, what }) => ({
    file,
    lines: counted.size,
    what: what.join('; '),
  }));
  const total = [...files, ...declarations].reduce((sum, entry) => sum + entry.lines, 0);
  return { files, declarations, total };
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const { files, declarations, total } = countParleyLines();
  const width = Math.max(...[...files, ...declarations].map((entry) => entry.file.length));
  const row = (entry) =>
    `  ${entry.file.padEnd(width)}  ${String(entry.lines).padStart(3)}  ${entry.what}`;
  console.log('Files that exist only for Parley:');
  for (const entry of files) console.log(row(entry));
  console.log("Lines for Parley in the host's own files:");
  for (const entry of declarations) console.log(row(entry));
  const generated = files.find((entry) => entry.file === 'db/parley-schema.ts')?.lines ?? 0;
  console.log(`Total: ${total} lines, ${total - generated} of them written by hand.`);
}
