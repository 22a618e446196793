import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInbox, delta } from '../event-bus/test-support/bus-inbox';
import type { BusResync } from '../ports/event-bus';
import { describeEventBusContract } from '../testing/event-bus-contract-suite';
import { createPostgresJsEventBus } from './postgres-js-event-bus';

const databaseUrl = process.env.DATABASE_URL;
/** Unique per run, so that test files running in parallel on one database never cross-talk. */
const channelPrefix = `parley_bus_js_${randomBytes(6).toString('hex')}`;

describe('createPostgresJsEventBus options', () => {
  const unusedUrl = 'postgres://nobody@127.0.0.1:1/unused';

  it('requires exactly one of sql or connectionString, and a safe channel', async () => {
    const sql = postgres(unusedUrl);
    try {
      expect(() => createPostgresJsEventBus({})).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
      expect(() => createPostgresJsEventBus({ sql, connectionString: unusedUrl })).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
      expect(() => createPostgresJsEventBus({ sql, channel: 'bus"; drop table x' })).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
    } finally {
      await sql.end({ timeout: 0 });
    }
  });

  it('rejects subscribe with a retryable database_failed when it cannot connect', async () => {
    const bus = createPostgresJsEventBus({ connectionString: unusedUrl, onError: () => {} });
    await expect(bus.subscribe(randomUUID(), () => {})).rejects.toMatchObject({
      code: 'database_failed',
      retryable: true,
    });
    await bus.close();
  });
});

describe.skipIf(!databaseUrl)('postgres-js event bus on PostgreSQL (needs DATABASE_URL)', () => {
  describeEventBusContract('PostgreSQL through postgres-js, two clients', {
    async createPair() {
      const firstSql = postgres(databaseUrl as string, { max: 2 });
      const secondSql = postgres(databaseUrl as string, { max: 2 });
      // The contract provokes listener failures on purpose; they need not be printed.
      const shared = { channel: `${channelPrefix}_contract`, onError: () => {} };
      const first = createPostgresJsEventBus({ sql: firstSql, ...shared });
      const second = createPostgresJsEventBus({ sql: secondSql, ...shared });
      return {
        first,
        second,
        async close() {
          await Promise.all([first.close(), second.close()]);
          await Promise.all([firstSql.end(), secondSql.end()]);
        },
      };
    },
  });

  let admin: postgres.Sql;
  beforeAll(() => {
    admin = postgres(databaseUrl as string, { max: 1 });
  });
  afterAll(async () => {
    await admin.end();
  });

  it('holds one LISTEN connection of its own, named for its channel, however many sessions subscribe', async () => {
    const channel = `${channelPrefix}_shared`;
    const sql = postgres(databaseUrl as string, { max: 2 });
    const bus = createPostgresJsEventBus({ sql, channel });
    try {
      await Promise.all(Array.from({ length: 30 }, () => bus.subscribe(randomUUID(), () => {})));
      expect(await countListeningBackends(channel)).toBe(1);
      expect(bus.connection?.()).toBe('listening');
    } finally {
      await bus.close();
      await sql.end();
    }
    expect(await countListeningBackends(channel)).toBe(0);
  });

  it('reconnects after its listening connection is killed, sends bus-resync, then delivers again', async () => {
    const channel = `${channelPrefix}_reconnect`;
    const errors: unknown[] = [];
    const sql = postgres(databaseUrl as string, { max: 2 });
    const bus = createPostgresJsEventBus({
      sql,
      channel,
      // A backoff far longer than the test: only the immediate first attempt gets back in time.
      reconnectDelayMs: { initial: 60_000, maximum: 60_000 },
      onError: (error) => errors.push(error),
    });
    try {
      const sessionId = randomUUID();
      const inbox = createInbox();
      await bus.subscribe(sessionId, inbox.listener);
      const before = delta(sessionId, 'before');
      await bus.publish(before);
      await inbox.waitFor((message) => isDeepStrictEqual(message, before));

      const terminated = await admin<{ terminated: boolean }[]>`
        select pg_terminate_backend(pid) as terminated from pg_stat_activity
        where query ilike 'LISTEN%' and application_name = ${`parley-bus:${channel}`}`;
      expect([...terminated]).toStrictEqual([{ terminated: true }]);

      const resync: BusResync = { type: 'bus-resync', sessionId };
      await inbox.waitFor((message) => isDeepStrictEqual(message, resync));
      expect(errors.length).toBeGreaterThan(0);
      expect(bus.connection?.()).toBe('listening');

      const after = delta(sessionId, 'after reconnection');
      await bus.publish(after);
      await inbox.waitFor((message) => isDeepStrictEqual(message, after));
      expect(inbox.messages).toStrictEqual([before, resync, after]);
    } finally {
      await bus.close();
      await sql.end();
    }
  });

  it('listens on listenConnectionString and leaves the host client open on close', async () => {
    const channel = `${channelPrefix}_direct`;
    const sql = postgres(databaseUrl as string, { max: 2 });
    const direct = new URL(databaseUrl as string);
    direct.searchParams.set('application_name', 'ignored-by-the-bus');
    const bus = createPostgresJsEventBus({
      sql,
      channel,
      listenConnectionString: direct.toString(),
    });
    const sessionId = randomUUID();
    const inbox = createInbox();
    await bus.subscribe(sessionId, inbox.listener);
    const message = delta(sessionId, 'through the direct connection');
    await bus.publish(message);
    await inbox.waitFor((received) => isDeepStrictEqual(received, message));
    expect(await countListeningBackends(channel)).toBe(1);
    await bus.close();
    await expect(bus.publish(message)).rejects.toMatchObject({ code: 'not_ready' });
    const [row] = await sql<{ one: number }[]>`select 1 as one`;
    expect(row).toStrictEqual({ one: 1 });
    await sql.end();
  });

  async function countListeningBackends(channel: string): Promise<number> {
    const [row] = await admin<{ count: number }[]>`
      select count(*)::int as count from pg_stat_activity
      where application_name = ${`parley-bus:${channel}`}`;
    return row?.count ?? 0;
  }
});
