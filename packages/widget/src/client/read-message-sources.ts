import type { ChatSource } from './chat-state';

/** The most sources one reply shows: the protocol's own limit. */
export const maximumSources = 20;
/** The protocol's longest title and address; longer titles are cut, longer addresses refused. */
const maximumTitleLength = 500;
const maximumUrlLength = 2000;

/**
 * The sources of an agent's reply as the chat shows them, read from the `sources` a message
 * event carries. The protocol promises titled entries and http(s) addresses, and the widget
 * checks again, because what it renders as a link must never be a `javascript:` or `data:`
 * address, whatever a server (an older one, a proxy, a bug) sent:
 *
 * - anything but an array is no sources; only its first {@link maximumSources} entries count;
 * - an entry without a title (a string with more than spaces) is left out;
 * - an entry whose `url` is not an absolute http or https address is left out whole, not shown
 *   as plain text: a source that came with a refused address is not one to vouch for;
 * - an entry left out keeps its number unused, so the reply's `[3]` still names the third
 *   source sent.
 *
 * The addresses kept are the parsed ones (`URL.href`): what is rendered is what was checked.
 */
export function readMessageSources(value: unknown): ChatSource[] {
  if (!Array.isArray(value)) return [];
  const sources: ChatSource[] = [];
  value.slice(0, maximumSources).forEach((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) return;
    const { title, url } = entry as { title?: unknown; url?: unknown };
    if (typeof title !== 'string' || title.trim() === '') return;
    const address = url === undefined || url === null ? null : httpAddress(url);
    if (address === undefined) return;
    sources.push({
      number: index + 1,
      title: title.trim().slice(0, maximumTitleLength),
      url: address,
    });
  });
  return sources;
}

/** `value` as an absolute http or https address, normalized; `undefined` when it is not one. */
function httpAddress(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > maximumUrlLength) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return undefined;
  }
  return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
}
