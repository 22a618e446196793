import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, within } from 'storybook/test';
import {
  announcement,
  conversation,
  eventually,
  sendMessage,
  statusLine,
  waitForChat,
} from '../../../../.storybook/chat-play';
import { type StoryChatScript, storyChat } from '../../../../.storybook/story-chat';
import type { ScriptedHistoryEntry } from '../client/create-scripted-transport';
import { ParleyChat, type ParleyChatProps } from './parley-chat';

/**
 * `<ParleyChat>` in every state a visitor can meet, each reached the way a visitor reaches it:
 * the real chat client over the scripted transport, and a play function that types, clicks and
 * checks what the state must show. Axe runs on each story after its play function.
 */

type ChatStoryArgs = Pick<ParleyChatProps, 'theme' | 'dir' | 'strings'>;

/** A page around the chat, in the chat's theme, with the chat in a 440×600 box. */
function ChatPage({ theme, children }: { theme: ChatStoryArgs['theme']; children: ReactNode }) {
  return (
    <div
      style={{
        minHeight: '100vh',
        padding: 24,
        background: theme === 'dark' ? '#0b0d0f' : '#eef0f3',
      }}
    >
      <div style={{ width: 'min(440px, 100%)', height: 600, marginInline: 'auto' }}>{children}</div>
    </div>
  );
}

const meta = {
  title: 'Widget/ParleyChat',
  args: { theme: 'light' },
  argTypes: {
    theme: { control: 'inline-radio', options: ['light', 'dark', 'system'] },
    dir: { control: 'inline-radio', options: ['ltr', 'rtl'] },
  },
  render: (args, context) => <ParleyChat client={storyChat(context).client} {...args} />,
  decorators: [
    (Story, { args }) => (
      <ChatPage theme={args.theme}>
        <Story />
      </ChatPage>
    ),
  ],
  parameters: { chat: {} satisfies StoryChatScript },
} satisfies Meta<ChatStoryArgs>;

export default meta;
type Story = StoryObj<typeof meta>;

const greeting =
  "Hi, I'm Ada. I can track an order, start a return or put you through to a person.";
const suggestedReplies = ['Where is my order?', 'Start a return', 'Talk to a person'];

/** A new conversation with nothing in it yet. */
export const Empty: Story = {
  play: async (context) => {
    const composer = await waitForChat(context);
    await eventually(() =>
      expect(
        within(conversation(context)).getByText('Ask a question to start the conversation.'),
      ).toBeVisible(),
    );
    await expect(composer).toHaveAttribute('placeholder', 'Write a message…');
    await expect(context.canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
    await expect(context.canvas.getByRole('region', { name: 'Ada' })).toBeVisible();
  },
};

/** The agent's greeting, with suggested replies offered until the visitor writes. */
export const Greeting: Story = {
  parameters: {
    chat: { history: [{ role: 'agent', text: greeting }], suggestedReplies },
  },
  play: async (context) => {
    await waitForChat(context);
    await eventually(() => expect(within(conversation(context)).getByText(greeting)).toBeVisible());
    const suggestions = context.canvas.getByRole('group', { name: 'Suggested replies' });
    const buttons = within(suggestions).getAllByRole('button');
    await expect(buttons.map((button) => button.textContent)).toEqual(suggestedReplies);
    for (const button of buttons) await expect(button).toBeEnabled();
  },
};

/**
 * Keyboard only: Tab walks from the conversation through the suggested replies to the
 * composer; the text is typed, Tab reaches Send, Enter sends, and the reply arrives.
 */
export const KeyboardOnly: Story = {
  parameters: {
    chat: {
      history: [{ role: 'agent', text: greeting }],
      suggestedReplies,
      replies: ['Your parcel left our warehouse this morning and arrives on Friday.'],
    },
  },
  play: async (context) => {
    const { canvas, userEvent } = context;
    const composer = await waitForChat(context);
    const reached: HTMLElement[] = [];
    for (let presses = 0; presses < 10 && document.activeElement !== composer; presses++) {
      await userEvent.tab();
      reached.push(document.activeElement as HTMLElement);
    }
    await expect(composer).toHaveFocus();
    await expect(reached).toContain(conversation(context));
    await expect(reached).toContain(canvas.getByRole('button', { name: 'Where is my order?' }));

    await userEvent.keyboard('Where is my parcel?');
    await userEvent.tab();
    const send = canvas.getByRole('button', { name: 'Send' });
    await expect(send).toHaveFocus();
    // The focus is visible: the ring of `:focus-visible`.
    await expect(getComputedStyle(send).outlineStyle).toBe('solid');
    await userEvent.keyboard('{Enter}');
    await eventually(() =>
      expect(within(conversation(context)).getByText('Where is my parcel?')).toBeVisible(),
    );
    await eventually(() =>
      expect(
        within(conversation(context)).getByText(
          'Your parcel left our warehouse this morning and arrives on Friday.',
        ),
      ).toBeVisible(),
    );
    // Screen readers hear the reply once, complete.
    await eventually(() =>
      expect(announcement(context)).toBe(
        'Ada: Your parcel left our warehouse this morning and arrives on Friday.',
      ),
    );
    // The suggestions are gone once the visitor has written.
    await expect(canvas.queryByRole('group', { name: 'Suggested replies' })).toBeNull();
  },
};

const streamedReply = [
  'To track your order, open **My orders** and pick the order you want to follow.',
  'You will see each step: *packed*, *shipped*, *out for delivery* and *delivered*.',
  '',
  '1. Copy the tracking number from the order page.',
  "2. Paste it on the carrier's site for the hour of delivery.",
  '',
  '```text',
  'Order #1042 · Tracking 1Z999AA10123456784',
  '```',
  '',
  'If a step has not changed for three days, write to us and we will ask the carrier.',
].join('\n');

/** A reply being written: the text grows word by word in one row, with a Stop button. */
export const Streaming: Story = {
  parameters: {
    chat: { replies: [{ text: streamedReply, hang: true }], paceMs: 50 },
  },
  play: async (context) => {
    await sendMessage(context, 'How do I track my order?');
    const log = conversation(context);
    await eventually(() => expect(log.querySelector('.parley-message-streaming')).not.toBeNull());
    const row = log.querySelector('.parley-message-streaming') as HTMLElement;
    await expect(row).toHaveAttribute('aria-busy', 'true');
    await expect(context.canvas.getByRole('button', { name: 'Stop' })).toBeVisible();
    await eventually(() => expect(statusLine(context)).toBe('Typing…'));

    const first = row.textContent ?? '';
    await eventually(() => expect((row.textContent ?? '').length).toBeGreaterThan(first.length));
    const second = row.textContent ?? '';
    // It grew at its end: what was shown stays shown.
    await expect(second.startsWith(first.slice(0, 20))).toBe(true);
    // The live region says what the agent is doing, never the tokens as they come.
    await expect(announcement(context)).toBe('Typing…');
    // Until the last word is out; the reply then waits, still streaming, for Stop.
    await eventually(() => expect(row.textContent).toContain('ask the carrier.'), 10_000);
    await expect(row.querySelector('pre code')?.textContent).toContain('Tracking 1Z999AA');
    // The same element streamed from the first word to the last: no remount, no flicker.
    await expect(log.querySelector('.parley-message-streaming')).toBe(row);
    await expect(context.canvas.getByRole('button', { name: 'Stop' })).toBeVisible();
  },
};

/** The agent runs a tool: its card shows, the status says it is looking things up. */
export const ToolRunning: Story = {
  parameters: {
    chat: { replies: [{ tool: 'lookup_order', hang: true }] },
  },
  play: async (context) => {
    await sendMessage(context, 'Where is order 1042?');
    const log = conversation(context);
    await eventually(() => expect(within(log).getByText('Used lookup_order')).toBeVisible());
    await eventually(() => expect(statusLine(context)).toBe('Looking that up…'));
    await expect(context.canvas.getByRole('button', { name: 'Stop' })).toBeVisible();
  },
};

/** A reply that failed, shown with its reason and a Retry that runs the turn again. */
export const ErrorWithRetry: Story = {
  parameters: {
    chat: {
      replies: [
        { error: { code: 'model_failed', message: 'The assistant took too long to answer.' } },
        'Sorry about that! Order **#1042** left our warehouse this morning.',
      ],
    },
  },
  play: async (context) => {
    const { canvas, canvasElement, userEvent } = context;
    await sendMessage(context, 'Where is order 1042?');
    await eventually(() =>
      expect(canvasElement.querySelector('.parley-notice')?.textContent).toContain(
        'The reply could not be written. The assistant took too long to answer.',
      ),
    );
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await eventually(() =>
      expect(
        within(conversation(context)).getByText(/left our warehouse this morning/),
      ).toBeVisible(),
    );
    await expect(canvasElement.querySelector('.parley-notice')).toBeNull();
    await expect(canvas.queryByRole('button', { name: 'Retry' })).toBeNull();
  },
};

/**
 * The network drops while a message is on its way: the message is marked "Not sent" with a
 * retry, the status says the visitor is offline, and the composer is disabled.
 */
export const Offline: Story = {
  parameters: {
    chat: {
      history: [{ role: 'agent', text: greeting }],
      // Requests take a moment, so the network can drop while the message is posted.
      latencyMs: 300,
    },
  },
  play: async (context) => {
    const { canvas } = context;
    const composer = await waitForChat(context);
    await context.userEvent.type(composer, 'Is the shop open on Sunday?{Enter}');
    storyChat(context).transport.setOnline(false);

    await eventually(() =>
      expect(statusLine(context)).toBe('You are offline. Reconnect to send messages.'),
    );
    await eventually(() => expect(canvas.getByText(/Not sent\./)).toBeVisible());
    await expect(canvas.getByRole('button', { name: 'Retry sending this message' })).toBeVisible();
    await expect(composer).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};

/**
 * A chat that cannot work on this site (here: the page's origin is not among its key's allowed
 * origins): one clear, final notice for the visitor, no Retry, no "Reconnecting…", nothing to
 * send (the client tries nothing more: see client-configuration-errors.test.ts). The site's
 * owner reads the cause and the fix in the console.
 */
export const UnavailableOnThisSite: Story = {
  parameters: {
    chat: {
      refuseSessions: {
        status: 403,
        code: 'forbidden',
        reason: 'origin_not_allowed',
        message: 'This site may not use this agent key',
        retryable: false,
      },
    },
  },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    const { client } = storyChat(context);
    await eventually(() => expect(client.getState().connection).toBe('unavailable'));
    const notice = canvasElement.querySelector('.parley-notice');
    await expect(notice?.textContent).toBe("This chat isn't available on this site right now.");
    await expect(notice).toHaveAttribute('data-error-code', 'origin_not_allowed');
    await expect(canvas.queryByRole('button', { name: 'Retry' })).toBeNull();
    await expect(statusLine(context)).toBe('');
    await expect(canvas.getByRole('textbox', { name: 'Message' })).toBeDisabled();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
    await eventually(() =>
      expect(announcement(context)).toBe("This chat isn't available on this site right now."),
    );
  },
};

const citedReply =
  'You can return an item within **30 days** of delivery [1]. Refunds reach your card within five working days [2]; items bought in a shop go back to a shop [3].';

/**
 * A reply that cites its sources: it streams without them, and once it is stored a "Sources"
 * list shows under it, `[1]`, `[2]`, `[3]` as the reply cites them: links opening in a new tab,
 * a source without an address as plain text. On a 375-px phone, a long title wraps inside the
 * chat instead of widening it, and the keyboard reaches each link.
 */
export const ReplyWithSources: Story = {
  globals: { viewport: { value: 'mobile375', isRotated: false } },
  parameters: {
    chat: {
      replies: [
        {
          text: citedReply,
          sources: [
            {
              title:
                'Returns and exchanges: how to send back an item bought online or in one of our shops',
              url: 'https://shop.example/help/returns-and-exchanges',
            },
            { title: 'Refund times', url: 'https://shop.example/help/refunds' },
            { title: 'Shop staff handbook, chapter 4' },
          ],
        },
      ],
    },
  },
  play: async (context) => {
    const { userEvent } = context;
    await sendMessage(context, 'How do I return a jacket?');
    const log = conversation(context);
    await eventually(() => expect(log.querySelector('.parley-message-streaming')).not.toBeNull());
    await expect(within(log).queryByRole('list', { name: 'Sources' })).toBeNull();

    const sources = await within(log).findByRole('list', { name: 'Sources' }, { timeout: 10_000 });
    await expect(sources).toBeVisible();
    await expect(within(log).getByText('Sources')).toBeVisible();
    const entries = within(sources).getAllByRole('listitem');
    await expect(entries.map((entry) => entry.textContent)).toEqual([
      '[1]Returns and exchanges: how to send back an item bought online or in one of our shops',
      '[2]Refund times',
      '[3]Shop staff handbook, chapter 4',
    ]);
    const links = within(sources).getAllByRole('link');
    await expect(links.map((link) => link.getAttribute('href'))).toEqual([
      'https://shop.example/help/returns-and-exchanges',
      'https://shop.example/help/refunds',
    ]);
    for (const link of links) {
      await expect(link).toHaveAttribute('target', '_blank');
      await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    }
    // Narrow: the long title wraps, nothing scrolls sideways.
    await expect(window.innerWidth).toBe(375);
    await expect(log.scrollWidth).toBeLessThanOrEqual(log.clientWidth);
    const row = sources.closest('.parley-message') as HTMLElement;
    await expect(sources.getBoundingClientRect().right).toBeLessThanOrEqual(
      row.getBoundingClientRect().right + 0.5,
    );

    // Keyboard: from the conversation, Tab reaches the first source's link, then the next.
    log.focus();
    for (let presses = 0; presses < 10 && document.activeElement !== links[0]; presses++) {
      await userEvent.tab();
    }
    await expect(links[0]).toHaveFocus();
    await expect(getComputedStyle(links[0]!).outlineStyle).toBe('solid');
    await userEvent.tab();
    await expect(links[1]).toHaveFocus();
  },
};

const earlierExchanges = 80;
const longHistory: ScriptedHistoryEntry[] = Array.from(
  { length: earlierExchanges },
  (_, index): ScriptedHistoryEntry[] => [
    { role: 'customer', text: `Question ${index + 1}: what about item ${index + 1}?` },
    { role: 'agent', text: `Answer ${index + 1}: item ${index + 1} is in stock.` },
  ],
).flat();

/**
 * A conversation longer than the first page: the latest messages show, scrolled to the newest,
 * and "Show earlier messages" reads the older ones page by page until there are none left.
 */
export const LongHistory: Story = {
  parameters: { chat: { history: longHistory } },
  play: async (context) => {
    const { canvas, userEvent } = context;
    await waitForChat(context);
    const log = conversation(context);
    await eventually(() =>
      expect(
        within(log).getByText(`Answer ${earlierExchanges}: item 80 is in stock.`),
      ).toBeVisible(),
    );
    // The newest message is in view, also once the header has grown by the agent's description.
    await eventually(() =>
      expect(canvas.getByText('Answers questions about your orders')).toBeVisible(),
    );
    await expect(log.scrollHeight).toBeGreaterThan(log.clientHeight);
    await eventually(() =>
      expect(log.scrollHeight - log.scrollTop - log.clientHeight).toBeLessThan(2),
    );
    await expect(within(log).queryByText(/^Question 1:/)).toBeNull();

    for (let clicks = 0; clicks < 5; clicks++) {
      const more = canvas.queryByRole('button', { name: 'Show earlier messages' });
      if (!more) break;
      const rows = log.querySelectorAll('.parley-message').length;
      await userEvent.click(more);
      await eventually(() =>
        expect(log.querySelectorAll('.parley-message').length).toBeGreaterThan(rows),
      );
    }
    await expect(within(log).getByText('Question 1: what about item 1?')).toBeInTheDocument();
    await expect(log.querySelectorAll('.parley-message')).toHaveLength(earlierExchanges * 2);
    await expect(canvas.queryByRole('button', { name: 'Show earlier messages' })).toBeNull();
  },
};

const richHistory: ScriptedHistoryEntry[] = [
  { role: 'agent', text: greeting },
  { role: 'customer', text: 'How do I change the address of order 1042?' },
  { tool: 'lookup_order' },
  {
    role: 'agent',
    text: [
      'Order **#1042** has not shipped yet, so you can still change it:',
      '',
      '- open [My orders](https://shop.example/orders),',
      '- choose *Change address*.',
      '',
      'Or with the API: `PATCH /orders/1042` [1]',
    ].join('\n'),
    sources: [
      { title: 'Changing an order', url: 'https://shop.example/help/change-order' },
      { title: 'Orders API reference' },
    ],
  },
  { role: 'customer', text: 'It says the order is locked.' },
  {
    role: 'human_agent',
    participantName: 'Sam from support',
    text: 'I unlocked it for you: try again now.',
  },
];

/**
 * The dark theme with everything a conversation can hold (markdown, a tool card, a reply's
 * sources, an operator's message, feedback buttons) and a failed reply's notice: axe checks the
 * contrast of all of it.
 */
export const Dark: Story = {
  args: { theme: 'dark' },
  parameters: {
    chat: {
      history: richHistory,
      replies: [{ error: { code: 'model_failed', message: 'The assistant is busy.' } }],
    },
  },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    await sendMessage(context, 'It works, thank you!');
    await eventually(() => expect(canvas.getByRole('button', { name: 'Retry' })).toBeVisible());
    const root = canvasElement.querySelector('.parley-root') as HTMLElement;
    await expect(root).toHaveAttribute('data-parley-theme', 'dark');
    await expect(getComputedStyle(root).backgroundColor).toBe('rgb(20, 23, 26)');
    const log = conversation(context);
    await expect(within(log).getByText('Sam from support')).toBeVisible();
    await expect(within(log).getByText('Used lookup_order')).toBeVisible();
    await expect(within(log).getByRole('link', { name: 'Changing an order' })).toBeVisible();
    await expect(within(log).getAllByRole('button', { name: 'Helpful' }).length).toBeGreaterThan(0);
  },
};

const arabicStrings: ChatStoryArgs['strings'] = {
  chatTitle: 'المحادثة',
  conversationLabel: 'المحادثة',
  emptyConversation: 'اكتب سؤالك لبدء المحادثة.',
  customerAuthor: 'أنت',
  agentAuthor: 'المساعد',
  composerLabel: 'رسالة',
  composerPlaceholder: 'اكتب رسالة…',
  send: 'إرسال',
  stop: 'إيقاف',
  statusAcknowledged: 'تم استلام رسالتك',
  statusProcessing: 'جارٍ التفكير…',
  statusTyping: 'يكتب…',
  stages: { guideline_matching: 'جارٍ قراءة رسالتك…', tool_calls: 'جارٍ البحث…' },
  feedbackLabel: 'هل كان هذا الرد مفيدًا؟',
  feedbackUp: 'مفيد',
  feedbackDown: 'غير مفيد',
  toolCall: 'استخدم {tool}',
};

/**
 * Right to left, with the strings translated: the visitor's messages sit at the inline end
 * (the left), the agent's at the inline start (the right), and Send is left of the text.
 */
export const RightToLeft: Story = {
  args: { dir: 'rtl', strings: arabicStrings },
  parameters: {
    chat: {
      agent: { name: 'سارة', description: 'تجيب عن أسئلة الطلبات' },
      history: [
        { role: 'agent', text: 'مرحبًا! كيف يمكنني مساعدتك اليوم؟' },
        { role: 'customer', text: 'أين طلبي رقم 1042؟' },
      ],
      replies: ['غادر طلبك المستودع صباح اليوم ويصل يوم **الجمعة**.'],
    },
  },
  play: async (context) => {
    const { canvas, canvasElement } = context;
    const options = { agentName: 'سارة', composerName: 'رسالة' };
    await sendMessage(context, 'شكرًا، ومتى يصل؟', options);
    const log = conversation(context, 'المحادثة');
    await eventually(() => expect(within(log).getByText(/غادر طلبك المستودع/)).toBeVisible());
    await expect(canvasElement.querySelector('.parley-root')).toHaveAttribute('dir', 'rtl');

    const logBox = log.getBoundingClientRect();
    const customer = log.querySelector('.parley-message-customer .parley-bubble')!;
    const agent = log.querySelector('.parley-message-agent .parley-bubble')!;
    await expect(customer.getBoundingClientRect().left - logBox.left).toBeLessThan(40);
    await expect(logBox.right - agent.getBoundingClientRect().right).toBeLessThan(40);
    const send = canvas.getByRole('button', { name: 'إرسال' }).getBoundingClientRect();
    const input = canvas.getByRole('textbox', { name: 'رسالة' }).getBoundingClientRect();
    await expect(send.right).toBeLessThanOrEqual(input.left);
  },
};
