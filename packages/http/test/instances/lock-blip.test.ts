import type { EngineLogger } from '@parley/core';
import { testDatabaseUrl } from '@parley/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ClusterDeployment, openClusterDeployment } from './cluster-deployment';
import type { WireEvent } from './deployment-kit';

/** Bound on every wait: far above a restart and a retry with backoff, far below a hang. */
const waitMs = 60_000;
const workspaceId = 'workspace-lock-blip';
/** The first key of Parley's advisory locks ('parl'), as `@parley/core/postgres` takes them. */
const lockNamespace = 0x7061726c;
const reply = 'Sorry for the wait: here is your answer.';

/**
 * Regression: a turn waiting for its session's lock while the database blinked was dropped
 * without a word. The message was stored (201), no status ever followed, nothing was logged,
 * and the customer waited for ever.
 */
describe.skipIf(!testDatabaseUrl)(
  'a turn waiting for its lock while PostgreSQL restarts (a private cluster; needs DATABASE_URL)',
  () => {
    let deployment: ClusterDeployment;
    const logged: Array<{ message: string; fields: Record<string, unknown> }> = [];

    beforeAll(async () => {
      const record = (message: string, fields: Record<string, unknown> = {}) =>
        logged.push({ message, fields });
      const logger: EngineLogger = { debug: record, info: record, warn: record, error: record };
      deployment = await openClusterDeployment({
        workspaceId,
        reply: () => reply,
        engine: { logger, turnStart: { retryDelayMs: { initial: 100, maximum: 1_000 } } },
      });
    });
    afterAll(async () => {
      await deployment?.close();
    });

    async function storedEvents(token: string, sessionId: string): Promise<WireEvent[]> {
      const response = await deployment.kit.call(
        'GET',
        `/v1/sessions/${sessionId}/events?limit=1000`,
        {
          token,
        },
      );
      if (response.status !== 200) return [];
      return ((await response.json()) as { events: WireEvent[] }).events;
    }

    it(
      'answers the message once the database is back, and logs and counts the failed start',
      async () => {
        const { cluster, kit, sessionId, customerToken } = deployment;

        // Another connection holds the session's turn lock, as a turn on another instance would.
        const holder = new pg.Client({ connectionString: cluster.url });
        holder.on('error', () => undefined);
        await holder.connect();
        await holder.query('select pg_advisory_lock($1, hashtext($2))', [
          lockNamespace,
          `${workspaceId}:${sessionId}`,
        ]);

        const posted = await kit.call('POST', `/v1/sessions/${sessionId}/events`, {
          token: customerToken,
          body: { text: 'Is anyone there?', clientMessageId: 'during-the-blip' },
        });
        expect(posted.status).toBe(201);
        const { event: message } = (await posted.json()) as { event: WireEvent };
        // The turn waits for the lock: nothing after the message yet.
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect((await storedEvents(customerToken, sessionId)).at(-1)?.offset).toBe(message.offset);

        // The database restarts: the holder's lock goes with it, and the waiter's tries fail.
        await cluster.crash();
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await cluster.start();
        await holder.end().catch(() => undefined);

        // Once PostgreSQL answers, the message gets its outcome: a reply, or an error to retry.
        const deadline = Date.now() + waitMs;
        let after: WireEvent[] = [];
        while (Date.now() < deadline) {
          after = (await storedEvents(customerToken, sessionId)).filter(
            (event) => event.offset > message.offset,
          );
          const last = after.at(-1);
          if (
            last?.kind === 'status' &&
            ['ready', 'error', 'cancelled'].includes(String(last.data.status))
          ) {
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const outcome = after.at(-1);
        expect(outcome?.kind).toBe('status');
        const terminal = after.filter(
          (event) =>
            event.kind === 'status' &&
            ['ready', 'error', 'cancelled'].includes(String(event.data.status)),
        );
        // One outcome, never an error and then a reply.
        expect(terminal).toHaveLength(1);
        if (outcome?.data.status === 'ready') {
          expect(
            after.find((event) => event.kind === 'message' && event.source === 'ai_agent')?.data
              .text,
          ).toBe(reply);
        } else {
          expect(outcome?.data).toMatchObject({ status: 'error', error: { retryable: true } });
        }

        // Logged with its trace id, and counted.
        const failedStart = logged.find((line) => line.message.startsWith('turn could not start'));
        expect(failedStart?.fields).toMatchObject({ sessionId, traceId: expect.any(String) });
        const metrics = await (await kit.call('GET', '/v1/metrics')).text();
        const count = Number(/^parley_turn_start_failures_total (\d+)/m.exec(metrics)?.[1] ?? 0);
        expect(count).toBeGreaterThanOrEqual(1);
        expect(deployment.uncaught).toEqual([]);
      },
      2 * waitMs,
    );
  },
);
