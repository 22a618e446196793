import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ParleyError } from '../errors/parley-error';
import type { BusListener, BusMessage, BusResync, EventBus } from '../ports/event-bus';

/** Builds the buses {@link describeEventBusContract} runs against. */
export interface EventBusContractFactory {
  /**
   * Two buses that must see each other's messages (two processes/pools sharing one database,
   * or the same in-memory bus twice). `close` releases both and whatever they were built on.
   */
  createPair(): Promise<{ first: EventBus; second: EventBus; close(): Promise<void> }>;
}

/** How long a test waits for an expected message before failing; never a proof of absence. */
const deliveryTimeoutMs = 5000;
const testOptions = { timeout: 3 * deliveryTimeoutMs };

/**
 * The behaviour every {@link EventBus} owes its callers, as a vitest suite. Parley's in-memory
 * and PostgreSQL buses run it, and so can your own adapter (Redis, NATS, …):
 *
 * ```ts
 * describeEventBusContract('my bus', {
 *   async createPair() {
 *     const first = createMyBus(), second = createMyBus();
 *     return { first, second, close: async () => { await first.close(); await second.close(); } };
 *   },
 * });
 * ```
 *
 * To check that a message does *not* arrive, a test publishes a marker after it and waits for
 * the marker (no sleeps), so the suite relies on one publisher's awaited messages reaching a
 * process in publish order.
 * After `close()`, a bus may either reject `publish`/`subscribe` with a `not_ready`
 * {@link ParleyError} (PostgreSQL) or ignore them (in-memory); the suite accepts both.
 */
export function describeEventBusContract(name: string, factory: EventBusContractFactory): void {
  describe(`EventBus contract: ${name}`, () => {
    let pair: Awaited<ReturnType<EventBusContractFactory['createPair']>>;

    beforeAll(async () => {
      pair = await factory.createPair();
    });

    afterAll(async () => {
      await pair?.close();
    });

    it('delivers a message published on one bus to subscribers on both', testOptions, async () => {
      const sessionId = randomUUID();
      const onFirst = createRecorder();
      const onSecond = createRecorder();
      await pair.first.subscribe(sessionId, onFirst.listener);
      await pair.second.subscribe(sessionId, onSecond.listener);

      const message = eventsAppended(sessionId, 1);
      await pair.first.publish(message);

      await Promise.all([onFirst.waitForMessage(message), onSecond.waitForMessage(message)]);
      expect(onFirst.messages).toStrictEqual([message]);
      expect(onSecond.messages).toStrictEqual([message]);
    });

    it(
      'delivers the messages of every session to a listener of all sessions',
      testOptions,
      async () => {
        const first = eventsAppended(randomUUID(), 1);
        const second = eventsAppended(randomUUID(), 2);
        const everything = createRecorder();
        const unsubscribe = await pair.second.subscribeAll(everything.listener);
        await pair.first.publish(first);
        await pair.first.publish(second);
        await everything.waitForMessage(second);
        expect(everything.messages).toEqual(expect.arrayContaining([first, second]));
        await unsubscribe();
        const after = eventsAppended(randomUUID(), 3);
        const marker = createRecorder();
        await pair.second.subscribe(after.sessionId, marker.listener);
        await pair.first.publish(after);
        await marker.waitForMessage(after);
        expect(everything.messages).not.toContainEqual(after);
      },
    );

    it("delivers only to subscribers of the message's session", testOptions, async () => {
      const sessionId = randomUUID();
      const otherSessionId = randomUUID();
      const subscriber = createRecorder();
      const otherSubscriber = createRecorder();
      await pair.second.subscribe(sessionId, subscriber.listener);
      await pair.second.subscribe(otherSessionId, otherSubscriber.listener);

      const message = eventsAppended(sessionId, 1);
      await pair.first.publish(message);
      await subscriber.waitForMessage(message);
      const marker = eventsAppended(otherSessionId, 2);
      await pair.first.publish(marker);
      await otherSubscriber.waitForMessage(marker);

      expect(subscriber.messages).toStrictEqual([message]);
      expect(otherSubscriber.messages).toStrictEqual([marker]);
    });

    it(
      'stops delivery after unsubscribe, and unsubscribing twice is harmless',
      testOptions,
      async () => {
        const sessionId = randomUUID();
        const removed = createRecorder();
        const kept = createRecorder();
        const unsubscribe = await pair.second.subscribe(sessionId, removed.listener);
        await pair.second.subscribe(sessionId, kept.listener);
        await unsubscribe();
        await unsubscribe();

        const message = eventsAppended(sessionId, 1);
        const marker = eventsAppended(sessionId, 2);
        await pair.first.publish(message);
        await pair.first.publish(marker);
        await kept.waitForMessage(marker);

        expect(kept.messages).toStrictEqual([message, marker]);
        expect(removed.messages).toStrictEqual([]);
      },
    );

    it('treats two subscriptions of the same function as independent', testOptions, async () => {
      const sessionId = randomUUID();
      const recorder = createRecorder();
      const unsubscribeOnce = await pair.second.subscribe(sessionId, recorder.listener);
      await pair.second.subscribe(sessionId, recorder.listener);

      const beforeUnsubscribe = eventsAppended(sessionId, 1);
      await pair.first.publish(beforeUnsubscribe);
      await recorder.waitUntil(
        (messages) => messages.filter((m) => isDeepStrictEqual(m, beforeUnsubscribe)).length === 2,
        'the message delivered to both subscriptions',
      );

      await unsubscribeOnce();
      const afterUnsubscribe = eventsAppended(sessionId, 2);
      const marker = eventsAppended(sessionId, 3);
      await pair.first.publish(afterUnsubscribe);
      await pair.first.publish(marker);
      await recorder.waitForMessage(marker);

      expect(recorder.messages).toStrictEqual([
        beforeUnsubscribe,
        beforeUnsubscribe,
        afterUnsubscribe,
        marker,
      ]);
    });

    it('keeps delivering to other listeners when one throws', testOptions, async () => {
      const sessionId = randomUUID();
      const recorder = createRecorder();
      await pair.second.subscribe(sessionId, () => {
        throw new Error('A listener failure the event bus contract suite provokes on purpose');
      });
      await pair.second.subscribe(sessionId, recorder.listener);

      const firstMessage = eventsAppended(sessionId, 1);
      const secondMessage = eventsAppended(sessionId, 2);
      await pair.first.publish(firstMessage);
      await pair.first.publish(secondMessage);
      await recorder.waitForMessage(secondMessage);

      expect(recorder.messages).toStrictEqual([firstMessage, secondMessage]);
    });

    it(
      "delivers one publisher's messages to one session in publish order",
      testOptions,
      async () => {
        const sessionId = randomUUID();
        const onFirst = createRecorder();
        const onSecond = createRecorder();
        await pair.first.subscribe(sessionId, onFirst.listener);
        await pair.second.subscribe(sessionId, onSecond.listener);

        const deltas = Array.from({ length: 100 }, (_, seq) => messageDelta(sessionId, seq));
        // Order is promised for awaited publishes; concurrent ones may take different connections.
        for (const delta of deltas) await pair.first.publish(delta);

        const allArrived = (messages: ReadonlyArray<unknown>) => messages.length >= deltas.length;
        await onFirst.waitUntil(allArrived, 'all 100 deltas on the first bus');
        await onSecond.waitUntil(allArrived, 'all 100 deltas on the second bus');
        expect(onFirst.messages).toStrictEqual(deltas);
        expect(onSecond.messages).toStrictEqual(deltas);
      },
    );

    it('round-trips every BusMessage type intact', testOptions, async () => {
      const sessionId = randomUUID();
      const recorder = createRecorder();
      await pair.second.subscribe(sessionId, recorder.listener);

      const messages: BusMessage[] = [
        eventsAppended(sessionId, 41),
        messageDelta(sessionId, 7, 'Grüße, "quoted" \\ back\nslash 👋 — ünïcode'),
        { type: 'turn-cancel', workspaceId: 'workspace-contract', sessionId, traceId: 'trace-1' },
        { type: 'turn-cancel', workspaceId: 'workspace-contract', sessionId },
      ];
      for (const message of messages) await pair.first.publish(message);
      await recorder.waitUntil(
        (received) => received.length >= messages.length,
        'all message types',
      );

      expect(recorder.messages).toStrictEqual(messages);
    });

    // The one case with its own pair: it closes a bus.
    it(
      'makes close() idempotent, then refuses or ignores publish and subscribe',
      testOptions,
      async () => {
        const ownPair = await factory.createPair();
        try {
          const sessionId = randomUUID();
          const recorder = createRecorder();
          await ownPair.first.subscribe(sessionId, recorder.listener);
          await ownPair.first.close();
          await ownPair.first.close();

          const [publishOutcome, subscribeOutcome] = await Promise.allSettled([
            ownPair.first.publish(eventsAppended(sessionId, 1)),
            ownPair.first.subscribe(sessionId, recorder.listener),
          ]);
          for (const outcome of [publishOutcome, subscribeOutcome]) {
            if (outcome.status === 'rejected') {
              expect(ParleyError.isInstance(outcome.reason)).toBe(true);
              expect((outcome.reason as ParleyError).code).toBe('not_ready');
            }
          }
          if (subscribeOutcome.status === 'fulfilled') await subscribeOutcome.value();
          expect(recorder.messages).toStrictEqual([]);
        } finally {
          await ownPair.close();
        }
      },
    );
  });
}

/** Collects what a listener receives and lets a test await a condition on it. */
interface Recorder {
  readonly messages: Array<BusMessage | BusResync>;
  readonly listener: BusListener;
  waitUntil(
    condition: (messages: ReadonlyArray<BusMessage | BusResync>) => boolean,
    description: string,
  ): Promise<void>;
  waitForMessage(message: BusMessage): Promise<void>;
}

function createRecorder(): Recorder {
  const messages: Array<BusMessage | BusResync> = [];
  const checks = new Set<() => void>();

  const waitUntil: Recorder['waitUntil'] = (condition, description) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        checks.delete(check);
        reject(
          new Error(
            `Timed out after ${deliveryTimeoutMs} ms waiting for ${description}; received ${JSON.stringify(messages)}`,
          ),
        );
      }, deliveryTimeoutMs);
      const check = () => {
        if (!condition(messages)) return;
        clearTimeout(timer);
        checks.delete(check);
        resolve();
      };
      checks.add(check);
      check();
    });

  return {
    messages,
    listener(message) {
      messages.push(message);
      for (const check of [...checks]) check();
    },
    waitUntil,
    waitForMessage: (message) =>
      waitUntil(
        (received) => received.some((candidate) => isDeepStrictEqual(candidate, message)),
        JSON.stringify(message),
      ),
  };
}

function eventsAppended(sessionId: string, lastOffset: number): BusMessage {
  return { type: 'events-appended', workspaceId: 'workspace-contract', sessionId, lastOffset };
}

function messageDelta(sessionId: string, seq: number, text = `token ${seq} `): BusMessage {
  return {
    type: 'message-delta',
    workspaceId: 'workspace-contract',
    sessionId,
    traceId: 'trace-contract',
    messageId: 'message-contract',
    seq,
    text,
  };
}
