import { defineAgent } from '@parley/core';
import type { WireEvent } from '@parley/core/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandlerKit, type HandlerKit, readFrames } from '../handler-kit';
import {
  createWidgetAgent,
  openCustomerSession,
  openStream,
  persistedEvents,
  untilTurnEnds,
  type WidgetAgent,
  workspaceId,
} from './streaming-support';

/**
 * A customer message stored by an instance that died (or could not start a turn) before its
 * first status: the stream that shows it must not leave the customer waiting for ever.
 */

/** How long a stream waits on silence before asking the engine; short, for the test. */
const checkMs = 200;

let kit: HandlerKit;
let agent: WidgetAgent;

beforeAll(async () => {
  kit = await createHandlerKit({ handler: { abandonedTurnCheckMs: checkMs } });
  agent = await createWidgetAgent(kit, defineAgent({ name: 'Support' }));
});
afterAll(async () => {
  await kit?.close();
});

/** Stores a customer message the way an instance that then died would: no turn after it. */
async function storeWithoutTurn(sessionId: string, text: string): Promise<number> {
  const workspace = kit.engine.forWorkspace(workspaceId);
  const [event] = await workspace.events.append(sessionId, [
    { kind: 'message', source: 'customer', data: { text } },
  ]);
  const offset = event?.offset ?? -1;
  await kit.engine.eventBus.publish({
    type: 'events-appended',
    workspaceId,
    sessionId,
    lastOffset: offset,
  });
  return offset;
}

describe('a stored customer message that no turn started for', () => {
  it('ends on the open stream with a retryable error the customer can retry', async () => {
    const session = await openCustomerSession(kit, agent);
    const abort = new AbortController();
    const response = await openStream(kit, session, { signal: abort.signal });
    const offset = await storeWithoutTurn(session.sessionId, 'hello? anyone?');
    const frames = await readFrames(response, untilTurnEnds(offset));
    abort.abort();

    const ended = persistedEvents(frames).find(
      (event) => event.offset > offset && event.kind === 'status',
    ) as WireEvent;
    // The customer sees the code and that a retry may help; operators also see the reason.
    expect(ended.data).toMatchObject({
      status: 'error',
      error: { code: 'database_failed', retryable: true },
    });
    const stored = await kit.engine.forWorkspace(workspaceId).events.get(ended.id);
    expect(stored.data).toMatchObject({ error: { reason: 'turn_not_started' } });

    // The retry the widget offers answers it.
    const retried = await kit.call('POST', `/v1/sessions/${session.sessionId}/retry`, {
      token: session.customerToken,
    });
    expect(retried.status).toBe(202);
    const again = await readFrames(
      await openStream(kit, session, { lastEventId: String(ended.offset) }),
      untilTurnEnds(ended.offset),
    );
    const last = persistedEvents(again).at(-1);
    expect(last?.kind).toBe('status');
    expect(last?.data).toMatchObject({ status: 'ready' });
  });

  it('is left alone in manual mode, where a person answers', async () => {
    const session = await openCustomerSession(kit, agent);
    await kit.engine
      .forWorkspace(workspaceId)
      .sessions.update(session.sessionId, { mode: 'manual' });
    const response = await openStream(kit, session);
    const offset = await storeWithoutTurn(session.sessionId, 'a person, please');
    // Many check periods of silence: the stream asks, and nothing is settled. (The reader
    // stops reading itself: an aborted signal may not reach a Request already collected.)
    const frames = await readFrames(response, () => false, { forMs: checkMs * 10 });
    const events = await kit.engine.forWorkspace(workspaceId).events.list(session.sessionId);
    expect(events.map((event) => event.kind)).toEqual(['message']);
    expect(persistedEvents(frames).map((event) => event.offset)).toEqual([offset]);
  });
});
