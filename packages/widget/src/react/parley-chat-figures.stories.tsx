import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect } from 'storybook/test';
import { conversation, sendMessage } from '../../../../.storybook/chat-play';
import { immediateTimers, storyChat } from '../../../../.storybook/story-chat';
import type { ChatMessage } from '../client/chat-state';
import { ParleyChat } from './parley-chat';

/**
 * Figures measured in the browser. The issue's: with a 2,000-token reply streamed fast, the
 * main thread has no long task over 50 ms. The story streams such a reply as fast as the page
 * takes it and prints the long tasks it saw; it asserts only that the reply completed (tests
 * never assert timings, which depend on the machine).
 */

const replyTokens = 2_000;

const vocabulary = [
  'parcel',
  'warehouse',
  'carrier',
  'refund',
  'label',
  'return',
  'address',
  'order',
  'invoice',
  'delivery',
  'tracking',
  'customer',
  'package',
  'shipping',
  'window',
  'pickup',
  'store',
  'receipt',
  'exchange',
  'size',
  'colour',
  'item',
  'box',
  'courier',
];

/**
 * A markdown reply of exactly `tokens` streamed pieces (the scripted transport streams one word
 * with its spacing at a time): headings, paragraphs, lists and code blocks, as an agent writes.
 */
function buildLongReply(tokens: number): string {
  const blocks: string[] = [];
  let count = 0;
  let section = 0;
  const word = (index: number) => vocabulary[(index * 7 + section * 3) % vocabulary.length];
  const add = (block: string) => {
    blocks.push(block);
    count += block.match(/\S+/g)?.length ?? 0;
  };
  while (count < tokens - 120) {
    section += 1;
    add(`### Step ${section}: check the ${word(1)}`);
    add(
      Array.from({ length: 40 }, (_, index) =>
        index % 9 === 0 ? `**${word(index)}**` : word(index),
      )
        .join(' ')
        .concat('.'),
    );
    add([1, 2, 3].map((item) => `- ${word(item)} ${word(item + 5)} ${word(item + 9)}`).join('\n'));
    if (section % 3 === 0) {
      add(
        [
          '```ts',
          `const ${word(2)} = await track('${section}');`,
          'console.log(status);',
          '```',
        ].join('\n'),
      );
    }
  }
  add(Array.from({ length: tokens - count }, (_, index) => word(index)).join(' '));
  return blocks.join('\n\n');
}

const longReply = buildLongReply(replyTokens);

const meta = {
  title: 'Widget/Figures',
  render: (_args, context) => (
    <div style={{ height: '100vh', padding: 24, boxSizing: 'border-box', background: '#eef0f3' }}>
      <div style={{ width: 'min(440px, 100%)', height: '100%', marginInline: 'auto' }}>
        <ParleyChat client={storyChat(context).client} theme="light" />
      </div>
    </div>
  ),
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

/**
 * A 2,000-token reply streamed as fast as the page can take it (each word is its own frame and
 * its own task, with no 4-ms timer clamp between them): the long tasks of the main thread while
 * it streams are printed as the figure.
 */
export const FastTwoThousandTokenReply: Story = {
  parameters: {
    chat: { replies: [longReply], paceMs: 0, stepMs: 20, timers: immediateTimers },
  },
  play: async (context) => {
    const { client } = storyChat(context);
    await expect(longReply.match(/\S+/g)?.length).toBe(replyTokens);
    const longTasks: PerformanceEntry[] = [];
    const observer = new PerformanceObserver((list) => {
      longTasks.push(...list.getEntries());
    });
    observer.observe({ type: 'longtask' });

    // When each piece of the reply reached the client: the gaps are the page's work per token.
    const arrivals: number[] = [];
    let shown = 0;
    const finished = new Promise<void>((resolve) => {
      const stop = client.subscribe(() => {
        const { turn, items } = client.getState();
        const last = items.at(-1);
        if (last?.type === 'message' && last.role === 'agent' && last.text.length > shown) {
          shown = last.text.length;
          arrivals.push(performance.now());
        }
        if (turn.status === 'ready' && last?.type === 'message' && last.delivery === 'sent') {
          stop();
          resolve();
        }
      });
    });
    const started = performance.now();
    await sendMessage(context, 'Walk me through the whole returns process, please.');
    await finished;
    const elapsedMs = performance.now() - started;
    // Entries are delivered after the task that ended: one more task lets the last ones in.
    await new Promise((resolve) => setTimeout(resolve, 50));
    longTasks.push(...observer.takeRecords());
    observer.disconnect();

    const reply = client
      .getState()
      .items.findLast(
        (item): item is ChatMessage => item.type === 'message' && item.role === 'agent',
      );
    await expect(reply?.text).toBe(longReply);
    const row = conversation(context).querySelector(`[data-message-id="${reply?.id}"]`);
    await expect(row?.classList.contains('parley-message-sent')).toBe(true);
    await expect(row?.textContent).toContain(longReply.slice(-40).trim());

    const durations = longTasks.map((entry) => Math.round(entry.duration));
    const when = (entry: PerformanceEntry) =>
      entry.startTime < (arrivals[0] ?? 0)
        ? 'before the first token'
        : `at token ${arrivals.filter((time) => time <= entry.startTime).length}`;
    /** Mean milliseconds between two tokens over a tenth of the reply. */
    const gap = (from: number) => {
      const span = arrivals.slice(from, from + Math.floor(arrivals.length / 10));
      return ((span.at(-1)! - span[0]!) / (span.length - 1)).toFixed(1);
    };
    console.log(
      `[figure] ${replyTokens}-token reply streamed in ${Math.round(elapsedMs)} ms ` +
        `(${Math.round((replyTokens / elapsedMs) * 1000)} tokens/s, React ${
          (import.meta as { env?: { DEV?: boolean } }).env?.DEV ? 'development' : 'production'
        } build); ms per token: ${gap(0)} over the first tenth, ${gap(
          arrivals.length - Math.floor(arrivals.length / 10),
        )} over the last; long tasks (> 50 ms): ${longTasks.length}, the longest ${
          durations.length > 0 ? Math.max(...durations) : 0
        } ms${longTasks.map((entry) => ` [${Math.round(entry.duration)} ms ${when(entry)}]`).join('')}`,
    );
  },
};
