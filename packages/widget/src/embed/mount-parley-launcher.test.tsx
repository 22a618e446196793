// @vitest-environment jsdom
import { fireEvent, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ChatServerProcess, startChatServerProcess } from '../../test/chat-server-process';
import {
  launcherHostTag,
  type MountedParleyLauncher,
  mountParleyLauncher,
} from './mount-parley-launcher';
import { readEmbedOptions } from './read-embed-options';

/**
 * The embed in jsdom against the real handler: what a `<script>` tag's attributes become, and
 * the launcher mounted in a shadow root with its CSS, holding a conversation. (Layout, the
 * page's hostile CSS and the real `<script>` file are checked in Chromium by the end-to-end
 * tests.)
 */

const openingHours = 'We are open from 9 to 17.';
let server: ChatServerProcess;
let agentKey: string;
const mounted: MountedParleyLauncher[] = [];

beforeAll(async () => {
  // In a child process: the handler cannot sign tokens inside jsdom's realm.
  server = await startChatServerProcess({
    name: 'Harbour Shop',
    compositionMode: 'canned_strict',
    guidelines: [
      {
        key: 'hours',
        condition: 'the customer asks about opening hours',
        action: 'give the opening hours',
        examples: ['when are you open'],
      },
    ],
    cannedResponses: [{ template: openingHours }],
  });
  agentKey = server.agentKey;
});
afterEach(() => {
  for (const launcher of mounted.splice(0)) launcher.unmount();
  document.body.replaceChildren();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await server?.close();
});

/** The element React renders into, inside the host's shadow root (queries need an element). */
function shadowContent(host: HTMLElement): HTMLElement {
  return host.shadowRoot?.lastElementChild as HTMLElement;
}

function scriptTag(attributes: Record<string, string>): HTMLScriptElement {
  const script = document.createElement('script');
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  return script;
}

describe('readEmbedOptions', () => {
  it('reads every option from the data attributes', () => {
    const script = scriptTag({
      'data-agent-key': ' pk_test ',
      'data-endpoint': '/api/parley',
      'data-theme': 'dark',
      'data-position': 'left',
      'data-dir': 'rtl',
      'data-title': 'Help',
      'data-strings': '{"send":"Envoyer","chatTitle":"Aide"}',
      'data-suggested-replies': '["Hello!","Where is my order?"]',
      'data-open': '',
    });
    script.nonce = 'abc123';
    expect(readEmbedOptions(script)).toEqual({
      ok: true,
      warnings: [],
      options: {
        agentKey: 'pk_test',
        endpoint: '/api/parley',
        theme: 'dark',
        position: 'left',
        dir: 'rtl',
        // data-title wins over the same string in data-strings.
        strings: { send: 'Envoyer', chatTitle: 'Help' },
        suggestedReplies: ['Hello!', 'Where is my order?'],
        defaultOpen: true,
        nonce: 'abc123',
      },
    });
  });

  it('needs the key and the endpoint', () => {
    expect(readEmbedOptions(scriptTag({ 'data-endpoint': '/api/parley' }))).toEqual({
      ok: false,
      error: 'data-agent-key (the publishable key, pk_…) is missing.',
    });
    expect(readEmbedOptions(scriptTag({ 'data-agent-key': 'pk_test' }))).toEqual({
      ok: false,
      error: 'data-endpoint (e.g. /api/parley) is missing.',
    });
  });

  it('keeps the defaults of malformed options, with a warning for each', () => {
    const result = readEmbedOptions(
      scriptTag({
        'data-agent-key': 'pk_test',
        'data-endpoint': '/api/parley',
        'data-theme': 'purple',
        'data-position': 'top',
        'data-strings': '{not json',
        'data-suggested-replies': '{"a":1}',
        'data-open': 'false',
      }),
    );
    expect(result).toEqual({
      ok: true,
      options: { agentKey: 'pk_test', endpoint: '/api/parley' },
      warnings: [
        'data-theme="purple" is not one of light, dark, system; ignored.',
        'data-position="top" is not one of left, right; ignored.',
        'data-strings must be a JSON object; ignored.',
        'data-suggested-replies must be a JSON array of strings; ignored.',
      ],
    });
  });
});

describe('mountParleyLauncher', () => {
  it('mounts the launcher in an open shadow root with its CSS, none in the page', async () => {
    const headBefore = document.head.innerHTML;
    const launcher = mountParleyLauncher({
      agentKey,
      endpoint: server.endpoint,
      theme: 'dark',
      position: 'left',
      storage: null,
    });
    mounted.push(launcher);

    expect(launcher.host.tagName.toLowerCase()).toBe(launcherHostTag);
    expect(launcher.host.parentElement).toBe(document.body);
    const shadowRoot = launcher.host.shadowRoot as ShadowRoot;
    expect(shadowRoot.mode).toBe('open');
    const shadow = within(shadowContent(launcher.host));
    await shadow.findByRole('button', { name: 'Open chat' });
    const root = shadowRoot.querySelector('.parley-root') as HTMLElement;
    expect(root.classList).toContain('parley-launcher');
    expect(root.classList).toContain('parley-position-left');
    expect(root.dataset.parleyTheme).toBe('dark');

    // The CSS lives in the shadow root (a constructed sheet, or a <style> where there is none).
    const css =
      shadowRoot.adoptedStyleSheets?.length > 0
        ? [...(shadowRoot.adoptedStyleSheets[0]?.cssRules ?? [])]
            .map((rule) => rule.cssText)
            .join('\n')
        : (shadowRoot.querySelector('style[data-parley]')?.textContent ?? '');
    expect(css).toContain('.parley-bubble-button');
    expect(css).toContain(':host');
    expect(document.head.innerHTML).toBe(headBefore);
    expect(document.querySelectorAll('style').length).toBe(0);

    launcher.unmount();
    expect(document.querySelector(launcherHostTag)).toBeNull();
    expect(launcher.client.getState().connection).toBe('closed');
  });

  it('holds a conversation with the agent behind the key', async () => {
    const launcher = mountParleyLauncher({ agentKey, endpoint: server.endpoint, storage: null });
    mounted.push(launcher);
    const shadow = within(shadowContent(launcher.host));

    fireEvent.click(await shadow.findByRole('button', { name: 'Open chat' }));
    await shadow.findByRole('heading', { name: 'Harbour Shop' });
    const input = shadow.getByRole('textbox', { name: 'Message' });
    fireEvent.change(input, { target: { value: 'when are you open?' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await waitFor(() => expect(shadow.getByText(openingHours)).toBeTruthy(), { timeout: 10_000 });
    expect(shadow.getByText('when are you open?')).toBeTruthy();
  });
});

describe('the script entry', () => {
  it('mounts from its own tag and defines window.Parley.mount', async () => {
    const script = scriptTag({
      src: '/parley-widget.js',
      'data-agent-key': agentKey,
      'data-endpoint': server.endpoint,
      'data-title': 'Ask us',
    });
    document.head.appendChild(script);
    vi.spyOn(document, 'currentScript', 'get').mockReturnValue(script);
    vi.resetModules();
    await import('./parley-widget');

    const host = document.querySelector(launcherHostTag) as HTMLElement;
    expect(host).not.toBeNull();
    await within(shadowContent(host)).findByRole('button', {
      name: 'Open chat',
    });
    expect(typeof window.Parley?.mount).toBe('function');
    // The handle of the tag's launcher is not kept: a second mount through the global works too.
    const second = window.Parley!.mount({ agentKey, endpoint: server.endpoint, storage: null });
    mounted.push(second);
    expect(document.querySelectorAll(launcherHostTag)).toHaveLength(2);
  });

  it('mounts nothing without data-agent-key, and says why when the endpoint is missing', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const bare = scriptTag({ src: '/parley-widget.js' });
    vi.spyOn(document, 'currentScript', 'get').mockReturnValue(bare);
    vi.resetModules();
    await import('./parley-widget');
    expect(document.querySelector(launcherHostTag)).toBeNull();
    expect(errors).not.toHaveBeenCalled();

    const keyOnly = scriptTag({ src: '/parley-widget.js', 'data-agent-key': agentKey });
    vi.spyOn(document, 'currentScript', 'get').mockReturnValue(keyOnly);
    vi.resetModules();
    await import('./parley-widget');
    expect(document.querySelector(launcherHostTag)).toBeNull();
    expect(errors).toHaveBeenCalledWith(
      'Parley widget: data-endpoint (e.g. /api/parley) is missing.',
    );
  });
});
