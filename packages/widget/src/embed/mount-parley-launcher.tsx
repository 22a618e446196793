import { createRoot } from 'react-dom/client';
import type { ChatClient, ChatSessionStorage } from '../client/chat-client';
import { createChatClient } from '../client/create-chat-client';
import { createHttpTransport } from '../client/create-http-transport';
import type { ParleyTheme } from '../react/parley-frame';
import { ParleyLauncher } from '../react/parley-launcher';
import type { ParleyStrings } from '../react/strings';
import { parleyStyles } from '../styles/parley-styles';

/** Which bottom corner the launcher sits in; `right` by default. */
export type LauncherPosition = 'left' | 'right';

/** Options of {@link mountParleyLauncher} (and of `window.Parley.mount`). */
export interface MountParleyLauncherOptions {
  /** The agent's publishable key, `pk_…`. */
  agentKey: string;
  /** The Parley handler's base URL, absolute or relative to the page, e.g. `/api/parley`. */
  endpoint: string;
  /** Default `system` (follows the visitor's `prefers-color-scheme`). */
  theme?: ParleyTheme;
  /** Default `right`. */
  position?: LauncherPosition;
  /** Text direction of the widget; default inherited from the page (`<html dir>`). */
  dir?: 'ltr' | 'rtl' | 'auto';
  /** Replacements for any of the English strings. */
  strings?: Partial<ParleyStrings>;
  /** Offered as buttons until the visitor's first message. */
  suggestedReplies?: string[];
  /** Open the panel at once; default false. */
  defaultOpen?: boolean;
  /** Where the session is kept across reloads; default `localStorage`, `null` keeps nothing. */
  storage?: ChatSessionStorage | null;
  /** The element the widget's host is appended to; default `document.body`. */
  container?: Element;
  /**
   * The CSP nonce for the widget's `<style>` element, used only where the browser lacks
   * constructable stylesheets (which a Content-Security-Policy does not restrict).
   */
  nonce?: string;
}

/** A mounted launcher. */
export interface MountedParleyLauncher {
  /** The element in the page that holds the widget's shadow root. */
  host: HTMLElement;
  /** The chat behind the launcher. */
  client: ChatClient;
  /** Unmounts the launcher, closes the chat's stream and removes the host from the page. */
  unmount(): void;
}

/** The tag of the host element: a name no page rule for `div` or `section` matches. */
export const launcherHostTag = 'parley-widget';

/**
 * Rules for the host and the corner, on top of `parleyStyles`. `!important` on `:host` wins
 * over the page's own rules for the host element (inside a shadow root, important declarations
 * beat the page's), and `all: initial` stops the page's inherited font, colour and spacing at
 * the boundary.
 */
const embedStyles = `
:host{all:initial!important;display:block!important;position:static!important;visibility:visible!important;opacity:1!important;transform:none!important}
.parley-launcher.parley-position-left{inset-inline:auto;left:20px;right:auto;align-items:flex-start}
@media (max-width:480px){.parley-launcher-open.parley-position-left{inset:0}}
`;

/** Puts the CSS into the shadow root: a constructed sheet, or a `<style>` where there is none. */
function adoptStyles(shadowRoot: ShadowRoot, nonce: string | undefined): void {
  const css = `${parleyStyles}${embedStyles}`;
  if (
    'adoptedStyleSheets' in shadowRoot &&
    typeof CSSStyleSheet.prototype.replaceSync === 'function'
  ) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    shadowRoot.adoptedStyleSheets = [sheet];
    return;
  }
  const style = document.createElement('style');
  style.setAttribute('data-parley', '');
  if (nonce) style.nonce = nonce;
  style.textContent = css;
  shadowRoot.appendChild(style);
}

/**
 * Mounts `<ParleyLauncher>` on any page: a `<parley-widget>` host appended to the page, an open
 * shadow root holding the widget and all of its CSS (none is added to the page, and the page's
 * rules do not reach in), and a chat over the Parley handler at `endpoint` that exchanges
 * `agentKey` for a session.
 */
export function mountParleyLauncher(options: MountParleyLauncherOptions): MountedParleyLauncher {
  if (!options.agentKey) throw new Error('Parley: an agent key (pk_…) is required.');
  if (!options.endpoint) throw new Error('Parley: an endpoint (e.g. /api/parley) is required.');
  const host = document.createElement(launcherHostTag);
  const shadowRoot = host.attachShadow({ mode: 'open' });
  adoptStyles(shadowRoot, options.nonce);
  // React renders into an element of its own so the style element (if any) stays put.
  const mountPoint = document.createElement('div');
  shadowRoot.appendChild(mountPoint);
  (options.container ?? document.body).appendChild(host);

  const client = createChatClient({
    transport: createHttpTransport({ endpoint: options.endpoint }),
    session: { agentKey: options.agentKey },
    ...(options.storage === undefined ? {} : { storage: options.storage }),
    ...(options.suggestedReplies ? { suggestedReplies: options.suggestedReplies } : {}),
  });
  const root = createRoot(mountPoint);
  root.render(
    <ParleyLauncher
      client={client}
      theme={options.theme ?? 'system'}
      className={`parley-position-${options.position ?? 'right'}`}
      defaultOpen={options.defaultOpen ?? false}
      // The styles are already in the shadow root, in a form any page's CSP allows.
      injectStyles={false}
      {...(options.dir ? { dir: options.dir } : {})}
      {...(options.strings ? { strings: options.strings } : {})}
    />,
  );

  let mounted = true;
  return {
    host,
    client,
    unmount() {
      if (!mounted) return;
      mounted = false;
      root.unmount();
      client.dispose();
      host.remove();
    },
  };
}
