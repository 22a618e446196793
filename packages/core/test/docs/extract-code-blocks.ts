/**
 * Reads the fenced code blocks of a markdown guide, with the `doc-test` directive written in an
 * HTML comment right above each one (invisible on GitHub):
 *
 * ````md
 * <!-- doc-test: typecheck -->
 * ```ts
 * …
 * ```
 * ````
 *
 * Directives, for `ts` blocks (every other language is left alone):
 * - none: the block is a complete program, typechecked and run;
 * - `model=<fixture>`: the same, with the fake OpenAI server answering as the named fixture
 *   scripts it (the block uses `createOpenAIChatModel`);
 * - `typecheck`: a fragment, typechecked only (it may `declare` what it leaves out);
 * - `skip: <reason>`: neither, for the rare block that cannot even typecheck; the reason is
 *   required.
 * An unknown directive throws, so a typo cannot quietly take a block out of the tests.
 */

/** What the test does with a block. */
export type DocTestMode = 'run' | 'typecheck' | 'skip';

/** A fenced code block of the guide. */
export interface CodeBlock {
  /** The info string's first word, e.g. `ts`, `sh`; empty when there is none. */
  language: string;
  /** The code, its fence's indentation removed. */
  code: string;
  /** 1-based line, in the markdown file, of the code's first line. */
  line: number;
  /** The nearest heading above the block, for test names. */
  heading: string;
  mode: DocTestMode;
  /** The fake-model fixture a `model=` block runs with. */
  model: string | null;
  /** Why a `skip` block is skipped. */
  reason: string | null;
}

/** Languages the test runs or typechecks. */
export const typescriptLanguages = new Set(['ts', 'typescript']);

const fencePattern = /^( *)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const directivePattern = /^\s*<!--\s*doc-test:\s*(.*?)\s*-->\s*$/;

function parseDirective(text: string, line: number): Pick<CodeBlock, 'mode' | 'model' | 'reason'> {
  if (text === 'typecheck') return { mode: 'typecheck', model: null, reason: null };
  const skip = /^skip:\s*(\S.*)$/.exec(text);
  if (skip) return { mode: 'skip', model: null, reason: skip[1] as string };
  const model = /^model=([a-z0-9-]+)$/.exec(text);
  if (model) return { mode: 'run', model: model[1] as string, reason: null };
  throw new Error(
    `line ${line}: unknown doc-test directive "${text}" (use "typecheck", "skip: <reason>" or "model=<fixture>")`,
  );
}

/** Every fenced code block of `markdown`, in order, with its directive. */
export function extractCodeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  let heading = '';
  for (let index = 0; index < lines.length; index += 1) {
    const text = lines[index] as string;
    const headingMatch = /^#{1,6}\s+(.*)$/.exec(text);
    if (headingMatch) {
      heading = (headingMatch[1] as string).trim();
      continue;
    }
    const fence = fencePattern.exec(text);
    if (!fence) continue;
    const indent = (fence[1] as string).length;
    const marker = fence[2] as string;
    const language = (fence[3] as string).toLowerCase();
    const start = index + 1;
    let end = start;
    while (end < lines.length) {
      const candidate = (lines[end] as string).trimStart();
      if (candidate.startsWith(marker) && candidate.slice(marker.length).trim() === '') break;
      end += 1;
    }
    if (end >= lines.length) throw new Error(`line ${index + 1}: code block is never closed`);
    const code = lines
      .slice(start, end)
      .map((codeLine) =>
        codeLine.slice(Math.min(indent, codeLine.length - codeLine.trimStart().length)),
      )
      .join('\n');
    // The directive is the nearest non-blank line above the fence, when it is one.
    let above = index - 1;
    while (above >= 0 && (lines[above] as string).trim() === '') above -= 1;
    const directive = above >= 0 ? directivePattern.exec(lines[above] as string) : null;
    if (directive && !typescriptLanguages.has(language)) {
      throw new Error(
        `line ${above + 1}: a doc-test directive above a ${language || 'plain'} block`,
      );
    }
    blocks.push({
      language,
      code: `${code}\n`,
      line: start + 1,
      heading,
      ...(directive
        ? parseDirective(directive[1] as string, above + 1)
        : { mode: 'run' as const, model: null, reason: null }),
    });
    index = end;
  }
  return blocks;
}
