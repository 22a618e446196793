import type { Page } from '@playwright/test';

/** The session the widget keeps in the page's `localStorage` (`parley:<agent key>`). */
export interface StoredSession {
  sessionId: string;
  customerToken: string;
}

/**
 * A message or a tool call as the server stored it (a tool event gives one entry per call), a
 * message's text with its whitespace collapsed, to compare with what the widget shows.
 */
export type StoredItem =
  | { type: 'message'; source: 'customer' | 'ai_agent' | 'human_agent'; text: string }
  | { type: 'tool'; toolName: string };

/** The session the widget on `page` keeps; fails when it keeps none, or more than one. */
export async function storedSession(page: Page): Promise<StoredSession> {
  const sessions = await page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('parley:'))
      .map((key) => JSON.parse(localStorage.getItem(key) ?? '{}') as StoredSession),
  );
  if (sessions.length !== 1) {
    throw new Error(`Expected one stored Parley session, found ${sessions.length}`);
  }
  return sessions[0] as StoredSession;
}

/**
 * The messages and tool calls the server stored for the widget's session, oldest first, read
 * through the HTTP API with the widget's own customer token, from the test (so also while the
 * page is offline). Preambles ("One moment, please.", `data.preamble`) are left out: they are
 * holding lines a slow turn may send, depending on timing, not the replies these tests count.
 */
export async function storedTimeline(page: Page): Promise<StoredItem[]> {
  const { sessionId, customerToken } = await storedSession(page);
  const origin = new URL(page.url()).origin;
  const response = await fetch(
    `${origin}/api/parley/v1/sessions/${sessionId}/events?kinds=message,tool&limit=1000`,
    { headers: { authorization: `Bearer ${customerToken}`, origin } },
  );
  if (!response.ok) throw new Error(`Listing the events answered ${response.status}`);
  const { events } = (await response.json()) as {
    events: Array<
      | {
          kind: 'message';
          source: 'customer' | 'ai_agent';
          data: { text: string; preamble?: boolean };
        }
      | { kind: 'tool'; data: { calls: Array<{ toolName: string }> } }
    >;
  };
  return events.flatMap((event): StoredItem[] =>
    event.kind === 'message'
      ? event.data.preamble
        ? []
        : [
            {
              type: 'message',
              source: event.source,
              text: event.data.text.replace(/\s+/g, ' ').trim(),
            },
          ]
      : event.data.calls.map((call) => ({ type: 'tool', toolName: call.toolName })),
  );
}

/** The stored messages only. */
export async function storedMessages(
  page: Page,
): Promise<Array<Extract<StoredItem, { type: 'message' }>>> {
  return (await storedTimeline(page)).filter((item) => item.type === 'message');
}
