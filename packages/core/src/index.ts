/**
 * @module @parley/core — the engine's framework-free entry: the domain model (zod schemas
 * and types), the ports (`Store`, `EventBus`, `Clock`) and the one error family. Drivers
 * live behind their own entry points (`/pglite`, `/postgres`), so importing this one pulls
 * in no database driver, no HTTP framework and no React.
 */

export type { OperatorRole, Principal } from './auth/principal';
export * from './domain/index';
export {
  httpStatusOfErrorCode,
  ParleyError,
  type ParleyErrorCode,
  type ParleyErrorOptions,
  toParleyError,
  validationError,
} from './errors/parley-error';
export { createInMemoryEventBus } from './event-bus/in-memory-event-bus';
export { type Clock, systemClock } from './ports/clock';
export type { BusListener, BusMessage, BusResync, EventBus, Unsubscribe } from './ports/event-bus';
export type * from './ports/store';
export { applyEventRetention, type EventRetentionPolicy } from './retention/apply-event-retention';
