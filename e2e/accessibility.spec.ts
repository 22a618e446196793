import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { chatWidget } from './support/chat-widget';
import { expect, test } from './support/test';

/**
 * The serious and critical axe violations on the page, widget included, as readable lines.
 * Fails when axe did not look inside the widget's shadow root at all.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  // A node in a shadow root is targeted as [host selector, selector inside].
  const insideWidget = results.passes.flatMap((rule) =>
    rule.nodes.filter((node) => JSON.stringify(node.target).includes('parley-widget')),
  );
  expect(insideWidget.length).toBeGreaterThan(0);
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) =>
      violation.nodes.map(
        (node) =>
          `${violation.id} (${violation.impact}): ${JSON.stringify(node.target)}: ${violation.help}`,
      ),
    );
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`axe finds no serious violation, launcher closed and open, ${colorScheme} theme`, async ({
    page,
  }) => {
    // The quickstart's widget follows the system theme.
    await page.emulateMedia({ colorScheme });
    await page.goto('/');
    const widget = chatWidget(page);
    await expect(widget.bubble).toBeVisible();
    // The theme the widget shows is the one asked for.
    await expect(widget.bubble).toHaveCSS('color-scheme', colorScheme);
    expect(await seriousViolations(page)).toEqual([]);

    // Open, with what a conversation shows: suggested replies, then a tool card, a reply with
    // its feedback buttons and the status line.
    await widget.open();
    expect(await seriousViolations(page)).toEqual([]);
    await widget.send('Where is order PO-1002?');
    await widget.waitForReplies(1);
    await expect(widget.host.locator('.parley-tool')).toHaveCount(1);
    await expect(widget.host.getByRole('button', { name: 'Helpful', exact: true })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}
