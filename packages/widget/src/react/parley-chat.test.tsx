// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatClient } from '../client/chat-client';
import type { ChatMessage } from '../client/chat-state';
import { advance, advanceUntil, createTestChat } from './chat-test-kit';
import { ParleyChat } from './parley-chat';

/**
 * `<ParleyChat>` driven by the real chat client over the scripted transport, on fake timers:
 * what a visitor sees and can do, step by step.
 */

let clients: ChatClient[] = [];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  for (const client of clients) client.dispose();
  clients = [];
  vi.useRealTimers();
  for (const style of document.head.querySelectorAll('style[data-parley]')) style.remove();
});

function setUp(...args: Parameters<typeof createTestChat>) {
  const chat = createTestChat(...args);
  clients.push(chat.client);
  return chat;
}

const log = () => screen.getByRole('log');
/** The visible status line and error notice (the live region says the same words, hidden). */
const statusLine = () => document.querySelector('.parley-status')?.textContent;
const notice = () => document.querySelector('.parley-notice')?.textContent ?? null;
const composer = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;
const agentMessages = (client: ChatClient) =>
  client
    .getState()
    .items.filter((item): item is ChatMessage => item.type === 'message' && item.role === 'agent');

async function renderStarted(
  client: ChatClient,
  props: Partial<Parameters<typeof ParleyChat>[0]> = {},
) {
  const view = render(<ParleyChat client={client} {...props} />);
  await advanceUntil((state) => state.connection === 'open' && state.historyLoaded, client);
  return view;
}

function type(text: string) {
  fireEvent.change(composer(), { target: { value: text } });
}

describe('<ParleyChat>', () => {
  it('shows a sent message at once, then streams the reply into one row and completes it', async () => {
    const { client } = setUp({ replies: ['Your order **shipped** yesterday and arrives Friday.'] });
    await renderStarted(client);
    await advanceUntil(() => screen.queryByRole('heading', { name: 'Ada' }) !== null, client);

    type('Where is my order?');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(within(log()).getByText('Where is my order?')).toBeTruthy();
    expect(composer().value).toBe('');

    await advanceUntil(() => log().querySelector('.parley-message-streaming') !== null, client);
    const streaming = log().querySelector('.parley-message-streaming')!;
    await advance(10);
    const partial = streaming.textContent ?? '';
    expect(partial).toContain('Your order');
    expect(partial).not.toContain('Friday');
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();

    await advanceUntil((state) => state.turn.status === 'ready', client);
    const [reply] = agentMessages(client);
    const row = log().querySelector(`[data-message-id="${reply!.id}"]`)!;
    // The same element that streamed is the finished reply: no second row, no remount.
    expect(row).toBe(streaming);
    expect(row.classList.contains('parley-message-sent')).toBe(true);
    expect(row.querySelector('strong')?.textContent).toBe('shipped');
    expect(row.textContent).toContain('arrives Friday.');
    expect(log().querySelectorAll('.parley-message-agent')).toHaveLength(1);
    expect(within(row as HTMLElement).getByRole('button', { name: 'Helpful' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
  });

  it('shows a preamble as a lighter interim line before the reply, without feedback buttons', async () => {
    const { client } = setUp({
      replies: [
        { preamble: 'Let me look that up.', tool: 'track_parcel', text: 'It ships today.' },
      ],
    });
    await renderStarted(client);
    type('Where is my parcel?');
    fireEvent.keyDown(composer(), { key: 'Enter' });

    await advanceUntil(() => log().querySelector('.parley-message-preamble') !== null, client);
    const preamble = log().querySelector('.parley-message-preamble') as HTMLElement;
    expect(preamble.textContent).toContain('Let me look that up.');
    expect(preamble.classList.contains('parley-message-agent')).toBe(true);
    expect(within(preamble).queryByRole('button', { name: 'Helpful' })).toBeNull();

    await advanceUntil((state) => state.turn.status === 'ready', client);
    const [first, reply] = agentMessages(client);
    expect(first).toMatchObject({ text: 'Let me look that up.', preamble: true });
    expect(reply).toMatchObject({ text: 'It ships today.', preamble: false });
    const rows = [...log().querySelectorAll('.parley-message-agent')];
    expect(rows.map((row) => row.classList.contains('parley-message-preamble'))).toEqual([
      true,
      false,
    ]);
    expect(within(rows[1] as HTMLElement).getByRole('button', { name: 'Helpful' })).toBeTruthy();
    expect(document.querySelector('style[data-parley]')?.textContent).toContain(
      '.parley-message-preamble .parley-bubble',
    );
  });

  it("lists a reply's sources under it once it is stored: numbered links in citation order, one without an address as text, none with a javascript: address", async () => {
    const { client } = setUp({
      replies: [
        {
          text: 'Returns take 30 days [1]; the handbook has the details [3].',
          sources: [
            { title: 'Returns policy', url: 'https://shop.example/returns' },
            { title: 'Click me', url: 'javascript:window.pwned=1' },
            { title: 'Warehouse handbook' },
            { url: 'https://shop.example/untitled' } as { title: string; url: string },
          ],
        },
      ],
    });
    await renderStarted(client);
    type('How long do returns take?');
    fireEvent.keyDown(composer(), { key: 'Enter' });

    await advanceUntil(() => log().querySelector('.parley-message-streaming') !== null, client);
    // While the reply streams, its sources are not known yet.
    expect(screen.queryByRole('list', { name: 'Sources' })).toBeNull();

    await advanceUntil((state) => state.turn.status === 'ready', client);
    const [reply] = agentMessages(client);
    const row = log().querySelector(`[data-message-id="${reply!.id}"]`) as HTMLElement;
    const list = within(row).getByRole('list', { name: 'Sources' });
    // Labelled by the visible "Sources", under the bubble, above the feedback buttons.
    expect(row.querySelector('.parley-sources-label')?.textContent).toBe('Sources');
    const parts = [...row.children].map((child) => child.className);
    expect(parts.indexOf('parley-sources')).toBe(parts.indexOf('parley-bubble') + 1);
    expect(parts.indexOf('parley-sources')).toBeLessThan(parts.indexOf('parley-message-actions'));

    const entries = within(list).getAllByRole('listitem');
    expect(entries.map((entry) => entry.textContent)).toEqual([
      '[1]Returns policy',
      '[3]Warehouse handbook',
    ]);
    const links = within(list).getAllByRole('link');
    expect(links).toHaveLength(1);
    expect(links[0]).toBe(within(list).getByRole('link', { name: 'Returns policy' }));
    expect(links[0]!.getAttribute('href')).toBe('https://shop.example/returns');
    expect(links[0]!.getAttribute('target')).toBe('_blank');
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(within(entries[1]!).queryByRole('link')).toBeNull();
    expect(row.innerHTML).not.toContain('javascript:');
    expect(row.textContent).not.toContain('Click me');
    expect((window as { pwned?: number }).pwned).toBeUndefined();
    // Keyboard reachable: a link takes the focus.
    links[0]!.focus();
    expect(document.activeElement).toBe(links[0]);
    expect(document.querySelector('style[data-parley]')?.textContent).toContain('.parley-sources');
  });

  it("shows the sources of an agent's replies from history, never those a customer's or an operator's message carries", async () => {
    const sources = [{ title: 'Size guide', url: 'https://shop.example/sizes' }];
    const { client } = setUp({
      history: [
        { role: 'customer', text: 'Which size?', sources },
        { role: 'agent', text: 'Take a medium [1].', sources },
        { role: 'human_agent', participantName: 'Sam', text: 'Medium, yes.', sources },
        { role: 'agent', text: 'Anything else?' },
      ],
    });
    await renderStarted(client);
    const lists = within(log()).getAllByRole('list', { name: 'Sources' });
    expect(lists).toHaveLength(1);
    expect(lists[0]!.closest('.parley-message')?.textContent).toContain('Take a medium [1].');
    expect(within(lists[0]!).getByRole('link', { name: 'Size guide' })).toBeTruthy();
  });

  it('names the sources list as the strings prop says', async () => {
    const { client } = setUp({
      history: [{ role: 'agent', text: 'Siehe [1].', sources: [{ title: 'Größentabelle' }] }],
    });
    await renderStarted(client, { strings: { sources: 'Quellen' } });
    expect(within(log()).getByRole('list', { name: 'Quellen' }).textContent).toBe(
      '[1]Größentabelle',
    );
  });

  it('sends on Enter, starts a new line on Shift+Enter, and leaves Enter alone while an input method composes', async () => {
    const { client } = setUp();
    await renderStarted(client);

    type('First line');
    // Not prevented: the browser inserts the line break itself.
    expect(fireEvent.keyDown(composer(), { key: 'Enter', shiftKey: true })).toBe(true);
    expect(fireEvent.keyDown(composer(), { key: 'Enter', isComposing: true })).toBe(true);
    expect(client.getState().items).toHaveLength(0);
    expect(composer().value).toBe('First line');

    type('First line\nsecond line');
    expect(fireEvent.keyDown(composer(), { key: 'Enter' })).toBe(false);
    const [sent] = client.getState().items as ChatMessage[];
    expect(sent?.text).toBe('First line\nsecond line');
    expect(composer().value).toBe('');

    // Nothing but spaces is not a message.
    type('   ');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    expect(client.getState().items).toHaveLength(1);
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows a failed reply with its error, and Retry runs the turn again', async () => {
    const { client } = setUp({
      replies: [
        { error: { code: 'model_failed', message: 'The assistant timed out.' } },
        'Here is your answer.',
      ],
    });
    await renderStarted(client);
    type('Help');
    fireEvent.keyDown(composer(), { key: 'Enter' });

    await advanceUntil((state) => state.turn.status === 'error', client);
    expect(notice()).toContain('The reply could not be written. The assistant timed out.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));

    await advanceUntil((state) => state.turn.status === 'ready', client);
    expect(within(log()).getByText('Here is your answer.')).toBeTruthy();
    expect(notice()).toBeNull();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('says the chat is unavailable on a site it may not be used on: no retry, no reconnecting, nothing to send', async () => {
    const logger = { error: vi.fn() };
    const { client } = setUp(
      {
        refuseSessions: {
          status: 403,
          code: 'forbidden',
          reason: 'origin_not_allowed',
          message: 'This site may not use this agent key',
          retryable: false,
        },
      },
      { logger },
    );
    const { container } = render(<ParleyChat client={client} />);
    const region = container.querySelector('[aria-live="polite"]')!;
    await advanceUntil((state) => state.connection === 'unavailable', client);
    await advance(0);

    expect(notice()).toBe("This chat isn't available on this site right now.");
    expect(document.querySelector('.parley-notice')?.getAttribute('data-error-code')).toBe(
      'origin_not_allowed',
    );
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(statusLine()).toBe('');
    expect(composer().disabled).toBe(true);
    expect(region.textContent).toBe("This chat isn't available on this site right now.");

    // A minute later nothing has changed: no attempt, no "Connection lost. Reconnecting…".
    await advance(60_000);
    expect(client.getState().connection).toBe('unavailable');
    expect(statusLine()).toBe('');
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('words the unavailable chat as the strings prop says', async () => {
    const { client } = setUp(
      {
        refuseSessions: {
          status: 401,
          code: 'unauthenticated',
          reason: 'agent_key_invalid',
          message: 'The agent key is not valid',
          retryable: false,
        },
      },
      { logger: { error: () => undefined } },
    );
    render(<ParleyChat client={client} strings={{ chatUnavailable: 'Chat indisponible ici.' }} />);
    await advanceUntil((state) => state.connection === 'unavailable', client);
    await advance(0);
    expect(notice()).toBe('Chat indisponible ici.');
  });

  it('marks a message that could not be sent, and resends it with the same id on Retry', async () => {
    const { client, transport } = setUp({ replies: ['Got it.'] });
    await renderStarted(client);
    type('Are you there?');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    // The network drops before the message is posted.
    transport.setOnline(false);
    await advanceUntil((state) => state.connection === 'offline', client);
    await advanceUntil(() => screen.queryByText(/Not sent\./) !== null, client);
    expect(composer().disabled).toBe(true);
    expect(statusLine()).toBe('You are offline. Reconnect to send messages.');

    transport.setOnline(true);
    await advanceUntil((state) => state.connection === 'open', client);
    expect(composer().disabled).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'Retry sending this message' }));
    await advanceUntil((state) => state.turn.status === 'ready', client);
    expect(screen.queryByText(/Not sent\./)).toBeNull();
    expect(within(log()).getByText('Got it.')).toBeTruthy();
    const sessionId = client.getState().sessionId!;
    const stored = transport
      .eventsOf(sessionId)
      .filter((event) => event.kind === 'message' && event.source === 'customer');
    expect(stored).toHaveLength(1);
  });

  it('stops a reply in progress with the stop button', async () => {
    const { client } = setUp({
      replies: [{ text: 'This answer goes on and on and on without end', hang: true }],
    });
    await renderStarted(client);
    type('Tell me everything');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await advanceUntil(() => log().querySelector('.parley-message-streaming') !== null, client);

    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await advanceUntil((state) => state.turn.status === 'cancelled', client);
    expect(statusLine()).toBe('Reply stopped');
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(log().querySelector('.parley-message-streaming')).toBeNull();
    // A stopped turn stores no reply.
    await advance(1000);
    expect(agentMessages(client)).toHaveLength(0);
  });

  it('renders replies as safe markdown: code blocks yes, raw HTML and javascript: links no', async () => {
    const { client } = setUp({
      replies: [
        'Try this:\n\n```sh\ncurl https://example.com\n```\n\n<img src=x onerror="window.pwned=1"> [click](javascript:window.pwned=1) [docs](https://example.com/docs)',
      ],
    });
    await renderStarted(client);
    type('How?');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await advanceUntil((state) => state.turn.status === 'ready', client);

    const row = log().querySelector('.parley-message-agent')!;
    expect(row.querySelector('pre code')?.textContent).toContain('curl https://example.com');
    expect(row.querySelector('img')).toBeNull();
    expect(row.textContent).toContain('<img src=x');
    const links = [...row.querySelectorAll('a')];
    expect(links.map((link) => link.getAttribute('href'))).toEqual(['https://example.com/docs']);
    expect(links[0]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect((window as { pwned?: number }).pwned).toBeUndefined();
  });

  it('announces a reply once, when it is complete, and each status change, never the streamed tokens', async () => {
    const reply = 'One two three four five six seven eight.';
    const { client } = setUp({ replies: [{ text: reply, tool: 'lookup_order' }] });
    const { container } = await renderStarted(client);
    const region = container.querySelector('[aria-live="polite"]')!;
    expect(region.classList.contains('parley-visually-hidden')).toBe(true);
    const heard: string[] = [];
    const observer = new MutationObserver(() => {
      const text = region.textContent ?? '';
      if (text && heard.at(-1) !== text) heard.push(text);
    });
    observer.observe(region, { childList: true, subtree: true, characterData: true });

    type('Where is my order?');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await advanceUntil((state) => state.turn.status === 'ready', client);
    await advance(50);
    observer.disconnect();

    expect(log().querySelector('.parley-tool')?.textContent).toBe('Used lookup_order');
    expect(heard).toEqual([
      'Message received',
      'Reading your message…',
      'Looking that up…',
      'Typing…',
      `Ada: ${reply}`,
    ]);
    // The log itself is not a live region: it would read every token.
    expect(log().getAttribute('aria-live')).toBe('off');
  });

  it('re-renders only the streaming row while a reply streams', async () => {
    const { client } = setUp({
      history: [
        { role: 'customer', text: 'Hi' },
        { role: 'agent', text: 'Hello, **welcome** back.' },
      ],
      replies: ['A reply of quite a few words that streams one at a time.'],
    });
    await renderStarted(client);
    await advanceUntil(() => screen.queryByRole('heading', { name: 'Ada' }) !== null, client);
    const earlierReply = within(log()).getByText('welcome').closest('.parley-markdown')!;
    const before = earlierReply.innerHTML;
    const earlierBubble = earlierReply.parentElement!;
    const rendersBefore = markdownRenders.get('Hello, **welcome** back.') ?? 0;
    expect(rendersBefore).toBeGreaterThan(0);

    type('Tell me');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await advanceUntil((state) => state.turn.status === 'ready', client);

    // The earlier reply was not parsed again for any of the tokens.
    expect(markdownRenders.get('Hello, **welcome** back.')).toBe(rendersBefore);
    expect(earlierBubble.contains(earlierReply)).toBe(true);
    expect(earlierReply.innerHTML).toBe(before);
    const streamedRenders = [...markdownRenders.entries()].filter(([text]) =>
      text.startsWith('A reply'),
    );
    // The streaming row did re-render, once per token or so.
    expect(streamedRenders.length).toBeGreaterThan(5);
  });

  it('reads earlier messages page by page with "Show earlier messages", above the live window', async () => {
    const history = Array.from({ length: 160 }, (_, index) => ({
      role: index % 2 === 0 ? ('customer' as const) : ('agent' as const),
      text: `History message ${index}`,
    }));
    const { client } = setUp({ history });
    await renderStarted(client);
    const windowStart = client.getState().windowStartOffset!;
    expect(windowStart).toBeGreaterThan(0);
    expect(within(log()).queryByText('History message 0')).toBeNull();
    expect(within(log()).getByText(`History message ${windowStart}`)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Show earlier messages' }));
    await advanceUntil(
      () => within(log()).queryByText(`History message ${windowStart - 1}`) !== null,
      client,
    );
    expect(within(log()).getByText(`History message ${windowStart - 50}`)).toBeTruthy();
    expect(within(log()).queryByText(`History message ${windowStart - 51}`)).toBeNull();
    // Oldest first: the page read sits above the window.
    const texts = [...log().querySelectorAll('.parley-bubble')].map((bubble) => bubble.textContent);
    expect(texts.indexOf(`History message ${windowStart - 1}`)).toBe(
      texts.indexOf(`History message ${windowStart}`) - 1,
    );

    while (screen.queryByRole('button', { name: /earlier messages/ })) {
      const button = screen.getByRole('button', { name: /earlier messages/ }) as HTMLButtonElement;
      if (!button.disabled) fireEvent.click(button);
      await advance(5);
    }
    expect(within(log()).getByText('History message 0')).toBeTruthy();
    expect(log().querySelectorAll('.parley-bubble')).toHaveLength(160);
  });

  it('sends a suggested reply on click, and offers none after the first message', async () => {
    const { client } = setUp({}, { suggestedReplies: ['Where is my order?', 'Talk to a person'] });
    await renderStarted(client);
    const group = screen.getByRole('group', { name: 'Suggested replies' });
    fireEvent.click(within(group).getByRole('button', { name: 'Where is my order?' }));
    expect(within(log()).getByText('Where is my order?')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Suggested replies' })).toBeNull();
  });

  it('rates a reply with the feedback buttons', async () => {
    const { client, transport } = setUp();
    await renderStarted(client);
    type('Hi');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await advanceUntil((state) => state.turn.status === 'ready', client);

    const helpful = screen.getByRole('button', { name: 'Helpful' });
    expect(helpful.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(helpful);
    await advance(10);
    expect(helpful.getAttribute('aria-pressed')).toBe('true');
    const feedback = transport
      .eventsOf(client.getState().sessionId!)
      .filter((event) => event.kind === 'custom');
    expect(feedback).toHaveLength(1);
  });

  it('replaces any string through the strings prop, keeping the English defaults for the rest', async () => {
    const { client } = setUp({ replies: [{ error: { message: 'Boom.' } }] });
    await renderStarted(client, {
      strings: {
        send: 'Envoyer',
        composerLabel: 'Votre message',
        composerPlaceholder: 'Écrivez…',
        replyFailed: 'La réponse a échoué.',
        errors: { model_failed: 'Le modèle ne répond pas.' },
        retry: 'Réessayer',
        stages: { guideline_matching: 'Je lis votre message…' },
      },
    });
    const input = screen.getByRole('textbox', { name: 'Votre message' }) as HTMLTextAreaElement;
    expect(input.placeholder).toBe('Écrivez…');
    fireEvent.change(input, { target: { value: 'Bonjour' } });
    fireEvent.click(screen.getByRole('button', { name: 'Envoyer' }));
    await advanceUntil((state) => state.turn.stage === 'guideline_matching', client);
    expect(statusLine()).toBe('Je lis votre message…');
    await advanceUntil((state) => state.turn.status === 'error', client);
    expect(notice()).toBe('La réponse a échoué. Le modèle ne répond pas.Réessayer');
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeTruthy();
    // Left out: still English.
    expect(screen.getByRole('log', { name: 'Conversation' })).toBeTruthy();
  });

  it('sets the theme and direction on its root, and puts its CSS into the head once', async () => {
    const first = setUp();
    const second = setUp();
    const { container } = render(
      <>
        <ParleyChat client={first.client} theme="dark" dir="rtl" className="site-chat" />
        <ParleyChat client={second.client} />
      </>,
    );
    await advance(100);
    const [dark, system] = container.querySelectorAll('.parley-root');
    expect(dark!.getAttribute('data-parley-theme')).toBe('dark');
    expect(dark!.getAttribute('dir')).toBe('rtl');
    expect(dark!.classList.contains('site-chat')).toBe(true);
    expect(system!.getAttribute('data-parley-theme')).toBe('system');
    expect(system!.hasAttribute('dir')).toBe(false);
    const styles = document.head.querySelectorAll('style[data-parley]');
    expect(styles).toHaveLength(1);
    expect(styles[0]!.textContent).toContain('.parley-root{');
  });

  it('puts its CSS into the shadow root it renders in, not into the page', async () => {
    const { client } = setUp();
    const host = document.createElement('div');
    document.body.appendChild(host);
    const shadow = host.attachShadow({ mode: 'open' });
    const mount = document.createElement('div');
    shadow.appendChild(mount);
    render(<ParleyChat client={client} />, { container: mount });
    await advance(100);
    expect(shadow.querySelectorAll('style[data-parley]')).toHaveLength(1);
    expect(document.head.querySelector('style[data-parley]')).toBeNull();
    host.remove();
  });

  it('labels every control', async () => {
    const { client } = setUp({}, { suggestedReplies: ['Hello'] });
    const { container } = await renderStarted(client);
    type('Hi');
    fireEvent.keyDown(composer(), { key: 'Enter' });
    await advanceUntil((state) => state.turn.status === 'ready', client);
    for (const control of container.querySelectorAll('button, textarea')) {
      const name =
        control.getAttribute('aria-label') ??
        (control.id ? container.querySelector(`label[for="${control.id}"]`)?.textContent : null) ??
        control.textContent;
      expect(name?.trim(), control.outerHTML).toBeTruthy();
    }
  });
});

/** Renders of the markdown component, by the text they rendered. */
const markdownRenders = new Map<string, number>();

vi.mock('markdown-to-jsx', async (importOriginal) => {
  const original = await importOriginal<typeof import('markdown-to-jsx')>();
  const Markdown = original.default;
  // Counts each render by its text, then renders the real thing.
  function CountingMarkdown(props: Parameters<typeof Markdown>[0]) {
    const text = String(props.children);
    markdownRenders.set(text, (markdownRenders.get(text) ?? 0) + 1);
    return <Markdown {...props} />;
  }
  return { ...original, default: CountingMarkdown };
});
