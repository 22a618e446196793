/** A widget visitor's session, as the bench's clients hold it. */
export interface WidgetSession {
  sessionId: string;
  customerToken: string;
}

/** Opens a widget session the way the widget does: `POST /v1/sessions` with the agent key. */
export async function openWidgetSession(baseUrl: string, agentKey: string): Promise<WidgetSession> {
  const response = await fetch(`${baseUrl}/v1/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ agentKey }),
  });
  if (response.status !== 201) {
    throw new Error(`opening a widget session: ${response.status} ${await response.text()}`);
  }
  const body = (await response.json()) as { session: { id: string }; customerToken: string };
  return { sessionId: body.session.id, customerToken: body.customerToken };
}

/** Runs `work` over `items`, at most `concurrency` at a time, and returns the results in order. */
export async function mapConcurrently<TItem, TResult>(
  items: readonly TItem[],
  concurrency: number,
  work: (item: TItem, index: number) => Promise<TResult>,
): Promise<TResult[]> {
  const results: TResult[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      results[index] = await work(items[index] as TItem, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
