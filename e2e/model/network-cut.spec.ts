import type { Page } from '@playwright/test';
import { type ChatWidget, chatWidget } from '../support/chat-widget';
import { storedMessages } from '../support/stored-conversation';
import { expect, test } from '../support/test';
import { numberedWords } from './numbered-words';

/** Opens the chat, asks for `reply` (a word every 100 ms), and waits for its first words. */
async function startSlowReply(
  page: Page,
  url: string,
  queueTurn: (reply: { text: string; chunkDelayMs: number }) => Promise<void>,
  reply: string,
): Promise<ChatWidget> {
  await page.goto(url);
  const widget = chatWidget(page);
  await widget.open();
  await queueTurn({ text: reply, chunkDelayMs: 100 });
  await widget.send('Walk me through the route');
  const firstWords = reply.split(' ').slice(0, 5).join(' ');
  await expect(widget.host.locator('.parley-message-agent.parley-streaming')).toContainText(
    firstWords,
  );
  return widget;
}

/** The page shows the whole reply once, and the server stored just the two messages. */
async function expectWholeReplyOnce(page: Page, widget: ChatWidget, reply: string) {
  await widget.waitForReplies(1);
  expect(await widget.lastReplyText()).toBe(reply);
  await expect(widget.messages).toHaveCount(2);
  expect(await storedMessages(page)).toEqual([
    { type: 'message', source: 'customer', text: 'Walk me through the route' },
    { type: 'message', source: 'ai_agent', text: reply },
  ]);
  await expect(widget.status).toHaveAttribute('data-connection', 'open');
  await expect(widget.composer).toBeEnabled();
}

test('the network cut mid-reply and back while it is still written: it resumes, nothing lost or doubled', async ({
  page,
  context,
  modelQuickstartUrl,
  fakeModel,
}) => {
  const reply = numberedWords('cut', 80);
  const widget = await startSlowReply(page, modelQuickstartUrl, fakeModel.queueTurn, reply);

  // Offline: the stream drops and the chat says so, while the server goes on writing.
  await context.setOffline(true);
  await expect(widget.status).toHaveAttribute('data-connection', 'offline');
  await expect(widget.status).toHaveText('You are offline. Reconnect to send messages.');
  await expect(widget.composer).toBeDisabled();
  const seenOffline = await widget.lastReplyText();
  expect(reply.startsWith(seenOffline)).toBe(true);
  // The outage: long enough for words the page never receives live, shorter than the reply.
  await page.waitForTimeout(1_500);
  expect(await widget.lastReplyText()).toBe(seenOffline);
  expect(await storedMessages(page)).toHaveLength(1);

  await context.setOffline(false);
  // Back on the stream in the middle of the reply: what was missed, then the rest.
  await expect(widget.host.locator('.parley-message-agent.parley-streaming')).toBeVisible();
  await expectWholeReplyOnce(page, widget, reply);
});

test('the network cut mid-reply and back after it was finished: the stored reply, once', async ({
  page,
  context,
  modelQuickstartUrl,
  fakeModel,
}) => {
  const reply = numberedWords('gap', 30);
  const widget = await startSlowReply(page, modelQuickstartUrl, fakeModel.queueTurn, reply);

  await context.setOffline(true);
  await expect(widget.status).toHaveAttribute('data-connection', 'offline');
  // The server finishes the reply while the page is away.
  await expect.poll(async () => (await storedMessages(page)).length).toBe(2);

  await context.setOffline(false);
  await expectWholeReplyOnce(page, widget, reply);
});
