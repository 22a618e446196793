/**
 * @module @parley/core/postgres-js — the store and the `LISTEN/NOTIFY` event bus on
 * postgres-js (`postgres` is an optional peer dependency; this entry never loads `pg`).
 */
export {
  createPostgresJsStore,
  type PostgresJsStore,
  type PostgresJsStoreOptions,
} from './create-postgres-js-store';
export { createPostgresJsEventBus, type PostgresJsEventBusOptions } from './postgres-js-event-bus';
