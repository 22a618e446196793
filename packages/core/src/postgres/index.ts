/**
 * @module @parley/core/postgres — the store and the `LISTEN/NOTIFY` event bus on
 * node-postgres (`pg` is an optional peer dependency).
 */
export {
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from './create-postgres-store';
export { createPostgresEventBus, type PostgresEventBusOptions } from './postgres-event-bus';
