import { expect, type Locator, type Page } from '@playwright/test';
import type { StoredItem } from './stored-conversation';

/**
 * The launcher the `<script>` embed mounts, seen through its shadow root (Playwright's CSS and
 * role locators pierce open shadow roots): its parts, and what a visitor does with them.
 */
export interface ChatWidget {
  /** The `<parley-widget>` host element in the page. */
  host: Locator;
  /** The floating bubble that opens and closes the panel. */
  bubble: Locator;
  /** The open panel (`role="dialog"`). */
  panel: Locator;
  /** The conversation (`role="log"`). */
  log: Locator;
  messages: Locator;
  agentMessages: Locator;
  customerMessages: Locator;
  composer: Locator;
  sendButton: Locator;
  stopButton: Locator;
  /** The line under the conversation: turn status and connection trouble. */
  status: Locator;
  /** Error notices (a failed reply, a chat that could not start). */
  notice: Locator;
  /** Clicks the bubble and waits for the composer. */
  open(): Promise<void>;
  /** Writes `text` in the composer and presses Enter. */
  send(text: string): Promise<void>;
  /** Waits until `count` agent replies are complete (stored, not streaming). */
  waitForReplies(count: number, options?: { timeout?: number }): Promise<void>;
  /** The text of the latest agent reply as shown, whitespace collapsed. */
  lastReplyText(): Promise<string>;
  /**
   * The messages and tool cards shown, oldest first, in the shape of the stored timeline
   * (`storedTimeline`), texts as rendered with whitespace collapsed.
   */
  shownTimeline(): Promise<StoredItem[]>;
}

/** Whitespace runs as one space, trimmed: rendered text and stored text compare equal. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The chat widget on `page`. */
export function chatWidget(page: Page): ChatWidget {
  const host = page.locator('parley-widget');
  const composer = host.getByRole('textbox', { name: 'Message' });
  const agentMessages = host.locator('.parley-message-agent');
  const messages = host.locator('.parley-message');
  return {
    host,
    bubble: host.locator('.parley-bubble-button'),
    panel: host.getByRole('dialog'),
    log: host.getByRole('log', { name: 'Conversation' }),
    messages,
    agentMessages,
    customerMessages: host.locator('.parley-message-customer'),
    composer,
    sendButton: host.getByRole('button', { name: 'Send', exact: true }),
    stopButton: host.getByRole('button', { name: 'Stop', exact: true }),
    status: host.locator('.parley-status'),
    notice: host.locator('.parley-notice'),
    async open() {
      await host.getByRole('button', { name: /^Open chat/ }).click();
      await expect(composer).toBeFocused();
    },
    async send(text) {
      await composer.fill(text);
      await composer.press('Enter');
    },
    async waitForReplies(count, options = {}) {
      const sent = host.locator('.parley-message-agent.parley-message-sent');
      await expect(sent).toHaveCount(count, options);
      await expect(host.locator('.parley-streaming')).toHaveCount(0);
    },
    async lastReplyText() {
      const bubble = agentMessages.last().locator('.parley-bubble');
      // biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, blocks apart
      return collapseWhitespace(await bubble.innerText());
    },
    async shownTimeline() {
      return host.locator('.parley-message, .parley-tool').evaluateAll((rows) =>
        rows.map((row): StoredItem => {
          if (row.classList.contains('parley-tool')) {
            return { type: 'tool', toolName: (row as HTMLElement).dataset.toolName ?? '' };
          }
          const bubble = row.querySelector<HTMLElement>('.parley-bubble');
          return {
            type: 'message',
            source: row.classList.contains('parley-message-customer') ? 'customer' : 'ai_agent',
            // biome-ignore lint/performance/useDomNodeTextContent: as in lastReplyText
            text: (bubble?.innerText ?? '').replace(/\s+/g, ' ').trim(),
          };
        }),
      );
    },
  };
}
