import { memo, useId } from 'react';
import type { ChatSource } from '../client/chat-state';
import { useParleyContext } from './parley-context';

/** Properties of {@link MessageSources}. */
export interface MessageSourcesProps {
  /**
   * The reply's sources, at least one, checked by the client: titles present, addresses http
   * or https only.
   */
  sources: ChatSource[];
}

/**
 * The sources under an agent's reply: a list named by its visible "Sources" label, each entry
 * `[n]` and its title, the number the reply's own `[n]` cites. A title with an address is a
 * link that opens in a new tab without handing the site's page to the one it opens; one without
 * is plain text. A list, not a `nav`: a conversation of cited replies would otherwise fill the
 * landmarks a screen reader lists with as many "Sources" landmarks.
 */
export const MessageSources = memo(function MessageSources({ sources }: MessageSourcesProps) {
  const { strings } = useParleyContext();
  const labelId = useId();
  return (
    <div className="parley-sources">
      <span className="parley-sources-label" id={labelId}>
        {strings.sources}
      </span>
      {/* biome-ignore lint/a11y/noRedundantRoles: Safari takes the list role away from a list drawn without markers */}
      <ol className="parley-sources-list" role="list" aria-labelledby={labelId}>
        {sources.map((source) => (
          <li key={source.number} className="parley-source">
            <span className="parley-source-number">[{source.number}]</span>
            {source.url === null ? (
              <span className="parley-source-title">{source.title}</span>
            ) : (
              <a
                className="parley-source-title"
                href={source.url}
                target="_blank"
                rel="noopener noreferrer"
              >
                {source.title}
              </a>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
});
