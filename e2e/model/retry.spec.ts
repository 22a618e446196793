import { chatWidget } from '../support/chat-widget';
import { storedMessages } from '../support/stored-conversation';
import { expect, test } from '../support/test';

test('a model error shows a notice with Retry, and Retry brings the reply', async ({
  page,
  modelQuickstartUrl,
  fakeModel,
}) => {
  await page.goto(modelQuickstartUrl);
  const widget = chatWidget(page);
  await widget.open();
  // The model is unavailable for the first attempt and both of the OpenAI client's retries.
  const before = (await fakeModel.requests()).length;
  await fakeModel.failNext({ status: 503, headers: { 'retry-after-ms': '1' } }, 3);
  await widget.send('Which boots for a wet autumn?');

  await expect(widget.notice).toHaveAttribute('data-error-code', 'model_failed');
  await expect(widget.notice).toContainText('The reply could not be written.');
  await expect(widget.status).toHaveAttribute('data-status', 'error');
  await expect(widget.agentMessages).toHaveCount(0);
  // Every injected failure was used up by that turn's judgement: none is left for the retry.
  expect((await fakeModel.requests()).slice(before)).toEqual(Array(3).fill('guideline_judgement'));

  await fakeModel.queueTurn({ text: 'The Summit hiking boots are waterproof.' });
  await widget.notice.getByRole('button', { name: 'Retry' }).click();
  await widget.waitForReplies(1);
  expect(await widget.lastReplyText()).toBe('The Summit hiking boots are waterproof.');
  await expect(widget.notice).toHaveCount(0);

  // The question was asked once: Retry ran the turn again, it did not send it again.
  await expect(widget.customerMessages).toHaveCount(1);
  expect(await storedMessages(page)).toEqual([
    { type: 'message', source: 'customer', text: 'Which boots for a wet autumn?' },
    { type: 'message', source: 'ai_agent', text: 'The Summit hiking boots are waterproof.' },
  ]);
});
