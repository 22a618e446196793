import { testDatabaseUrl } from '@parley/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeploymentKit,
  type DeploymentDatabaseOptions,
  type DeploymentKit,
  deltasOf,
  eventsOf,
  hasStatus,
} from './deployment-kit';
import type { InstanceProcess } from './instance-process';

/** Bound on every wait: far above a turn on a loaded machine, far below a hang. */
const waitMs = 30_000;

/** The same conversations, on each way a deployment reaches PostgreSQL. */
const deployments: Array<{ title: string; options: DeploymentDatabaseOptions }> = [
  { title: 'on one PostgreSQL through node-postgres', options: {} },
  {
    // Sim's production setup: postgres-js, queries through PgBouncer, locks and LISTEN direct.
    title: 'behind PgBouncer in transaction mode through postgres-js',
    options: { driver: 'postgres-js', behindPgBouncer: true },
  },
];

for (const deployment of deployments) {
  describe.skipIf(!testDatabaseUrl)(
    `two handler instances in two processes ${deployment.title} (PostgreSQL, needs DATABASE_URL)`,
    () => {
      let kit: DeploymentKit;
      let first: InstanceProcess;
      let second: InstanceProcess;
      beforeAll(async () => {
        kit = await createDeploymentKit(2, deployment.options);
        [first, second] = kit.instances as [InstanceProcess, InstanceProcess];
      });
      afterAll(async () => {
        await kit?.close();
      });

      /**
       * Opens a session on `opener`, streams on `streamer`, posts on `poster`, and checks the
       * streaming client got the whole turn: every stored event once, in offset order, and the
       * deltas of the reply, which add up to its text.
       */
      async function converseAcross(
        opener: InstanceProcess,
        streamer: InstanceProcess,
        poster: InstanceProcess,
        reply: string,
      ) {
        const { sessionId, customerToken } = await kit.openWidgetSession(opener);
        const stream = await kit.openStream(streamer, sessionId, customerToken);
        kit.scriptTurn(reply, { chunks: 6, chunkDelayMs: 20 });
        const posted = await poster.call('POST', `/v1/sessions/${sessionId}/events`, {
          token: customerToken,
          body: { text: 'Where is my parcel?', clientMessageId: `message-${sessionId}` },
        });
        expect(posted.status).toBe(201);

        const frames = await stream.waitFor(
          `a ready status on ${streamer === first ? 'the first' : 'the second'} instance`,
          (seen) => hasStatus(seen, ['ready', 'error', 'cancelled']),
          waitMs,
        );
        await stream.stop();

        const streamed = eventsOf(frames);
        const stored = await kit.storedEvents(opener, sessionId, customerToken);
        // Every persisted event, once each and in offset order, exactly as stored.
        expect(streamed.map((event) => event.offset)).toEqual(stored.map((_, index) => index));
        expect(streamed).toEqual(stored);
        expect(frames.filter((frame) => frame.event === 'event').map((frame) => frame.id)).toEqual(
          stored.map((event) => String(event.offset)),
        );
        expect(
          stored.map((event) => [event.kind, event.source, event.data.status ?? null]),
        ).toEqual([
          ['message', 'customer', null],
          ['status', 'ai_agent', 'acknowledged'],
          ['status', 'ai_agent', 'processing'],
          ['status', 'ai_agent', 'typing'],
          ['message', 'ai_agent', null],
          ['status', 'ai_agent', 'ready'],
        ]);
        const message = stored.find(
          (event) => event.kind === 'message' && event.source === 'ai_agent',
        );
        expect(message?.data.text).toBe(reply);

        // The reply's pieces, each once, in order, adding up to the stored message.
        const deltas = deltasOf(frames);
        expect(deltas.length).toBeGreaterThan(1);
        expect(new Set(deltas.map((delta) => delta.messageId))).toEqual(new Set([message?.id]));
        expect(deltas.map((delta) => delta.seq)).toEqual(deltas.map((_, index) => index));
        expect(deltas.map((delta) => delta.text).join('')).toBe(reply);
        // No delta arrives after its message: the client never shows text twice.
        const messageFrame = frames.findIndex(
          (frame) => frame.event === 'event' && (frame.data as { id: string }).id === message?.id,
        );
        expect(frames.slice(messageFrame).some((frame) => frame.event === 'delta')).toBe(false);
      }

      it('streams a turn run by the first instance to a client of the second', async () => {
        await converseAcross(first, second, first, 'Your parcel left our warehouse this morning.');
      }, 60_000);

      it('streams a turn run by the second instance to a client of the first', async () => {
        await converseAcross(second, first, second, 'It should arrive on Thursday before noon.');
      }, 60_000);

      it('accepts on one instance the customer token the other issued, and renews it there', async () => {
        const { sessionId, customerToken } = await kit.openWidgetSession(first);
        const read = await second.call('GET', `/v1/sessions/${sessionId}`, {
          token: customerToken,
        });
        expect(read.status).toBe(200);
        expect(((await read.json()) as { id: string }).id).toBe(sessionId);

        const renewed = await second.call('POST', `/v1/sessions/${sessionId}/token`, {
          token: customerToken,
        });
        expect(renewed.status).toBe(200);
        const { customerToken: renewedToken } = (await renewed.json()) as { customerToken: string };
        const readBack = await first.call('GET', `/v1/sessions/${sessionId}`, {
          token: renewedToken,
        });
        expect(readBack.status).toBe(200);

        // Still bound to its one session on every instance.
        const other = await kit.openWidgetSession(second);
        const foreign = await first.call('GET', `/v1/sessions/${other.sessionId}`, {
          token: customerToken,
        });
        expect(foreign.status).toBe(404);
      });
    },
  );
}
