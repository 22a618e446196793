/**
 * @module @parley/core/testing — what Parley's own tests use, shipped for yours: contract
 * suites that any `Store` or `EventBus` implementation must pass, and a controllable clock.
 * Imports `vitest` (an optional peer dependency); use it from test files only.
 */
export { describeEventBusContract, type EventBusContractFactory } from './event-bus-contract-suite';
export type { StoreContractFactory } from './store-contract/contract-context';
export { describeStoreContract } from './store-contract/describe-store-contract';
export { createTestClock, type TestClock } from './test-clock';
