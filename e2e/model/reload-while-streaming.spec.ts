import { chatWidget } from '../support/chat-widget';
import { storedMessages, storedSession } from '../support/stored-conversation';
import { expect, test } from '../support/test';
import { numberedWords } from './numbered-words';

test('a reload while a reply streams resumes that reply where it is, without repeating it', async ({
  page,
  modelQuickstartUrl,
  fakeModel,
}) => {
  // 60 words, one every 100 ms: six seconds of streaming.
  const reply = numberedWords('reload', 60);
  await page.goto(modelQuickstartUrl);
  const widget = chatWidget(page);
  await widget.open();
  await fakeModel.queueTurn({ text: reply, chunkDelayMs: 100 });
  await widget.send('Tell me about the trail, slowly');
  const streaming = widget.host.locator('.parley-message-agent.parley-streaming');
  await expect(streaming).toContainText(/\breload5\b/);
  const session = await storedSession(page);

  await page.reload();
  await widget.open();
  // Back in the middle of the reply: the text so far at once, then the rest as it comes.
  await expect(streaming).toBeVisible();
  expect(reply.startsWith(await widget.lastReplyText())).toBe(true);
  await widget.waitForReplies(1);

  expect(await widget.lastReplyText()).toBe(reply);
  expect(await storedSession(page)).toEqual(session);
  await expect(widget.messages).toHaveCount(2);
  expect(await storedMessages(page)).toEqual([
    { type: 'message', source: 'customer', text: 'Tell me about the trail, slowly' },
    { type: 'message', source: 'ai_agent', text: reply },
  ]);
});
