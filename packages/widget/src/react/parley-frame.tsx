import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { type HTMLAttributes, type ReactNode, useEffect, useMemo, useRef, useState } from 'react';
import type { ChatClient } from '../client/chat-client';
import { ParleyContext } from './parley-context';
import { type ParleyStrings, resolveStrings } from './strings';
import { useParleyActions } from './use-parley-chat';
import { useParleyStyles } from './use-parley-styles';

/** `light`, `dark`, or `system` to follow the visitor's `prefers-color-scheme`. */
export type ParleyTheme = 'light' | 'dark' | 'system';

/** What `<ParleyChat>` and `<ParleyLauncher>` both take. */
export interface ParleyViewProps {
  /** The chat to show; the component starts it, the host disposes of it. */
  client: ChatClient;
  /** Replacements for any of the English strings (see `defaultStrings`). */
  strings?: Partial<ParleyStrings>;
  /** Default `system`. */
  theme?: ParleyTheme;
  /** Text direction; default inherited from the page. `rtl` mirrors the layout. */
  dir?: 'ltr' | 'rtl' | 'auto';
  /** Added to the root element's class names. */
  className?: string;
  /**
   * The react-query cache for the agent's profile and earlier history; by default the chat
   * keeps its own, apart from the host's.
   */
  queryClient?: QueryClient;
  /**
   * Put the widget's CSS into the page (or the shadow root) once; default true. Turn it off
   * only when the host ships `parleyStyles` itself.
   */
  injectStyles?: boolean;
}

/**
 * The root element of a chat and what its parts share: the theme and direction attributes,
 * the CSS, the react-query cache and the context (client, actions, strings). Starts the
 * client when mounted (`start()` is safe to call again).
 */
export function ParleyFrame({
  client,
  strings,
  theme = 'system',
  dir,
  className,
  queryClient,
  injectStyles = true,
  rootClassName,
  children,
  ...attributes
}: ParleyViewProps &
  Omit<HTMLAttributes<HTMLDivElement>, 'dir' | 'className'> & {
    rootClassName: string;
    children: ReactNode;
  }) {
  const rootRef = useRef<HTMLDivElement>(null);
  useParleyStyles(rootRef, injectStyles);
  const [ownQueryClient] = useState(() => new QueryClient());
  const actions = useParleyActions(client);
  const resolved = useMemo(() => resolveStrings(strings), [strings]);
  const context = useMemo(
    () => ({ client, actions, strings: resolved }),
    [client, actions, resolved],
  );

  useEffect(() => {
    // A failure to start shows in the state (`error`), with its own retry.
    client.start().catch(() => {});
  }, [client]);

  return (
    <QueryClientProvider client={queryClient ?? ownQueryClient}>
      <ParleyContext.Provider value={context}>
        <div
          {...attributes}
          ref={rootRef}
          className={['parley-root', rootClassName, className].filter(Boolean).join(' ')}
          data-parley-theme={theme}
          dir={dir}
        >
          {children}
        </div>
      </ParleyContext.Provider>
    </QueryClientProvider>
  );
}
