import { chatWidget } from './support/chat-widget';
import { storedSession, storedTimeline } from './support/stored-conversation';
import { expect, test } from './support/test';

test('a reload mid-conversation keeps the conversation and its session', async ({ page }) => {
  await page.goto('/');
  const widget = chatWidget(page);
  await widget.open();
  await widget.send('What are your opening hours?');
  await widget.waitForReplies(1);
  await widget.send('How much does shipping cost?');
  await widget.waitForReplies(2);
  const before = await widget.shownTimeline();
  const session = await storedSession(page);

  await page.reload();
  await widget.open();
  // The same session, restored from storage: the history is shown again, once.
  await widget.waitForReplies(2);
  expect(await widget.shownTimeline()).toEqual(before);
  expect(await storedSession(page)).toEqual(session);

  // And it goes on where it was.
  await widget.send('Are you open on Sunday?');
  await widget.waitForReplies(3);
  expect(await widget.lastReplyText()).toMatch(/on Sunday we are closed\.$/);
  expect((await storedSession(page)).sessionId).toBe(session.sessionId);
  expect(await widget.shownTimeline()).toEqual(await storedTimeline(page));
});
