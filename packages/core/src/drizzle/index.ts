/**
 * @module @parley/core/drizzle — the store on any drizzle PostgreSQL database or transaction,
 * whatever its driver, with turn locks held in this process (or the ones you pass). The
 * driver entry points (`/pglite`, `/postgres`, `/postgres-js`) build on it and add the
 * cross-process locks; use this one when you own the database and run one process.
 */
export {
  createDrizzleStore,
  type DrizzleStore,
  type DrizzleStoreOptions,
  type DrizzleStoreParts,
} from '../store/create-drizzle-store';
export type { ReleaseLock, TurnLocks } from '../store/turn-locks';
