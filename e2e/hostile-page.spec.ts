import type { Page } from '@playwright/test';
import { chatWidget } from './support/chat-widget';
import { expect, test } from './support/test';

/**
 * Page CSS at its most hostile: `!important` rules for every element, the host element by
 * name, inherited properties on the body, a root font size (for `rem`), and SVG paint.
 */
const hostileStyles = `
html { font-size: 31px !important; }
body { color: red; font: italic 40px/5 serif; letter-spacing: 6px; text-transform: uppercase;
  word-spacing: 12px; text-align: right; cursor: wait; }
* { color: red !important; font-family: serif !important; font-size: 40px !important;
  line-height: 5 !important; letter-spacing: 5px !important; box-sizing: content-box !important;
  text-shadow: 2px 2px lime !important; }
div, p, h2, span, form, fieldset, label { display: inline !important; margin: 20px !important;
  padding: 0 !important; border: 10px dashed lime !important; background: yellow !important; }
button, textarea { all: unset !important; display: none !important; }
svg, path { display: none !important; fill: red !important; }
parley-widget { display: none !important; position: absolute !important; opacity: 0 !important;
  transform: scale(0.2) !important; }
`;

/** A plain page of the quickstart's origin (so the key allows it) loading the embed. */
function hostilePage(agentKey: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hostile page</title>
<style>${hostileStyles}</style></head>
<body><p id="page-text">A page whose CSS reaches for everything.</p>
<script src="/parley-widget.js" data-agent-key="${agentKey}" data-endpoint="/api/parley" defer></script>
</body></html>`;
}

/** Parts of the widget compared between a clean page and the hostile one. */
const parts = [
  '.parley-bubble-button',
  '.parley-bubble-button svg',
  '.parley-chat',
  '.parley-header',
  '.parley-title',
  '.parley-close',
  '.parley-log',
  '.parley-message-customer .parley-bubble',
  '.parley-message-agent .parley-bubble',
  '.parley-markdown p',
  '.parley-composer',
  '.parley-input',
  '.parley-button-primary',
];

const properties = [
  'display',
  'visibility',
  'position',
  'color',
  'background-color',
  'font-family',
  'font-size',
  'font-style',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-transform',
  'text-shadow',
  'text-align',
  'box-sizing',
  'margin-top',
  'padding-top',
  'border-top-width',
  'border-top-style',
  'fill',
  'opacity',
  'cursor',
];

/** Opens the chat, has one exchange, and reads the computed style and size of each part. */
async function widgetStyles(page: Page): Promise<Record<string, Record<string, string>>> {
  const widget = chatWidget(page);
  await widget.open();
  await widget.send('What are your opening hours?');
  await widget.waitForReplies(1);
  const styles = await widget.host.evaluate(
    (host, { parts, properties }) => {
      const root = host.shadowRoot as ShadowRoot;
      return Object.fromEntries(
        parts.map((selector) => {
          const element = root.querySelector(selector);
          if (!element) return [selector, { missing: 'true' }];
          const computed = getComputedStyle(element);
          const box = element.getBoundingClientRect();
          return [
            selector,
            {
              ...Object.fromEntries(
                properties.map((name) => [name, computed.getPropertyValue(name)]),
              ),
              box: `${box.x},${box.y} ${box.width}x${box.height}`,
            },
          ];
        }),
      );
    },
    { parts, properties },
  );
  const host = await widget.host.evaluate((element) => getComputedStyle(element).display);
  return { ...styles, host: { display: host } };
}

test('the <script> embed on a page with hostile CSS: nothing of it reaches the widget, nothing leaks out', async ({
  page,
  baseURL,
}) => {
  // The widget on the quickstart's own page, as the reference.
  await page.goto('/');
  const reference = await widgetStyles(page);
  const agentKey = await page.locator('script[data-agent-key]').getAttribute('data-agent-key');
  expect(agentKey).toMatch(/^pk_/);

  // The same widget on a plain page of the same origin, served by the test.
  await page.context().clearCookies();
  await page.evaluate(() => localStorage.clear());
  await page.route(`${baseURL}/hostile.html`, (route) =>
    route.fulfill({ contentType: 'text/html; charset=utf-8', body: hostilePage(agentKey ?? '') }),
  );
  await page.goto('/hostile.html');
  const onHostilePage = await widgetStyles(page);
  expect(onHostilePage).toEqual(reference);
  expect(onHostilePage.host?.display).toBe('block');

  // The page's own rules still apply to the page, and the widget added no CSS to it.
  await expect(page.locator('#page-text')).toHaveCSS('color', 'rgb(255, 0, 0)');
  expect(await page.locator('style, link[rel="stylesheet"]').count()).toBe(1);
});
