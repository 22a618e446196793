import { describe, expect, it } from 'vitest';
import { extractCodeBlocks } from './extract-code-blocks';

const fence = '```';

describe('extractCodeBlocks', () => {
  it('reads each block with its language, line, heading and directive', () => {
    const markdown = [
      '# Guide', // 1
      '', // 2
      `${fence}ts`, // 3
      'const a = 1;', // 4
      fence, // 5
      '## Fragments', // 6
      '<!-- doc-test: typecheck -->', // 7
      '', // 8
      `${fence}ts title="x"`, // 9
      'declare const b: number;', // 10
      fence, // 11
      '<!-- doc-test: model=order-status -->', // 12
      `${fence}typescript`, // 13
      'run();', // 14
      fence, // 15
      '<!-- doc-test: skip: needs PostgreSQL -->', // 16
      `${fence}ts`, // 17
      'connect();', // 18
      fence, // 19
      `${fence}sh`, // 20
      '# not a heading', // 21
      fence, // 22
    ].join('\n');
    expect(extractCodeBlocks(markdown)).toEqual([
      {
        language: 'ts',
        code: 'const a = 1;\n',
        line: 4,
        heading: 'Guide',
        mode: 'run',
        model: null,
        reason: null,
      },
      {
        language: 'ts',
        code: 'declare const b: number;\n',
        line: 10,
        heading: 'Fragments',
        mode: 'typecheck',
        model: null,
        reason: null,
      },
      {
        language: 'typescript',
        code: 'run();\n',
        line: 14,
        heading: 'Fragments',
        mode: 'run',
        model: 'order-status',
        reason: null,
      },
      {
        language: 'ts',
        code: 'connect();\n',
        line: 18,
        heading: 'Fragments',
        mode: 'skip',
        model: null,
        reason: 'needs PostgreSQL',
      },
      {
        language: 'sh',
        code: '# not a heading\n',
        line: 21,
        heading: 'Fragments',
        mode: 'run',
        model: null,
        reason: null,
      },
    ]);
  });

  it('removes the indentation of a block inside a list item', () => {
    const markdown = [
      '1. Step',
      '',
      `   ${fence}ts`,
      '   if (x) {',
      '     y();',
      '   }',
      `   ${fence}`,
    ];
    expect(extractCodeBlocks(markdown.join('\n'))[0]?.code).toBe('if (x) {\n  y();\n}\n');
  });

  it('refuses an unknown directive, a skip without a reason and an unclosed block', () => {
    expect(() =>
      extractCodeBlocks(`<!-- doc-test: typecheck-only -->\n${fence}ts\nx\n${fence}`),
    ).toThrow('line 1: unknown doc-test directive "typecheck-only"');
    expect(() => extractCodeBlocks(`<!-- doc-test: skip -->\n${fence}ts\nx\n${fence}`)).toThrow(
      'unknown doc-test directive "skip"',
    );
    expect(() => extractCodeBlocks(`${fence}ts\nconst a = 1;\n`)).toThrow(
      'line 1: code block is never closed',
    );
  });

  it('refuses a directive above a block that is not TypeScript', () => {
    expect(() =>
      extractCodeBlocks(`<!-- doc-test: typecheck -->\n${fence}sh\nls\n${fence}`),
    ).toThrow('a doc-test directive above a sh block');
  });
});
