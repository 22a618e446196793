import { chatWidget, collapseWhitespace } from '../support/chat-widget';
import { storedMessages } from '../support/stored-conversation';
import { expect, test } from '../support/test';
import { longMarkdownReply } from './long-markdown-reply';

/** Tokens of about four characters, as a model's are; the fake streams the text in as many pieces. */
const replyTokens = 2_000;
const replyCharacters = replyTokens * 4;

/** What the page records while the reply streams (see the init script below). */
interface PaceRecord {
  /** When the agent's reply changed on screen, and how long its text was then. */
  renders: Array<{ at: number; length: number }>;
  /** Long tasks of the main thread (over 50 ms). */
  longTasks: Array<{ start: number; duration: number }>;
}

/**
 * The figure, through the real server and embed: a 2,000-token markdown reply (8,000
 * characters, under the 10,000 a message may hold) streamed as fast as the fake model can
 * write it. The test asserts that the text appears as it streams (several renders, the first
 * before the last) and arrives whole; the long tasks are a
 * measurement, printed and attached to the report, not asserted (they depend on the machine).
 */
test('a 2,000-token reply streamed fast shows as it streams and arrives whole', async ({
  page,
  modelQuickstartUrl,
  fakeModel,
}) => {
  const reply = longMarkdownReply(replyCharacters);
  expect(reply.markdown).toHaveLength(replyCharacters);

  await page.addInitScript(() => {
    const record: PaceRecord = { renders: [], longTasks: [] };
    (window as unknown as { parleyPace: PaceRecord }).parleyPace = record;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        record.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(modelQuickstartUrl);
  const widget = chatWidget(page);
  await widget.open();
  // Watch the reply's text from inside the page: every change the reader could see.
  await widget.host.evaluate((host) => {
    const record = (window as unknown as { parleyPace: PaceRecord }).parleyPace;
    const root = host.shadowRoot as ShadowRoot;
    new MutationObserver(() => {
      const reply = root.querySelector('.parley-message-agent .parley-bubble');
      const length = reply?.textContent?.length ?? 0;
      if (length > (record.renders.at(-1)?.length ?? 0)) {
        record.renders.push({ at: performance.now(), length });
      }
    }).observe(root, { subtree: true, childList: true, characterData: true });
  });

  await fakeModel.queueTurn({ text: reply.markdown, chunks: replyTokens, chunkDelayMs: 0 });
  const sentAt = await page.evaluate(() => performance.now());
  await widget.send('Walk me through the whole returns process, please.');
  await widget.waitForReplies(1, { timeout: 60_000 });

  expect(await widget.lastReplyText()).toBe(collapseWhitespace(reply.rendered));
  expect(await storedMessages(page)).toEqual([
    {
      type: 'message',
      source: 'customer',
      text: 'Walk me through the whole returns process, please.',
    },
    { type: 'message', source: 'ai_agent', text: collapseWhitespace(reply.markdown) },
  ]);

  // A late long task is reported after it ends: one more task lets it in.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
  const { renders, longTasks } = await page.evaluate(
    () => (window as unknown as { parleyPace: PaceRecord }).parleyPace,
  );
  const first = renders[0]?.at ?? 0;
  const last = renders.at(-1)?.at ?? 0;
  const whileStreaming = longTasks.filter((task) => task.start + task.duration >= sentAt);
  const longest = Math.max(0, ...whileStreaming.map((task) => Math.round(task.duration)));
  const figure =
    `${replyTokens}-token markdown reply through the quickstart and the <script> embed: ` +
    `first text ${Math.round(first - sentAt)} ms after sending, streamed over ` +
    `${Math.round(last - first)} ms in ${renders.length} renders; long tasks (> 50 ms) ` +
    `while it streamed: ${whileStreaming.length}, the longest ${longest} ms` +
    whileStreaming
      .map((task) => {
        const shown = renders.filter((render) => render.at <= task.start).at(-1)?.length ?? 0;
        return ` [${Math.round(task.duration)} ms at ${shown} characters shown]`;
      })
      .join('');
  test.info().annotations.push({ type: 'figure', description: figure });
  console.log(`[figure] ${figure}`);
  // It streamed: the text grew in steps over time, not in one piece at the end (pieces that
  // arrive in one read of the stream show together: a few renders, not one per token).
  expect(renders.length).toBeGreaterThanOrEqual(3);
  expect(last).toBeGreaterThan(first);
});
