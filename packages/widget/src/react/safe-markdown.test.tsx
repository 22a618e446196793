// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SafeMarkdown, withoutPartialFence } from './safe-markdown';

afterEach(cleanup);

describe('SafeMarkdown', () => {
  it('renders paragraphs, emphasis, lists, inline code and fenced code blocks', () => {
    const { container } = render(
      <SafeMarkdown
        text={
          'Hello **there**.\n\n- one\n- two\n\nUse `npm`:\n\n```sh\nnpm install\necho done\n```'
        }
      />,
    );
    expect(container.querySelector('strong')?.textContent).toBe('there');
    expect(container.querySelectorAll('li')).toHaveLength(2);
    const block = container.querySelector('pre code');
    expect(block?.textContent?.trimEnd()).toBe('npm install\necho done');
    expect(container.querySelector('p code')?.textContent).toBe('npm');
  });

  it('lets the keyboard reach a code block, which scrolls sideways, and names it', () => {
    const wide = `const line = "${'x'.repeat(300)}";`;
    const { container } = render(
      <SafeMarkdown
        text={`Before\n\n\`\`\`js\n${wide}\n\`\`\`\n\nafter`}
        codeLabel="Code sample"
      />,
    );
    const block = container.querySelector('pre') as HTMLPreElement;
    expect(block.tabIndex).toBe(0);
    expect(block.getAttribute('role')).toBe('group');
    expect(screen.getByRole('group', { name: 'Code sample' })).toBe(block);
    block.focus();
    expect(document.activeElement).toBe(block);
    expect(block.querySelector('code')?.textContent?.trimEnd()).toBe(wide);
  });

  it('names a code block "Code" by default', () => {
    render(<SafeMarkdown text={'```\nls -la\n```'} />);
    expect(screen.getByRole('group', { name: 'Code' }).tagName).toBe('PRE');
  });

  it('shows raw HTML as text and never creates its elements', () => {
    const { container } = render(
      <SafeMarkdown
        text={
          'Hi <script>window.hacked = true</script> <img src=x onerror="alert(1)"> <b onclick="x()">bold</b>\n\n<iframe src="https://evil.example"></iframe>\n\n<div style="position:fixed">cover</div>'
        }
      />,
    );
    for (const tag of [
      'script',
      'img',
      'b',
      'iframe',
      'div div',
      '[onerror]',
      '[onclick]',
      '[style]',
    ]) {
      expect(container.querySelector(`.parley-markdown ${tag}`), tag).toBeNull();
    }
    expect(container.textContent).toContain('<script>');
    expect(container.textContent).toContain('onerror');
    expect((window as { hacked?: boolean }).hacked).toBeUndefined();
  });

  it('refuses javascript:, data: and relative links, and opens http(s) and mailto links safely', () => {
    const { container } = render(
      <SafeMarkdown
        text={
          '[bad](javascript:alert(1)) [encoded](jav&#x61;script:alert(1)) [data](data:text/html,<b>x</b>) [relative](/admin) [web](https://example.com/a) [mail](mailto:help@example.com) <https://auto.example.com>'
        }
      />,
    );
    const links = [...container.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://example.com/a',
      'mailto:help@example.com',
      'https://auto.example.com',
    ]);
    for (const link of links) {
      expect(link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(link.getAttribute('target')).toBe('_blank');
    }
    expect(container.textContent).toContain('bad');
    expect(container.textContent).toContain('relative');
  });

  it('shows an image as a link instead of loading it', () => {
    const { container } = render(
      <SafeMarkdown text={'![a chart](https://tracker.example/pixel.png)'} />,
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('a')?.getAttribute('href')).toBe(
      'https://tracker.example/pixel.png',
    );
    expect(container.textContent).toBe('a chart');
  });

  it('streams a code block without flicker: no stray backticks, one block element from its fence to the end', () => {
    const full = 'Run:\n\n```js\nconst a = 1;\nconst b = 2;\n```\n\nDone.';
    const { container, rerender } = render(<SafeMarkdown text="" streaming />);
    const blocks = new Set<Element>();
    for (let length = 1; length <= full.length; length++) {
      const text = full.slice(0, length);
      rerender(<SafeMarkdown text={text} streaming />);
      const block = container.querySelector('pre');
      const outside = (container.textContent ?? '').replace(block?.textContent ?? '', '');
      expect(outside, `after ${JSON.stringify(text)}`).not.toContain('`');
      if (text.includes('```')) {
        expect(block, `after ${JSON.stringify(text)}`).not.toBeNull();
        blocks.add(block!);
      }
    }
    rerender(<SafeMarkdown text={full} />);
    blocks.add(container.querySelector('pre')!);
    expect(blocks.size).toBe(1);
    expect(container.querySelector('pre code')?.textContent?.trimEnd()).toBe(
      'const a = 1;\nconst b = 2;',
    );
    expect(container.textContent).toContain('Done.');
  });
});

describe('withoutPartialFence', () => {
  it('holds back a last line of one or two fence characters, and nothing else', () => {
    expect(withoutPartialFence('Run:\n\n`')).toBe('Run:\n');
    expect(withoutPartialFence('``')).toBe('');
    expect(withoutPartialFence('code\n  ~~')).toBe('code');
    expect(withoutPartialFence('Run:\n\n```')).toBe('Run:\n\n```');
    expect(withoutPartialFence('Use `npm')).toBe('Use `npm');
    expect(withoutPartialFence('plain text')).toBe('plain text');
  });
});
