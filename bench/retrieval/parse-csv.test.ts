import { describe, expect, it } from 'vitest';
import { parseCsv } from './parse-csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text =
      'text,category\n"Hello, world",greeting\n"She said ""hi""",quote\n"two\nlines",multi\n';
    expect(parseCsv(text)).toEqual([
      ['text', 'category'],
      ['Hello, world', 'greeting'],
      ['She said "hi"', 'quote'],
      ['two\nlines', 'multi'],
    ]);
  });

  it('accepts CRLF, a byte-order mark, empty fields and no final line break', () => {
    expect(parseCsv('\ufeffa,b\r\n,x\r\n"",')).toEqual([
      ['a', 'b'],
      ['', 'x'],
      ['', ''],
    ]);
  });

  it('rejects a quote left open', () => {
    expect(() => parseCsv('a,"b\n')).toThrow(/quoted/);
  });
});
