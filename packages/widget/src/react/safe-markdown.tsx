import Markdown, { type MarkdownToJSX } from 'markdown-to-jsx';
import { type AnchorHTMLAttributes, type HTMLAttributes, memo, useMemo } from 'react';
import { defaultStrings } from './strings';

/** Properties of {@link SafeMarkdown}. */
export interface SafeMarkdownProps {
  text: string;
  /** The text is still being written: a fence not yet whole is held back (no flicker). */
  streaming?: boolean;
  /** The accessible name of a code block; default `defaultStrings.codeBlock` ("Code"). */
  codeLabel?: string;
}

const allowedLink = /^(https?:|mailto:)/i;

/** A link target the widget lets through: absolute http(s) and mailto, nothing else. */
export function isAllowedLink(target: string | undefined | null): target is string {
  return typeof target === 'string' && allowedLink.test(target.trim());
}

/**
 * Links open in a new tab without handing the page a reference to ours; any other scheme
 * (`javascript:`, `data:`, relative paths that would resolve against the host page) is
 * rendered as its text alone.
 */
function SafeLink({ href, children, title }: AnchorHTMLAttributes<HTMLAnchorElement>) {
  if (!isAllowedLink(href)) return <span>{children}</span>;
  return (
    <a href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

/**
 * Images in a reply are shown as links: an agent's text must not make the customer's browser
 * fetch from a third party just by being displayed.
 */
function ImageAsLink({ src, alt }: { src?: string; alt?: string }) {
  const label = alt || src || '';
  return <SafeLink href={src}>{label}</SafeLink>;
}

/**
 * A code block scrolls sideways rather than wrap: it takes the focus (Tab), so a keyboard can
 * scroll it with the arrow keys, and is a named group, so a screen reader says what has it.
 * A group, not a region: replies with several blocks would otherwise fill the landmarks list.
 */
function CodeBlock({ children, label }: HTMLAttributes<HTMLPreElement> & { label?: string }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling block must take the focus (WCAG 2.1.1)
    // biome-ignore lint/a11y/useSemanticElements: a code block is a pre; the role only names it
    <pre tabIndex={0} role="group" aria-label={label}>
      {children}
    </pre>
  );
}

const markdownOptions = (codeLabel: string): MarkdownToJSX.Options => ({
  // Raw HTML in a reply is shown as text, never parsed into elements.
  disableParsingRawHTML: true,
  forceBlock: true,
  forceWrapper: true,
  wrapper: 'div',
  sanitizer: (value) => (isAllowedLink(value) ? value : null),
  overrides: {
    a: { component: SafeLink },
    img: { component: ImageAsLink },
    pre: { component: CodeBlock, props: { label: codeLabel } },
    // Elements a reply has no business creating, even if the parser let one through.
    script: { component: 'span' },
    style: { component: 'span' },
    iframe: { component: 'span' },
    object: { component: 'span' },
    embed: { component: 'span' },
    form: { component: 'span' },
    input: { component: 'span' },
  },
});

/**
 * A message's markdown as React elements: paragraphs, emphasis, lists, links, quotes, tables,
 * inline code and fenced code blocks (each reachable by keyboard, see `CodeBlock`), with no raw
 * HTML and only safe links. Memoized on the text, so a finished message never re-parses while
 * another one streams.
 */
export const SafeMarkdown = memo(function SafeMarkdown({
  text,
  streaming,
  codeLabel = defaultStrings.codeBlock,
}: SafeMarkdownProps) {
  const source = streaming ? withoutPartialFence(text) : text;
  const options = useMemo(() => markdownOptions(codeLabel), [codeLabel]);
  return (
    <div className="parley-markdown">
      <Markdown options={options}>{source}</Markdown>
    </div>
  );
});

/** A last line that is only the start of a code fence: one or two backticks or tildes. */
const partialFence = /(^|\n) {0,3}(`{1,2}|~{1,2})$/;

/**
 * While a reply streams, a code fence arrives a character at a time: parsed as it is, its
 * first backticks show as text (or as the start of inline code) and then vanish into a code
 * block when the third one lands, which is the flicker users see elsewhere. Until the fence
 * is whole, it is left out. (An unclosed fence already renders as a code block to the end of
 * the text, so the block itself stays in place while its content streams.)
 */
export function withoutPartialFence(text: string): string {
  const match = partialFence.exec(text);
  return match ? text.slice(0, match.index) : text;
}
