import { chatWidget } from './support/chat-widget';
import { expect, test } from './support/test';

test('keyboard only: Tab to the bubble, Enter opens, type and Enter sends, Escape closes back to the bubble', async ({
  page,
}) => {
  await page.goto('/');
  const widget = chatWidget(page);
  await expect(widget.bubble).toBeVisible();

  // Tab through the page until the bubble has the focus, and it shows.
  for (let presses = 0; presses < 5; presses += 1) {
    await page.keyboard.press('Tab');
    if (await widget.bubble.evaluate((bubble) => bubble.matches(':focus'))) break;
  }
  await expect(widget.bubble).toBeFocused();
  await expect(widget.bubble).toHaveAccessibleName('Open chat');
  await expect(widget.bubble).toHaveCSS('outline-style', 'solid');
  await expect(widget.bubble).toHaveCSS('outline-width', '2px');

  await page.keyboard.press('Enter');
  await expect(widget.panel).toBeVisible();
  await expect(widget.bubble).toHaveAttribute('aria-expanded', 'true');
  await expect(widget.composer).toBeFocused();

  // Shift+Enter starts a new line; Enter sends.
  await page.keyboard.type('Hello');
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('there');
  await expect(widget.composer).toHaveValue('Hello\nthere');
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('What are your opening hours?');
  await page.keyboard.press('Enter');
  await expect(widget.customerMessages.locator('.parley-bubble')).toHaveText([
    'What are your opening hours?',
  ]);
  await expect(widget.composer).toHaveValue('');
  await widget.waitForReplies(1);
  expect(await widget.lastReplyText()).toMatch(/^Our shop at 12 Harbour Street/);
  await expect(widget.composer).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(widget.panel).toHaveCount(0);
  await expect(widget.bubble).toBeFocused();
  await expect(widget.bubble).toHaveAttribute('aria-expanded', 'false');
  await expect(widget.bubble).toHaveCSS('outline-style', 'solid');

  // And Enter opens it again, on the same conversation.
  await page.keyboard.press('Enter');
  await expect(widget.composer).toBeFocused();
  await expect(widget.agentMessages).toHaveCount(1);
});
