import { chatWidget } from './support/chat-widget';
import { expect, test } from './support/test';

test.use({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });

test('on a 375-px phone the panel fills the screen and the composer stays usable', async ({
  page,
}) => {
  await page.goto('/');
  const widget = chatWidget(page);
  await widget.bubble.tap();
  await expect(widget.composer).toBeVisible();

  const viewport = page.viewportSize() ?? { width: 0, height: 0 };
  expect(await widget.panel.boundingBox()).toEqual({
    x: 0,
    y: 0,
    width: viewport.width,
    height: viewport.height,
  });
  // Nothing wider than the screen: no sideways scrolling inside the panel.
  expect(await widget.panel.evaluate((panel) => panel.scrollWidth <= panel.clientWidth)).toBe(true);

  await expect(widget.composer).toBeInViewport({ ratio: 1 });
  await expect(widget.sendButton).toBeInViewport({ ratio: 1 });
  await widget.composer.tap();
  await widget.composer.fill('Is the Trailblazer jacket in stock?');
  await widget.sendButton.tap();
  await widget.waitForReplies(1);
  expect(await widget.lastReplyText()).toMatch(/^Good news: the Trailblazer rain jacket/);

  // The composer is still on screen with the conversation above it.
  await expect(widget.composer).toBeInViewport({ ratio: 1 });
  await expect(widget.agentMessages.last()).toBeInViewport();
  const composerBox = await widget.composer.boundingBox();
  expect((composerBox?.y ?? 0) + (composerBox?.height ?? 0)).toBeLessThanOrEqual(viewport.height);

  // The close button is reachable too, and gives the page back.
  await widget.panel.getByRole('button', { name: 'Close chat' }).tap();
  await expect(widget.panel).toHaveCount(0);
  await expect(widget.bubble).toBeInViewport({ ratio: 1 });
});
