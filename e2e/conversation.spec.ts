import { chatWidget } from './support/chat-widget';
import { storedTimeline } from './support/stored-conversation';
import { expect, test } from './support/test';

// The sample agent with no LLM (strict canned mode), through the quickstart's page and embed.
test('holds a conversation with the sample agent: an order looked up by a tool, then a return', async ({
  page,
}) => {
  await page.goto('/');
  const widget = chatWidget(page);
  await widget.open();
  // The agent's name from its profile, and the page's suggested replies as buttons.
  await expect(widget.panel.getByRole('heading', { level: 2 })).toHaveText(
    'Parley Outfitters Support',
  );
  const suggestions = widget.host.getByRole('group', { name: 'Suggested replies' });

  // A suggested reply sends itself; the tool that answers it shows as a card.
  await suggestions.getByRole('button', { name: 'Where is order PO-1002?' }).click();
  await widget.waitForReplies(1);
  await expect(widget.host.locator('.parley-tool[data-tool-name="lookup_order"]')).toHaveText(
    'Used lookup_order',
  );
  expect(await widget.lastReplyText()).toMatch(
    /^Order PO-1002 \(Summit hiking boots, size 42\) is shipped: it is on its way with ParcelPost \(tracking PP-48213\)/,
  );
  // Suggestions are offered until the first message only.
  await expect(suggestions).toHaveCount(0);

  // The return journey: refund or exchange, the order number, then the registration.
  await widget.send('I want to return an item');
  await widget.waitForReplies(2);
  expect(await widget.lastReplyText()).toBe(
    'I can help you return an item. Would you like a refund, or an exchange for another size or colour?',
  );
  await widget.send('A refund, please');
  await widget.waitForReplies(3);
  expect(await widget.lastReplyText()).toMatch(/^Which order is the item from\?/);
  await widget.send('It is PO-1001');
  await widget.waitForReplies(4);
  expect(await widget.lastReplyText()).toMatch(
    /^Done: the return of your Trailblazer rain jacket, size M \(order PO-1001\) is registered for a refund\. Write the return code RMA-1001 on the parcel/,
  );
  await expect(widget.status).toHaveText('');

  // What the page shows is what the server stored, in order, once each: four exchanges, the
  // order lookups among them.
  const stored = await storedTimeline(page);
  expect(await widget.shownTimeline()).toEqual(stored);
  const sources = stored.flatMap((item) => (item.type === 'message' ? [item.source] : []));
  expect(sources).toEqual(Array(4).fill(['customer', 'ai_agent']).flat());
  expect(stored.filter((item) => item.type === 'tool').length).toBeGreaterThanOrEqual(2);
});
