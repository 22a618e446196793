import { chatWidget } from '../support/chat-widget';
import { storedMessages } from '../support/stored-conversation';
import { expect, test } from '../support/test';
import { numberedWords } from './numbered-words';

test('Stop cancels a slow reply: it ends, is not kept, and the chat goes on', async ({
  page,
  modelQuickstartUrl,
  fakeModel,
}) => {
  await page.goto(modelQuickstartUrl);
  const widget = chatWidget(page);
  await widget.open();
  // Eight seconds of reply if nothing stops it.
  await fakeModel.queueTurn({ text: numberedWords('long', 80), chunkDelayMs: 100 });
  await widget.send('Tell me everything about tents');
  const streaming = widget.host.locator('.parley-message-agent.parley-streaming');
  await expect(streaming).toContainText('long0 long1 long2');

  await widget.stopButton.click();
  await expect(widget.status).toHaveText('Reply stopped');
  await expect(widget.status).toHaveAttribute('data-status', 'cancelled');
  // The unfinished reply goes (the server keeps no part of it), and so does the stop button.
  await expect(widget.agentMessages).toHaveCount(0);
  await expect(widget.stopButton).toHaveCount(0);

  // The composer takes the next message at once, and its reply comes.
  await fakeModel.queueTurn({ text: 'A two-person tent weighs about two kilograms.' });
  await widget.composer.click();
  await widget.send('Just the weight, please');
  await widget.waitForReplies(1);
  expect(await widget.lastReplyText()).toBe('A two-person tent weighs about two kilograms.');
  expect(await storedMessages(page)).toEqual([
    { type: 'message', source: 'customer', text: 'Tell me everything about tents' },
    { type: 'message', source: 'customer', text: 'Just the weight, please' },
    { type: 'message', source: 'ai_agent', text: 'A two-person tent weighs about two kilograms.' },
  ]);
  await expect(widget.messages).toHaveCount(3);
});
