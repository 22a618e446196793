/**
 * @module parley-widget.js — the `<script>` embed: one self-contained file (React, react-dom
 * and react-query inside) that mounts the chat launcher in a Shadow DOM on any page.
 *
 * ```html
 * <script src="/parley-widget.js" data-agent-key="pk_…" data-endpoint="/api/parley" defer></script>
 * ```
 *
 * The tag's `data-` attributes are read by `readEmbedOptions`. Without `data-agent-key` it
 * mounts nothing and only defines `window.Parley.mount(options)`, for pages that load the
 * file another way or want to choose when (and how often) to mount.
 */
import {
  type MountedParleyLauncher,
  type MountParleyLauncherOptions,
  mountParleyLauncher,
} from './mount-parley-launcher';
import { readEmbedOptions } from './read-embed-options';

/** What the embed defines on `window`. */
export interface ParleyGlobal {
  /** Mounts a launcher (see `MountParleyLauncherOptions`); returns a handle to unmount it. */
  mount(options: MountParleyLauncherOptions): MountedParleyLauncher;
}

declare global {
  interface Window {
    Parley?: ParleyGlobal;
  }
}

// Read while this script runs: `document.currentScript` is null in any later callback.
const script = document.currentScript;

window.Parley = { mount: mountParleyLauncher };

if (script instanceof HTMLScriptElement && script.hasAttribute('data-agent-key')) {
  const result = readEmbedOptions(script);
  if (!result.ok) {
    console.error(`Parley widget: ${result.error}`);
  } else {
    for (const warning of result.warnings) console.warn(`Parley widget: ${warning}`);
    const mount = () => mountParleyLauncher(result.options);
    // A tag in the head without `defer` runs before the body exists.
    if (document.body) mount();
    else document.addEventListener('DOMContentLoaded', mount, { once: true });
  }
}
