import type { Clock } from '../ports/clock';
import type { AnyPgDatabase } from '../schema/any-pg-database';
import type { ParleySchema } from '../schema/create-parley-schema';
import type { EventAppender } from './event-appender';
import type { TurnLocks } from './turn-locks';

/** Whether the database has the shipped migrations' SQL routines; see `DrizzleStoreOptions`. */
export type DatabaseRoutines = 'shipped' | 'none';

/** What every repository of one workspace works with. */
export interface RepositoryContext {
  database: AnyPgDatabase;
  schema: ParleySchema;
  workspaceId: string;
  clock: Clock;
  /** Shared by every workspace of a store, so concurrent appends can be combined. */
  appender: EventAppender;
  /** Shared by every workspace of a store: the turn locks of its sessions. */
  turnLocks: TurnLocks;
  routines: DatabaseRoutines;
  /**
   * Whether independent reads may run at once: only on a pool the store drives. In a
   * transaction, or on a host's database that may be one connection, they run in order, since
   * overlapping queries on one node-postgres client are deprecated (and removed in pg 9).
   */
  concurrentReads: boolean;
}

type ReadResults<TReads extends readonly (() => Promise<unknown>)[]> = {
  -readonly [Index in keyof TReads]: Awaited<ReturnType<TReads[Index]>>;
};

/** Runs independent reads together where the context allows it, else one after another. */
export async function readTogether<const TReads extends readonly (() => Promise<unknown>)[]>(
  context: Pick<RepositoryContext, 'concurrentReads'>,
  reads: TReads,
): Promise<ReadResults<TReads>> {
  if (context.concurrentReads) {
    return (await Promise.all(reads.map((read) => read()))) as ReadResults<TReads>;
  }
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as ReadResults<TReads>;
}

/** True for strings that could be a stored id; anything else cannot match a record. */
export function isPlausibleId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 128;
}
