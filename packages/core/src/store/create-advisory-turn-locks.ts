import type { DirectConnection, OpenDirectConnection } from '../ports/direct-connection';
import { createInProcessTurnLocks, type ReleaseLock, type TurnLocks } from './turn-locks';

/** The first key of Parley's two-key advisory locks ('parl'), apart from a host's own locks. */
const lockNamespace = 0x7061726c;

/** Turn locks on PostgreSQL, and the connection they hold; see {@link createAdvisoryTurnLocks}. */
export interface AdvisoryTurnLocks {
  readonly locks: TurnLocks;
  /** Closes the lock connection (every lock it holds goes with it). */
  close(): Promise<void>;
}

/** Options of {@link createAdvisoryTurnLocks}. */
export interface AdvisoryTurnLocksOptions {
  /** Opens the lock connection (the driver entry point's, on the direct connection string). */
  openConnection: OpenDirectConnection;
  /** Waits between tries while another process holds a lock: first and cap, in ms. */
  retryDelayMs?: { initial?: number; max?: number };
}

/**
 * Turn locks as PostgreSQL session-level advisory locks, so they hold across every process on
 * the database. Every lock of the process sits on one connection of its own, outside the
 * pool: a lock held for a whole turn (model time included) must never take a pooled
 * connection, or as many turns as the pool has connections would hold them all and wait
 * forever for one to run their queries. Waiters of one session queue in the process; the
 * first of them tries the lock (`pg_try_advisory_lock`, so the shared connection never
 * blocks) and tries again with a growing delay while another process holds it. If the
 * connection drops, its locks go with it; the next lock opens a new one.
 */
export function createAdvisoryTurnLocks(options: AdvisoryTurnLocksOptions): AdvisoryTurnLocks {
  const inProcess = createInProcessTurnLocks();
  const initialDelay = options.retryDelayMs?.initial ?? 20;
  const maxDelay = options.retryDelayMs?.max ?? 250;
  let client: DirectConnection | null = null;
  let connecting: Promise<DirectConnection> | null = null;
  /** Grows each time a connection is lost: locks taken on an older one are already gone. */
  let generation = 0;
  /** One statement at a time on the lock connection (a client runs one at a time). */
  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;

  const connect = (): Promise<DirectConnection> => {
    // A waiter still polling when the store closed must not open a connection nobody closes.
    if (closed) return Promise.reject(new Error('The turn locks are closed'));
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      let fresh: DirectConnection | null = null;
      let lostBeforeReady = false;
      try {
        fresh = await options.openConnection({
          onLost: () => {
            if (fresh !== null && client === fresh) {
              client = null;
              generation += 1;
            } else {
              lostBeforeReady = true;
            }
          },
        });
      } finally {
        connecting = null;
      }
      if (lostBeforeReady) throw new Error('The turn-lock connection dropped as it opened');
      client = fresh;
      return fresh;
    })();
    return connecting;
  };

  /** Runs one statement on the lock connection, after every earlier one. */
  const run = (text: string, values: unknown[]) => {
    const result = tail.then(async () => {
      const connection = await connect();
      return { rows: await connection.query(text, values), generation };
    });
    tail = result.catch(() => undefined);
    return result;
  };

  const tryLock = async (key: string) =>
    run('select pg_try_advisory_lock($1, hashtext($2)) as locked', [lockNamespace, key]);

  const locks: TurnLocks = async (key, lockOptions) => {
    if (closed) throw new Error('The turn locks are closed');
    // One waiter per session in this process reaches the database; the others queue here.
    const releaseInProcess = await inProcess(key, lockOptions);
    if (!releaseInProcess) return null;
    let delay = initialDelay;
    try {
      for (;;) {
        const attempt = await tryLock(key);
        if (attempt.rows[0]?.locked === true)
          return releaseAfter(key, attempt.generation, releaseInProcess);
        if (lockOptions?.wait === false) {
          await releaseInProcess();
          return null;
        }
        // Another process runs a turn of this session: look again shortly.
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(maxDelay, delay * 2);
      }
    } catch (error) {
      await releaseInProcess();
      throw error;
    }
  };

  const releaseAfter = (
    key: string,
    lockedGeneration: number,
    releaseInProcess: ReleaseLock,
  ): ReleaseLock => {
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      try {
        // A lock of a connection since lost is already gone: nothing to unlock.
        if (lockedGeneration === generation && client) {
          await run('select pg_advisory_unlock($1, hashtext($2))', [lockNamespace, key]);
        }
      } catch {
        // The connection failed meanwhile: its locks went with its server session.
      } finally {
        await releaseInProcess();
      }
    };
  };

  return {
    locks,
    async close() {
      closed = true;
      await tail;
      const open = client ?? (connecting ? await connecting.catch(() => null) : null);
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}
