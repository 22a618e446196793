import { describe, expect, it } from 'vitest';
import { maximumSources, readMessageSources } from './read-message-sources';

describe('readMessageSources', () => {
  it('keeps titled sources in citation order, numbered from 1, with their http(s) address or none', () => {
    expect(
      readMessageSources([
        { title: 'Returns policy', url: 'https://shop.example/returns', passageId: 'p-7' },
        { title: 'Shipping times', url: 'http://shop.example/shipping?zone=eu#times' },
        { title: 'Warehouse handbook', retrieverId: 'handbook' },
      ]),
    ).toEqual([
      { number: 1, title: 'Returns policy', url: 'https://shop.example/returns' },
      { number: 2, title: 'Shipping times', url: 'http://shop.example/shipping?zone=eu#times' },
      { number: 3, title: 'Warehouse handbook', url: null },
    ]);
  });

  it('never keeps a javascript:, data: or relative address, and leaves that source out whole', () => {
    const hostile = [
      'javascript:alert(document.cookie)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'mailto:someone@example.com',
      'ftp://files.example/report.pdf',
      '//evil.example/path',
      '/relative/path',
      'not a url',
      '',
    ];
    const sources = readMessageSources([
      { title: 'Safe', url: 'https://docs.example/a' },
      ...hostile.map((url) => ({ title: `Hostile ${url}`, url })),
      { title: 'Also safe', url: 'https://docs.example/b' },
    ]);
    expect(sources).toEqual([
      { number: 1, title: 'Safe', url: 'https://docs.example/a' },
      // The source after the refused ones keeps its number: the reply's [13] is still it.
      { number: hostile.length + 2, title: 'Also safe', url: 'https://docs.example/b' },
    ]);
  });

  it('leaves out a source without a title, keeping the numbers of the others', () => {
    expect(
      readMessageSources([
        { url: 'https://docs.example/untitled' },
        { title: '', url: 'https://docs.example/empty' },
        { title: '   ' },
        { title: 42, url: 'https://docs.example/number' },
        { title: '  Size guide  ', url: 'https://docs.example/sizes' },
      ]),
    ).toEqual([{ number: 5, title: 'Size guide', url: 'https://docs.example/sizes' }]);
  });

  it('reads the address as parsed, so what is rendered is what was checked', () => {
    expect(readMessageSources([{ title: 'Shop', url: 'HTTPS://Shop.Example' }])).toEqual([
      { number: 1, title: 'Shop', url: 'https://shop.example/' },
    ]);
  });

  it('refuses an address longer than the protocol allows, and cuts a title longer than it allows', () => {
    const long = `https://docs.example/${'a'.repeat(2000)}`;
    expect(readMessageSources([{ title: 'Long', url: long }])).toEqual([]);
    const [source] = readMessageSources([{ title: 'T'.repeat(600) }]);
    expect(source?.title).toHaveLength(500);
  });

  it(`shows at most ${maximumSources} sources, the first ones`, () => {
    const sent = Array.from({ length: 25 }, (_, index) => ({ title: `Source ${index + 1}` }));
    const sources = readMessageSources(sent);
    expect(sources).toHaveLength(maximumSources);
    expect(sources.at(-1)).toEqual({ number: 20, title: 'Source 20', url: null });
  });

  it('reads anything but an array of objects as no sources', () => {
    for (const value of [undefined, null, 'https://docs.example', { title: 'x' }, 3]) {
      expect(readMessageSources(value)).toEqual([]);
    }
    expect(readMessageSources([null, 'Returns policy', ['x'], { title: 'Kept' }])).toEqual([
      { number: 4, title: 'Kept', url: null },
    ]);
  });
});
