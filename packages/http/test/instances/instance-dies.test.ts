import { testDatabaseUrl } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeploymentKit,
  type DeploymentKit,
  deltasOf,
  eventsOf,
  type WireEvent,
} from './deployment-kit';
import type { FrameCollector } from './frame-collector';
import type { InstanceProcess } from './instance-process';

/**
 * How long a client may wait for the end of a turn whose instance died: far above any
 * detection delay a deployment would accept, far below a hang.
 */
const terminalWithinMs = 30_000;

describe.skipIf(!testDatabaseUrl)(
  'an instance that dies mid-turn, with two instances on one PostgreSQL (needs DATABASE_URL)',
  () => {
    let kit: DeploymentKit;
    /** Runs the turn, then is killed with SIGKILL in the middle of the reply. */
    let holder: InstanceProcess;
    /** Serves the client's stream and survives. */
    let survivor: InstanceProcess;
    let sessionId: string;
    let customerToken: string;
    let stream: FrameCollector;
    /** The trace of the turn that was running on the holder when it died. */
    let orphanedTraceId: string;

    beforeAll(async () => {
      kit = await createDeploymentKit(2);
      [holder, survivor] = kit.instances as [InstanceProcess, InstanceProcess];
      ({ sessionId, customerToken } = await kit.openWidgetSession(survivor));
      stream = await kit.openStream(survivor, sessionId, customerToken);
      // A slow reply (40 pieces, 250 ms apart): the holder is killed while it streams.
      kit.scriptTurn(
        'Let me look into that for you: your order was packed yesterday, handed to the carrier this morning, and the tracking page will show it within the hour, so please check again a little later today.',
        { chunks: 40, chunkDelayMs: 250 },
      );
      const posted = await holder.call('POST', `/v1/sessions/${sessionId}/events`, {
        token: customerToken,
        body: { text: 'Where is my order?', clientMessageId: 'first-question' },
      });
      if (posted.status !== 201) throw new Error(`Posting failed: ${await posted.text()}`);
      const midReply = await stream.waitFor(
        'two deltas of the reply before the holder is killed',
        (frames) => deltasOf(frames).length >= 2,
        30_000,
      );
      orphanedTraceId = (deltasOf(midReply)[0] as { traceId: string }).traceId;
      await holder.kill('SIGKILL');
    });
    afterAll(async () => {
      await kit?.close();
    });

    it('ends the dead instance’s turn for a client of the survivor: error or retried, never a hang', async () => {
      // Either the orphaned turn is marked failed (so the widget offers a retry), or it is run
      // again and completes. Waiting forever behind keep-alives is the bug this guards.
      const frames = await stream.waitFor(
        `a terminal status for turn ${orphanedTraceId} after its instance was killed`,
        (seen) =>
          eventsOf(seen).some(
            (event) =>
              event.kind === 'status' &&
              ((event.data.status === 'error' && event.traceId === orphanedTraceId) ||
                event.data.status === 'ready'),
          ),
        terminalWithinMs,
      );
      const events = eventsOf(frames);
      const ending = events.find(
        (event) =>
          event.kind === 'status' &&
          (event.data.status === 'error' || event.data.status === 'ready'),
      ) as WireEvent;
      if (ending.data.status === 'error') {
        // A failed turn the customer can retry, like any other interrupted turn.
        expect(ending.data.error).toMatchObject({ retryable: true });
      }
      // The customer's message is kept once, whatever became of the turn.
      const stored = await kit.storedEvents(survivor, sessionId, customerToken);
      expect(
        stored.filter((event) => event.kind === 'message' && event.source === 'customer'),
      ).toHaveLength(1);
      expect(stored.map((event) => event.offset)).toEqual(stored.map((_, index) => index));
    }, 60_000);

    it('answers the next message in that session on the surviving instance', async () => {
      const reply = 'Sorry for the wait: your order arrives tomorrow.';
      kit.scriptTurn(reply, { chunks: 4 });
      const before = eventsOf(stream.frames).length;
      const posted = await survivor.call('POST', `/v1/sessions/${sessionId}/events`, {
        token: customerToken,
        body: { text: 'Hello? Are you still there?', clientMessageId: 'second-question' },
      });
      expect(posted.status).toBe(201);
      const answerOf = (seen: Parameters<typeof eventsOf>[0]) => {
        const later = eventsOf(seen).slice(before);
        const message = later.find(
          (event) => event.kind === 'message' && event.source === 'ai_agent',
        );
        const ready = later.find(
          (event) =>
            event.kind === 'status' &&
            event.data.status === 'ready' &&
            event.traceId === message?.traceId,
        );
        return ready ? message : undefined;
      };
      const frames = await stream.waitFor(
        'the reply and its ready status for the message posted to the survivor',
        (seen) => answerOf(seen) !== undefined,
        terminalWithinMs,
      );
      expect(answerOf(frames)?.data.text).toBe(reply);
      // The stream never repeated an event, through the death and the new turn.
      const offsets = eventsOf(frames).map((event) => event.offset);
      expect(offsets).toEqual(offsets.map((_, index) => index));
    }, 60_000);
  },
);
