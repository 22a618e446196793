import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, within } from 'storybook/test';
import { eventually, sendMessage } from '../../../../.storybook/chat-play';
import { type StoryChatScript, storyChat } from '../../../../.storybook/story-chat';
import { ParleyLauncher, type ParleyLauncherProps } from './parley-launcher';

/**
 * `<ParleyLauncher>` on a page: the floating bubble with its unread badge, the panel it opens,
 * and the full-screen panel of a phone. Driven by the real chat client over the scripted
 * transport; axe runs on each story after its play function.
 */

type LauncherStoryArgs = Pick<ParleyLauncherProps, 'theme' | 'dir' | 'defaultOpen'>;

/** A shop's page for the launcher to float over. */
function HostPage({ children }: { children: ReactNode }) {
  return (
    <div style={{ minHeight: '100vh', background: '#ffffff', color: '#1b1f24' }}>
      <main style={{ padding: 24, maxWidth: 640, fontFamily: 'Georgia, serif' }}>
        <h1 style={{ marginTop: 0 }}>Acme Outdoor</h1>
        <p>Tents, stoves and boots, shipped in two days. Questions? The chat is in the corner.</p>
      </main>
      {children}
    </div>
  );
}

const meta = {
  title: 'Widget/ParleyLauncher',
  args: { theme: 'light', defaultOpen: false },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark', 'system'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
  },
  render: (args, context) => <ParleyLauncher client={storyChat(context).client} {...args} />,
  decorators: [
    (Story) => (
      <HostPage>
        <Story />
      </HostPage>
    ),
  ],
  parameters: {
    chat: {
      history: [{ role: 'agent', text: 'Hi! Ask me anything about your order.' }],
      replies: ['Your parcel left our warehouse this morning and arrives on Friday.'],
    } satisfies StoryChatScript,
  },
} satisfies Meta<LauncherStoryArgs>;

export default meta;
type Story = StoryObj<typeof meta>;

const bubbleOf = (element: HTMLElement) =>
  element.querySelector('.parley-bubble-button') as HTMLButtonElement;

/**
 * Closed, with a reply waiting: the visitor asked, pressed Escape (the focus went back to the
 * bubble), and the reply arrived while the panel was closed; the badge counts it.
 */
export const ClosedWithUnreadBadge: Story = {
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const bubble = bubbleOf(canvasElement);
    await expect(bubble).toHaveAccessibleName('Open chat');
    await expect(bubble).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(bubble);
    const dialog = await canvas.findByRole('dialog');
    await sendMessage(context, 'Where is my parcel?');

    await userEvent.keyboard('{Escape}');
    await expect(canvas.queryByRole('dialog')).toBeNull();
    await expect(bubble).toHaveFocus();
    await expect(dialog).not.toBeInTheDocument();

    await eventually(() =>
      expect(canvasElement.querySelector('.parley-badge')?.textContent).toBe('1'),
    );
    await expect(bubble).toHaveAccessibleName('Open chat, 1 unread');
  },
};

/**
 * Open: a dialog named after the agent with the focus in the composer. Closing it gives the
 * focus back to the bubble, and Enter on the bubble opens it again.
 */
export const Open: Story = {
  args: { defaultOpen: true },
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    const dialog = await canvas.findByRole('dialog');
    await eventually(() => expect(dialog).toHaveAccessibleName('Ada'));
    await eventually(() =>
      expect(within(dialog).getByRole('textbox', { name: 'Message' })).toHaveFocus(),
    );
    const bubble = bubbleOf(canvasElement);
    await expect(bubble).toHaveAttribute('aria-expanded', 'true');
    await expect(bubble).toHaveAttribute('aria-controls', dialog.id);

    await userEvent.click(within(dialog).getByRole('button', { name: 'Close chat' }));
    await expect(canvas.queryByRole('dialog')).toBeNull();
    await expect(bubble).toHaveFocus();

    await userEvent.keyboard('{Enter}');
    const reopened = await canvas.findByRole('dialog');
    await eventually(() =>
      expect(within(reopened).getByRole('textbox', { name: 'Message' })).toHaveFocus(),
    );
  },
};

/** On a 375-px phone the open panel fills the screen; the text is 16px, so iOS does not zoom. */
export const MobileWidth: Story = {
  args: { defaultOpen: true },
  globals: { viewport: { value: 'mobile375', isRotated: false } },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    await expect(window.innerWidth).toBe(375);
    const dialog = await canvas.findByRole('dialog');
    await sendMessage(context, 'Where is my parcel?');
    await eventually(() => expect(within(dialog).getByText(/arrives on Friday/)).toBeVisible());
    const panel = dialog.getBoundingClientRect();
    await expect(panel.left).toBe(0);
    await expect(panel.top).toBe(0);
    await expect(panel.width).toBe(window.innerWidth);
    await expect(panel.height).toBe(window.innerHeight);
    await expect(bubbleOf(canvasElement)).not.toBeVisible();
    const composer = within(dialog).getByRole('textbox', { name: 'Message' });
    await expect(getComputedStyle(composer).fontSize).toBe('16px');
  },
};

/** The launcher in the dark theme, open on a conversation. */
export const Dark: Story = {
  args: { theme: 'dark', defaultOpen: true },
  play: async (context) => {
    const { canvas } = context;
    const dialog = await canvas.findByRole('dialog');
    await sendMessage(context, 'Where is my parcel?');
    await eventually(() => expect(within(dialog).getByText(/arrives on Friday/)).toBeVisible());
    await expect(within(dialog).getByRole('button', { name: 'Close chat' })).toBeVisible();
  },
};
