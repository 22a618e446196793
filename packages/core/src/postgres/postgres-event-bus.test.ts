import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInbox, delta } from '../event-bus/test-support/bus-inbox';
import type { BusResync } from '../ports/event-bus';
import { describeEventBusContract } from '../testing/event-bus-contract-suite';
import { createPostgresEventBus } from './postgres-event-bus';

const databaseUrl = process.env.DATABASE_URL;
/** Unique per run, so that test files running in parallel on one database never cross-talk. */
const channelPrefix = `parley_bus_test_${randomBytes(6).toString('hex')}`;

describe('createPostgresEventBus options', () => {
  const unusedUrl = 'postgres://nobody@127.0.0.1:1/unused';

  it('requires exactly one of pool or connectionString', async () => {
    const pool = new pg.Pool({ connectionString: unusedUrl });
    try {
      expect(() => createPostgresEventBus({})).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
      expect(() => createPostgresEventBus({ pool, connectionString: unusedUrl })).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
    } finally {
      await pool.end();
    }
  });

  it('rejects a channel that is not a lowercase identifier of at most 63 characters', () => {
    for (const channel of ['', 'Parley', '9bus', 'bus; drop table x', 'bus"', 'a'.repeat(64)]) {
      expect(() => createPostgresEventBus({ connectionString: unusedUrl, channel })).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
    }
  });

  it('rejects reconnect delays other than 0 < initial <= maximum', () => {
    for (const reconnectDelayMs of [
      { initial: 0, maximum: 100 },
      { initial: 200, maximum: 100 },
      { initial: 100, maximum: Number.POSITIVE_INFINITY },
    ]) {
      expect(() =>
        createPostgresEventBus({ connectionString: unusedUrl, reconnectDelayMs }),
      ).toThrow(expect.objectContaining({ code: 'validation_failed' }));
    }
  });

  it('rejects subscribe with database_failed when it cannot connect', async () => {
    const bus = createPostgresEventBus({ connectionString: unusedUrl });
    await expect(bus.subscribe(randomUUID(), () => {})).rejects.toMatchObject({
      code: 'database_failed',
      retryable: true,
    });
    await bus.close();
  });
});

describe.skipIf(!databaseUrl)('PostgreSQL event bus (needs DATABASE_URL)', () => {
  describeEventBusContract('PostgreSQL, two pools', {
    async createPair() {
      const firstPool = new pg.Pool({ connectionString: databaseUrl });
      const secondPool = new pg.Pool({ connectionString: databaseUrl });
      // The contract provokes listener failures on purpose; they need not be printed.
      const shared = { channel: `${channelPrefix}_contract`, onError: () => {} };
      const first = createPostgresEventBus({ pool: firstPool, ...shared });
      const second = createPostgresEventBus({ pool: secondPool, ...shared });
      return {
        first,
        second,
        async close() {
          await Promise.all([first.close(), second.close()]);
          await Promise.all([firstPool.end(), secondPool.end()]);
        },
      };
    },
  });

  let adminPool: pg.Pool;

  beforeAll(() => {
    adminPool = new pg.Pool({ connectionString: databaseUrl });
  });

  afterAll(async () => {
    await adminPool.end();
  });

  it('rejects a payload over the NOTIFY limit with payload_too_large, counting bytes', async () => {
    const bus = createPostgresEventBus({ pool: adminPool, channel: `${channelPrefix}_size` });
    try {
      const sessionId = randomUUID();
      const inbox = createInbox();
      await bus.subscribe(sessionId, inbox.listener);

      // 4000 characters, but 8000 bytes of UTF-8.
      const tooLarge = delta(sessionId, 'é'.repeat(4000));
      await expect(bus.publish(tooLarge)).rejects.toMatchObject({ code: 'payload_too_large' });

      const emptyBytes = Buffer.byteLength(JSON.stringify(delta(sessionId, '')));
      const largest = delta(sessionId, 'a'.repeat(7999 - emptyBytes));
      await bus.publish(largest);
      await inbox.waitFor((message) => isDeepStrictEqual(message, largest));
      expect(inbox.messages).toStrictEqual([largest]);
    } finally {
      await bus.close();
    }
  });

  it('holds one LISTEN connection however many sessions subscribe, and keeps it', async () => {
    const channel = `${channelPrefix}_shared`;
    const bus = createPostgresEventBus({ pool: adminPool, channel });
    try {
      const unsubscribes = await Promise.all(
        Array.from({ length: 50 }, () => bus.subscribe(randomUUID(), () => {})),
      );
      expect(await countListeningBackends(channel)).toBe(1);
      for (const unsubscribe of unsubscribes) await unsubscribe();
      expect(await countListeningBackends(channel)).toBe(1);
    } finally {
      await bus.close();
    }
  });

  it('reconnects after its listening connection is killed, sends bus-resync, then delivers again', async () => {
    const channel = `${channelPrefix}_reconnect`;
    const errors: unknown[] = [];
    const bus = createPostgresEventBus({
      pool: adminPool,
      channel,
      reconnectDelayMs: { initial: 20, maximum: 200 },
      onError: (error) => errors.push(error),
    });
    try {
      const sessionId = randomUUID();
      const otherSessionId = randomUUID();
      const first = createInbox();
      const second = createInbox();
      const other = createInbox();
      await bus.subscribe(sessionId, first.listener);
      await bus.subscribe(sessionId, second.listener);
      await bus.subscribe(otherSessionId, other.listener);

      const { rows } = await adminPool.query<{ terminated: boolean }>(
        `select pg_terminate_backend(pid) as terminated from pg_stat_activity
         where query ilike 'LISTEN%' and application_name = $1`,
        [`parley-bus:${channel}`],
      );
      expect(rows).toStrictEqual([{ terminated: true }]);

      const resync: BusResync = { type: 'bus-resync', sessionId };
      await first.waitFor((message) => isDeepStrictEqual(message, resync));
      await second.waitFor((message) => isDeepStrictEqual(message, resync));
      await other.waitFor((message) => message.type === 'bus-resync');
      expect(errors.length).toBeGreaterThan(0);

      const afterReconnection = delta(sessionId, 'after reconnection');
      await bus.publish(afterReconnection);
      await first.waitFor((message) => isDeepStrictEqual(message, afterReconnection));
      expect(first.messages).toStrictEqual([resync, afterReconnection]);
      expect(other.messages).toStrictEqual([{ type: 'bus-resync', sessionId: otherSessionId }]);
    } finally {
      await bus.close();
    }
  });

  it('tries again at once when its listening connection is killed, before any backoff', async () => {
    const channel = `${channelPrefix}_at_once`;
    // A backoff far longer than the test may take: only an immediate first attempt gets back.
    const bus = createPostgresEventBus({
      pool: adminPool,
      channel,
      reconnectDelayMs: { initial: 60_000, maximum: 60_000 },
      onError: () => {},
    });
    try {
      const sessionId = randomUUID();
      const inbox = createInbox();
      await bus.subscribe(sessionId, inbox.listener);
      await terminateListener(channel);
      await within(
        10_000,
        inbox.waitFor((message) => message.type === 'bus-resync'),
      );
      expect(bus.connection?.()).toBe('listening');
    } finally {
      await bus.close();
    }
  });

  it('reports reconnecting while it cannot LISTEN, listening once back, closed after close', async () => {
    const channel = `${channelPrefix}_state`;
    // A role of the test's own, so that logins can be refused to the bus and nobody else.
    const role = `parley_bus_role_${randomBytes(4).toString('hex')}`;
    await adminPool.query(`create role ${role} login`);
    const url = new URL(databaseUrl as string);
    url.username = role;
    url.password = '';
    const pool = new pg.Pool({ connectionString: url.toString() });
    const bus = createPostgresEventBus({
      pool,
      channel,
      reconnectDelayMs: { initial: 20, maximum: 100 },
      onError: () => {},
    });
    try {
      expect(bus.connection?.()).toBe('idle');
      const sessionId = randomUUID();
      const inbox = createInbox();
      await bus.subscribe(sessionId, inbox.listener);
      expect(bus.connection?.()).toBe('listening');

      await adminPool.query(`alter role ${role} nologin`);
      await terminateListener(channel);
      await within(
        10_000,
        waitUntil(() => bus.connection?.() === 'reconnecting'),
      );
      // Several attempts fail meanwhile: it stays reconnecting, never claims to listen.
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(bus.connection?.()).toBe('reconnecting');
      expect(inbox.messages).toStrictEqual([]);

      await adminPool.query(`alter role ${role} login`);
      await within(
        10_000,
        inbox.waitFor((message) => message.type === 'bus-resync'),
      );
      expect(bus.connection?.()).toBe('listening');
      await bus.close();
      expect(bus.connection?.()).toBe('closed');
    } finally {
      await bus.close();
      await pool.end();
      await adminPool.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where usename = $1',
        [role],
      );
      await adminPool.query(`drop role if exists ${role}`);
    }
  });

  it('ignores malformed notifications and reports them to onError', async () => {
    const channel = `${channelPrefix}_malformed`;
    const errors: unknown[] = [];
    const bus = createPostgresEventBus({
      pool: adminPool,
      channel,
      onError: (error) => errors.push(error),
    });
    try {
      const sessionId = randomUUID();
      const inbox = createInbox();
      await bus.subscribe(sessionId, inbox.listener);
      for (const payload of [
        'not json',
        JSON.stringify({ type: 'bus-resync', sessionId }),
        JSON.stringify({ type: 'constructor', workspaceId: 'w', sessionId }),
        JSON.stringify({ type: 'events-appended', workspaceId: 'w', sessionId }),
      ]) {
        await adminPool.query('select pg_notify($1, $2)', [channel, payload]);
      }
      const marker = delta(sessionId, 'marker');
      await bus.publish(marker);
      await inbox.waitFor((message) => isDeepStrictEqual(message, marker));

      expect(inbox.messages).toStrictEqual([marker]);
      expect(errors).toHaveLength(4);
      for (const error of errors) expect(error).toMatchObject({ code: 'validation_failed' });
    } finally {
      await bus.close();
    }
  });

  it('ends the pool it created from a connectionString on close, once', async () => {
    const endSpy = vi.spyOn(pg.Pool.prototype, 'end');
    try {
      const bus = createPostgresEventBus({
        connectionString: databaseUrl,
        channel: `${channelPrefix}_owned`,
      });
      const sessionId = randomUUID();
      const inbox = createInbox();
      await bus.subscribe(sessionId, inbox.listener);
      const message = delta(sessionId, 'through the owned pool');
      await bus.publish(message);
      await inbox.waitFor((received) => isDeepStrictEqual(received, message));

      await bus.close();
      await bus.close();
      expect(endSpy).toHaveBeenCalledTimes(1);
      await expect(bus.publish(message)).rejects.toMatchObject({ code: 'not_ready' });
      await expect(bus.subscribe(sessionId, () => {})).rejects.toMatchObject({ code: 'not_ready' });
    } finally {
      endSpy.mockRestore();
    }
  });

  it('leaves a given pool open on close', async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl });
    try {
      const bus = createPostgresEventBus({ pool, channel: `${channelPrefix}_given` });
      await bus.subscribe(randomUUID(), () => {});
      await bus.publish(delta(randomUUID(), 'to nobody'));
      await bus.close();

      expect(pool.ended).toBe(false);
      const { rows } = await pool.query<{ one: number }>('select 1 as one');
      expect(rows).toStrictEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });

  /** Kills the bus's LISTEN connection, as a restart or a proxy timeout would. */
  async function terminateListener(channel: string): Promise<void> {
    const { rows } = await adminPool.query<{ terminated: boolean }>(
      `select pg_terminate_backend(pid) as terminated from pg_stat_activity
       where query ilike 'LISTEN%' and application_name = $1`,
      [`parley-bus:${channel}`],
    );
    expect(rows).toStrictEqual([{ terminated: true }]);
  }

  async function countListeningBackends(channel: string): Promise<number> {
    const { rows } = await adminPool.query<{ count: number }>(
      'select count(*)::int as count from pg_stat_activity where application_name = $1',
      [`parley-bus:${channel}`],
    );
    return rows[0]?.count ?? 0;
  }
});

/** Settles with `promise`, or fails once `timeoutMs` have passed: a hang fails the test. */
async function within<T>(timeoutMs: number, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`nothing within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `condition` holds, looking every 10 ms. */
async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
