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
}

/** True for strings that could be a stored id; anything else cannot match a record. */
export function isPlausibleId(id: unknown): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= 128;
}
