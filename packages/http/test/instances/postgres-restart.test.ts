import { testDatabaseUrl } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandlerKit } from '../handler-kit';
import { type ClusterDeployment, openClusterDeployment } from './cluster-deployment';
import { deltasOf, eventsOf, hasStatus, terminalStatuses, type WireEvent } from './deployment-kit';
import { collectFrames, type FrameCollector } from './frame-collector';
import type { PrivatePostgresCluster } from './private-postgres-cluster';

/** Bound on every wait: far above a reconnection with backoff, far below a hang. */
const waitMs = 30_000;
const workspaceId = 'workspace-restart';

/** Settles with `promise`, or rejects after `timeoutMs` naming `what`: a hang fails the test. */
async function within<T>(what: string, timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe.skipIf(!testDatabaseUrl)(
  'a server whose PostgreSQL restarts (a private PostgreSQL cluster; needs DATABASE_URL)',
  () => {
    let deployment: ClusterDeployment;
    let cluster: PrivatePostgresCluster;
    let kit: HandlerKit;
    let sessionId: string;
    let customerToken: string;
    /** The stream opened before the crash and left open through it. */
    let survivingStream: FrameCollector;
    const streams: FrameCollector[] = [];
    /** The model's replies, in order; one with `gate` waits for it before it streams. */
    const replies: Array<{ text: string; requested?: () => void; gate?: Promise<void> }> = [];
    /** The offset the stream left open through the restart resumed after. */
    let survivingFrom: number;

    beforeAll(async () => {
      deployment = await openClusterDeployment({
        workspaceId,
        reply: async () => {
          const next = replies.shift();
          if (!next) throw new Error('The test scripted no reply for this turn');
          next.requested?.();
          await next.gate;
          return next.text;
        },
      });
      ({ cluster, kit, sessionId, customerToken } = deployment);
    });
    afterAll(async () => {
      for (const stream of streams) await stream.stop();
      await deployment?.close();
    });

    async function openStream(lastEventId?: number): Promise<FrameCollector> {
      const abort = new AbortController();
      const response = await within(
        'opening the stream',
        waitMs,
        kit.call('GET', `/v1/sessions/${sessionId}/stream`, {
          token: customerToken,
          signal: abort.signal,
          headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) },
        }),
      );
      if (response.status !== 200) {
        throw new Error(`The stream did not open (${response.status}): ${await response.text()}`);
      }
      const stream = collectFrames(response, abort);
      streams.push(stream);
      return stream;
    }

    async function post(text: string): Promise<Response> {
      return within(
        `posting "${text}"`,
        waitMs,
        kit.call('POST', `/v1/sessions/${sessionId}/events`, {
          token: customerToken,
          body: { text, clientMessageId: text },
        }),
      );
    }

    async function storedEvents(): Promise<WireEvent[]> {
      const response = await within(
        'listing the events',
        waitMs,
        kit.call('GET', `/v1/sessions/${sessionId}/events?limit=1000`, { token: customerToken }),
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { events: WireEvent[] }).events;
    }

    /** The last offset of the stored events, −1 for none. */
    async function lastStoredOffset(): Promise<number> {
      return (await storedEvents()).at(-1)?.offset ?? -1;
    }

    it('serves a conversation on the private cluster before the restart', async () => {
      const stream = await openStream();
      replies.push({ text: 'Hello! How can I help you today?' });
      expect((await post('Hi there')).status).toBe(201);
      const frames = await stream.waitFor(
        'the first reply',
        (seen) => hasStatus(seen, ['ready']),
        waitMs,
      );
      expect(
        deltasOf(frames)
          .map((delta) => delta.text)
          .join(''),
      ).toBe('Hello! How can I help you today?');
      await stream.stop();
      // This stream stays open through the crash.
      survivingFrom = await lastStoredOffset();
      survivingStream = await openStream(survivingFrom);
    });

    it('answers 503 with the error envelope while PostgreSQL is down, without hanging', async () => {
      await cluster.crash();
      const requests: Array<[string, () => Promise<Response>]> = [
        [
          'reading the session',
          () => kit.call('GET', `/v1/sessions/${sessionId}`, { token: customerToken }),
        ],
        [
          'posting a message',
          () =>
            kit.call('POST', `/v1/sessions/${sessionId}/events`, {
              token: customerToken,
              body: { text: 'Are you there?', clientMessageId: 'during-outage' },
            }),
        ],
        [
          'listing events',
          () => kit.call('GET', `/v1/sessions/${sessionId}/events`, { token: customerToken }),
        ],
        [
          'opening a stream',
          () => kit.call('GET', `/v1/sessions/${sessionId}/stream`, { token: customerToken }),
        ],
        [
          'opening a widget session',
          async () =>
            kit.call('POST', '/v1/sessions', { body: { agentKey: 'pk_anything_at_all' } }),
        ],
      ];
      for (const [what, request] of requests) {
        const response = await within(what, waitMs, request());
        const body = (await response.json()) as {
          error?: { code: string; message: string; requestId: string };
        };
        expect({ what, status: response.status }).toEqual({ what, status: 503 });
        expect(['database_failed', 'not_ready']).toContain(body.error?.code);
        expect(body.error?.message).toEqual(expect.any(String));
        expect(body.error?.requestId).toBe(response.headers.get('x-request-id'));
      }
      // Health and readiness say so too, for the load balancer.
      const ready = await within('readiness', waitMs, kit.call('GET', '/v1/ready'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ error: { code: 'database_failed' } });
      const health = await within('health', waitMs, kit.call('GET', '/v1/health'));
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unhealthy' });
    });

    it('serves the same session once PostgreSQL is back, deltas included', async () => {
      await cluster.start();
      // Ready again once the database answers: poll as a load balancer would, bounded.
      const deadline = Date.now() + waitMs;
      let readyStatus = 0;
      while (Date.now() < deadline) {
        readyStatus = (await within('readiness', waitMs, kit.call('GET', '/v1/ready'))).status;
        if (readyStatus === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(readyStatus).toBe(200);

      const before = await lastStoredOffset();
      const stream = await openStream(before);
      const reply = 'Yes, I am still here and ready to help.';
      replies.push({ text: reply });
      expect((await post('Are you still there?')).status).toBe(201);
      const frames = await stream.waitFor(
        'the reply after the restart, on a stream opened after it',
        (seen) => hasStatus(seen, ['ready']),
        waitMs,
      );
      const events = eventsOf(frames);
      expect(events.map((event) => event.offset)).toEqual(
        events.map((_, index) => before + 1 + index),
      );
      expect(
        events.find((event) => event.kind === 'message' && event.source === 'ai_agent')?.data.text,
      ).toBe(reply);
      // The bus listens again: the reply's pieces came through NOTIFY after the restart.
      expect(
        deltasOf(frames)
          .map((delta) => delta.text)
          .join(''),
      ).toBe(reply);
      expect(events).toEqual((await storedEvents()).slice(before + 1));
    });

    it('loses nothing on a stream that was open through the restart: it goes on, or ends and resumes with Last-Event-ID', async () => {
      const expected = (await storedEvents()).filter((event) => event.offset > survivingFrom);
      const lastOffset = expected.at(-1)?.offset;
      const complete = (events: readonly WireEvent[]) => events.at(-1)?.offset === lastOffset;
      // Either the stream carried on (the bus listened again and woke it), or it ended and
      // the client resumes from the last id it got, as EventSource does. Never silence.
      const frames = await survivingStream
        .waitFor('every event after the restart', (seen) => complete(eventsOf(seen)), waitMs)
        .catch((error: unknown) => {
          if (!survivingStream.ended) throw error;
          return survivingStream.frames;
        });
      const received = eventsOf(frames);
      if (!complete(received)) {
        const resumed = await openStream(received.at(-1)?.offset ?? survivingFrom);
        const more = await resumed.waitFor(
          'the events after Last-Event-ID',
          (seen) => complete(eventsOf(seen)),
          waitMs,
        );
        received.push(...eventsOf(more));
      }
      // Every event after the one the stream started from, once each, in order.
      expect(received).toEqual(expected);
    });

    it('ends a turn that was running when PostgreSQL went down, once it is back: never a hang', async () => {
      const stream = await openStream(await lastStoredOffset());
      let releaseReply: () => void = () => undefined;
      let replyRequested: () => void = () => undefined;
      const requested = new Promise<void>((resolve) => {
        replyRequested = resolve;
      });
      replies.push({
        text: 'This reply was being written when the database went away.',
        requested: replyRequested,
        gate: new Promise<void>((resolve) => {
          releaseReply = resolve;
        }),
      });
      expect((await post('One more question')).status).toBe(201);
      await within('the model asked for the reply', waitMs, requested);
      const traceId =
        eventsOf(
          await stream.waitFor(
            'the turn to start',
            (seen) => hasStatus(seen, ['processing']),
            waitMs,
          ),
        ).find((event) => event.data.status === 'processing')?.traceId ?? undefined;

      // The database goes away while the reply is being written; the turn fails (it cannot
      // even publish its first delta) and cannot record how it ended.
      await cluster.crash();
      releaseReply();
      const deadline = Date.now() + waitMs;
      while (kit.engine.turnsInFlight > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(kit.engine.turnsInFlight).toBe(0);
      await cluster.start();

      // Once the database is back, the client must learn how the turn ended: an error it
      // can retry, or a reply. Keep-alives forever is the bug this guards.
      const frames = await stream.waitFor(
        `a terminal status of turn ${traceId} after the restart`,
        (seen) => hasStatus(seen, terminalStatuses, traceId),
        waitMs,
      );
      const ending = eventsOf(frames).find(
        (event) =>
          event.traceId === traceId &&
          (terminalStatuses as readonly string[]).includes(event.data.status ?? ''),
      );
      expect(['error', 'ready']).toContain(ending?.data.status);
    }, 90_000);

    it('kept the process up: nothing escaped as an uncaught error through the restarts', () => {
      expect(deployment.uncaught.map(String)).toEqual([]);
    });
  },
);
