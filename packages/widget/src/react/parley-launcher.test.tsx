// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatClient } from '../client/chat-client';
import { advance, advanceUntil, createTestChat } from './chat-test-kit';
import { ParleyLauncher } from './parley-launcher';

/** `<ParleyLauncher>` over the real chat client and the scripted transport, on fake timers. */

let clients: ChatClient[] = [];

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  cleanup();
  for (const client of clients) client.dispose();
  clients = [];
  vi.useRealTimers();
});

function setUp(...args: Parameters<typeof createTestChat>) {
  const chat = createTestChat(...args);
  clients.push(chat.client);
  return chat;
}

const bubble = () => document.querySelector('.parley-bubble-button') as HTMLButtonElement;
const dialog = () => screen.queryByRole('dialog');

describe('<ParleyLauncher>', () => {
  it('opens from the bubble with the focus in the composer, and Escape closes it with the focus back on the bubble', async () => {
    const { client } = setUp();
    render(<ParleyLauncher client={client} />);
    await advanceUntil((state) => state.connection === 'open', client);
    expect(dialog()).toBeNull();
    expect(bubble().getAttribute('aria-expanded')).toBe('false');
    expect(bubble().getAttribute('aria-label')).toBe('Open chat');

    bubble().focus();
    fireEvent.click(bubble());
    const panel = dialog()!;
    expect(panel).not.toBeNull();
    await advanceUntil(
      () => within(panel).queryByRole('heading', { name: 'Ada' }) !== null,
      client,
    );
    expect(panel.getAttribute('aria-labelledby')).toBe(within(panel).getByRole('heading').id);
    expect(bubble().getAttribute('aria-expanded')).toBe('true');
    expect(bubble().getAttribute('aria-controls')).toBe(panel.id);
    expect(document.activeElement).toBe(within(panel).getByRole('textbox', { name: 'Message' }));

    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(bubble());
    expect(bubble().getAttribute('aria-expanded')).toBe('false');
  });

  it('closes from its close button too, giving the focus back to the bubble', async () => {
    const { client } = setUp();
    render(<ParleyLauncher client={client} defaultOpen />);
    await advance(100);
    fireEvent.click(within(dialog()!).getByRole('button', { name: 'Close chat' }));
    expect(dialog()).toBeNull();
    expect(document.activeElement).toBe(bubble());
  });

  it("names the open panel's two ways out apart: the close button and the bubble", async () => {
    const { client } = setUp();
    render(<ParleyLauncher client={client} defaultOpen />);
    await advance(100);
    // One control per name: a screen reader's list of buttons tells them apart.
    expect(screen.getAllByRole('button', { name: 'Close chat' })).toHaveLength(1);
    expect(within(dialog()!).getByRole('button', { name: 'Close chat' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Minimize chat' })).toBe(bubble());
    expect(bubble().getAttribute('aria-expanded')).toBe('true');

    fireEvent.click(bubble());
    expect(dialog()).toBeNull();
    expect(bubble().getAttribute('aria-label')).toBe('Open chat');
  });

  it('counts replies that arrive while closed on the bubble, and marks them read when opened', async () => {
    const { client } = setUp({ replies: ['Your parcel left the warehouse.'] });
    render(<ParleyLauncher client={client} />);
    fireEvent.click(bubble());
    await advanceUntil((state) => state.connection === 'open', client);
    const input = within(dialog()!).getByRole('textbox', { name: 'Message' });
    fireEvent.change(input, { target: { value: 'Where is it?' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    fireEvent.keyDown(input, { key: 'Escape' });
    expect(dialog()).toBeNull();

    await advanceUntil((state) => state.turn.status === 'ready', client);
    expect(client.getState().unread).toBe(1);
    const badge = bubble().querySelector('.parley-badge')!;
    expect(badge.textContent).toBe('1');
    expect(badge.getAttribute('aria-hidden')).toBe('true');
    expect(bubble().getAttribute('aria-label')).toBe('Open chat, 1 unread');

    fireEvent.click(bubble());
    await advance(0);
    expect(client.getState().unread).toBe(0);
    expect(bubble().querySelector('.parley-badge')).toBeNull();
    expect(within(dialog()!).getByText('Your parcel left the warehouse.')).toBeTruthy();
  });

  it('keeps replies read while the panel is open', async () => {
    const { client } = setUp({ replies: ['Right away.'] });
    render(<ParleyLauncher client={client} defaultOpen />);
    await advanceUntil((state) => state.connection === 'open', client);
    const input = within(dialog()!).getByRole('textbox', { name: 'Message' });
    fireEvent.change(input, { target: { value: 'Hello' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await advanceUntil((state) => state.turn.status === 'ready', client);
    await advance(0);
    expect(client.getState().unread).toBe(0);
  });

  it('can be controlled by the host through open and onOpenChange', async () => {
    const { client } = setUp();
    const onOpenChange = vi.fn();
    const { rerender } = render(
      <ParleyLauncher client={client} open={false} onOpenChange={onOpenChange} />,
    );
    fireEvent.click(bubble());
    expect(onOpenChange).toHaveBeenCalledWith(true);
    // The host has not opened it yet.
    expect(dialog()).toBeNull();
    rerender(<ParleyLauncher client={client} open onOpenChange={onOpenChange} />);
    expect(dialog()).not.toBeNull();
    await advance(10);
  });

  it('applies theme, direction and class names to its root, with the launcher classes', async () => {
    const { client } = setUp();
    const { container } = render(
      <ParleyLauncher client={client} theme="light" dir="rtl" className="site-launcher" />,
    );
    await advance(10);
    const root = container.querySelector('.parley-root')!;
    expect(root.classList.contains('parley-launcher')).toBe(true);
    expect(root.classList.contains('site-launcher')).toBe(true);
    expect(root.getAttribute('data-parley-theme')).toBe('light');
    expect(root.getAttribute('dir')).toBe('rtl');
    fireEvent.click(bubble());
    expect(root.classList.contains('parley-launcher-open')).toBe(true);
  });
});
