import type { Page } from '@playwright/test';
import { chatWidget } from './support/chat-widget';
import { type IssuedKey, operatorApi } from './support/operator-api';
import { type SecondOrigin, startSecondOrigin } from './support/second-origin';
import { expect, test } from './support/test';

/**
 * The `<script>` embed on a site elsewhere: a page the test serves from another origin, loading
 * the quickstart's `/parley-widget.js` and talking to its absolute `/api/parley`. When the site
 * is set up wrong (its origin not among the key's allowed origins, its Content-Security-Policy
 * leaving Parley out of `connect-src`, a revoked key), the visitor reads a clear, final notice,
 * the console tells the owner what to fix, and the widget stops asking: a bounded number of
 * requests, not one every few seconds.
 */

const unavailable = "This chat isn't available on this site right now.";
/** Long enough for several rounds of the widget's reconnection backoff (0.5 s, 1 s, 2 s…). */
const watchMs = 5_000;

/** A page of the second origin with the embed of the quickstart at `parley`. */
function sitePage(parley: string, agentKey: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A site elsewhere</title></head>
<body><main><h1>A site elsewhere</h1><p>It embeds a Parley chat.</p></main>
<script src="${parley}/parley-widget.js" data-agent-key="${agentKey}" data-endpoint="${parley}/api/parley" defer></script>
</body></html>`;
}

/** What the page asks of Parley's API, and the widget's console errors. */
function watch(page: Page, parley: string) {
  const apiRequests: string[] = [];
  const parleyErrors: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(`${parley}/api/parley/`)) {
      apiRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
    }
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().startsWith('[parley]')) {
      parleyErrors.push(message.text());
    }
  });
  return { apiRequests, parleyErrors };
}

/** Opens the panel (the composer stays disabled, so not through `widget.open()`). */
async function openPanel(page: Page) {
  const widget = chatWidget(page);
  await widget.bubble.click();
  await expect(widget.panel).toBeVisible();
  return widget;
}

/** The visitor's view of an unavailable chat: the notice, no Retry, no "Reconnecting…". */
async function expectUnavailable(page: Page, code: string) {
  const widget = chatWidget(page);
  await expect(widget.notice).toHaveText(unavailable);
  await expect(widget.notice).toHaveAttribute('data-error-code', code);
  await expect(widget.panel.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await expect(widget.status).toHaveText('');
  await expect(widget.composer).toBeDisabled();
}

/**
 * Opens the panel of a chat that cannot work here, checks the visitor's notice, then watches
 * for `watchMs`: one refused request to open a session and nothing after it, one console line
 * for the site's owner (returned).
 */
async function expectRefusedOnce(page: Page, seen: ReturnType<typeof watch>, code: string) {
  await openPanel(page);
  await expectUnavailable(page, code);
  await page.waitForTimeout(watchMs);
  expect(seen.apiRequests).toEqual(['POST /api/parley/v1/sessions']);
  await expectUnavailable(page, code);
  expect(seen.parleyErrors).toHaveLength(1);
  return seen.parleyErrors[0] as string;
}

let site: SecondOrigin;
const issued: IssuedKey[] = [];

/** Serves the second origin's page with a key issued for that origin and `policy` as its CSP. */
async function serveWithPolicy(parley: string, policy: string): Promise<void> {
  const key = await operatorApi(parley).issueKey([site.origin]);
  issued.push(key);
  site.serve({
    html: sitePage(parley, key.secret),
    headers: { 'content-security-policy': policy },
  });
}

test.beforeEach(async () => {
  site = await startSecondOrigin();
});
test.afterEach(async ({ baseURL }) => {
  await site.close();
  const api = operatorApi(baseURL as string);
  for (const key of issued.splice(0)) await api.revokeKey(key);
});

test('a site whose origin the key does not allow: a clear notice, the fix in the console, no retrying', async ({
  page,
  baseURL,
}) => {
  const parley = baseURL as string;
  // The quickstart's own key allows the quickstart's origin only.
  const ownPage = await (await fetch(parley)).text();
  const agentKey = /data-agent-key="(pk_[^"]+)"/.exec(ownPage)?.[1] as string;
  expect(agentKey).toMatch(/^pk_/);
  site.serve({ html: sitePage(parley, agentKey) });
  const seen = watch(page, parley);

  await page.goto(site.origin);
  const line = await expectRefusedOnce(page, seen, 'origin_not_allowed');
  expect(line).toContain(`this page's origin ${site.origin} is not among the allowed origins`);
  expect(line).toContain(agentKey.slice(0, 11));
  expect(line).not.toContain(agentKey);
  expect(line).toContain('PATCH /v1/agents/:agentId/keys/:keyId');
});

test('a site whose Content-Security-Policy leaves Parley out of connect-src: a clear notice, connect-src named in the console', async ({
  page,
  baseURL,
}) => {
  const parley = baseURL as string;
  // The key allows this origin: what stops the chat is the policy alone.
  await serveWithPolicy(parley, `default-src 'none'; script-src ${parley}; connect-src 'self'`);
  const seen = watch(page, parley);
  // Injected by the browser's driver, so the page's policy does not stop it.
  await page.addInitScript((endpoint) => {
    const counted = window as { parleyBlocked?: number };
    counted.parleyBlocked = 0;
    document.addEventListener('securitypolicyviolation', (event) => {
      if (event.blockedURI.startsWith(endpoint))
        counted.parleyBlocked = (counted.parleyBlocked ?? 0) + 1;
    });
  }, parley);

  await page.goto(site.origin);
  await openPanel(page);
  await expectUnavailable(page, 'blocked_by_content_security_policy');

  await page.waitForTimeout(watchMs);
  await expectUnavailable(page, 'blocked_by_content_security_policy');
  // Blocked requests never leave the page (nor reach page.on('request')): each is one
  // violation, counted from the document. A widget that kept retrying would have made five or
  // more by now (its waits: under 0.5 s, 1 s, 2 s…).
  expect(seen.apiRequests).toEqual([]);
  const blocked = await page.evaluate(() => (window as { parleyBlocked?: number }).parleyBlocked);
  expect(blocked).toBeGreaterThanOrEqual(1);
  expect(blocked).toBeLessThanOrEqual(2);
  expect(seen.parleyErrors).toHaveLength(1);
  const [line] = seen.parleyErrors as [string];
  expect(line).toContain(`Content-Security-Policy blocks connect-src to ${parley}`);
  expect(line).toContain('connect-src');
});

test('the same site with the policy docs/widget.md gives: the chat works, no style-src needed', async ({
  page,
  baseURL,
}) => {
  const parley = baseURL as string;
  await serveWithPolicy(
    parley,
    `default-src 'none'; script-src ${parley}; connect-src 'self' ${parley}`,
  );
  const seen = watch(page, parley);
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push(message.text());
    }
  });

  await page.goto(site.origin);
  const widget = chatWidget(page);
  await widget.open();
  await widget.send('What are your opening hours?');
  await widget.waitForReplies(1);
  expect(await widget.lastReplyText()).toMatch(/^Our shop at 12 Harbour Street/);
  await expect(widget.notice).toHaveCount(0);
  expect(violations).toEqual([]);
  expect(seen.parleyErrors).toEqual([]);
});

test('a revoked key: a clear notice, the key named by its prefix only, no retrying', async ({
  page,
  baseURL,
}) => {
  const parley = baseURL as string;
  const api = operatorApi(parley);
  const key = await api.issueKey([site.origin]);
  await api.revokeKey(key);
  site.serve({ html: sitePage(parley, key.secret) });
  const seen = watch(page, parley);

  await page.goto(site.origin);
  const line = await expectRefusedOnce(page, seen, 'agent_key_invalid');
  expect(line).toContain(key.secret.slice(0, 11));
  expect(line).not.toContain(key.secret);
});
