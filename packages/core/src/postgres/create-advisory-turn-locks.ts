import type pg from 'pg';
import type { TurnLocks } from '../store/turn-locks';

/** The first key of Parley's two-key advisory locks ('parl'), apart from a host's own locks. */
const lockNamespace = 0x7061726c;

/**
 * Turn locks as PostgreSQL session-level advisory locks, so they hold across every process
 * on the database. Each holder keeps one pooled connection for as long as it holds the lock
 * (a turn), and gives it back on release.
 */
export function createAdvisoryTurnLocks(pool: pg.Pool): TurnLocks {
  return async (key, options) => {
    const client = await pool.connect();
    // A connection that drops while it holds the lock (the server restarted, say) emits
    // `error` between queries; unheard, that would end the process. The lock went with the
    // server session; the failure surfaces on the next query, and release destroys it.
    const onConnectionLost = () => undefined;
    client.on('error', onConnectionLost);
    try {
      if (options?.wait === false) {
        const { rows } = await client.query<{ locked: boolean }>(
          'select pg_try_advisory_lock($1, hashtext($2)) as locked',
          [lockNamespace, key],
        );
        if (!rows[0]?.locked) {
          client.off('error', onConnectionLost);
          client.release();
          return null;
        }
      } else {
        await client.query('select pg_advisory_lock($1, hashtext($2))', [lockNamespace, key]);
      }
    } catch (error) {
      client.off('error', onConnectionLost);
      client.release(error instanceof Error ? error : true);
      throw error;
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      client.off('error', onConnectionLost);
      try {
        await client.query('select pg_advisory_unlock($1, hashtext($2))', [lockNamespace, key]);
        client.release();
      } catch (error) {
        // A connection whose unlock failed may still hold the lock: destroy it, which ends
        // the server session and with it every lock it held.
        client.release(error instanceof Error ? error : true);
      }
    };
  };
}
