/**
 * @module @parley/core/pglite — the embedded store on PGlite (`@electric-sql/pglite` is an
 * optional peer dependency). The default when no `DATABASE_URL` is configured; pair it with
 * `createInMemoryEventBus` from `@parley/core`, since one process serves every conversation.
 */
export {
  createPgliteStore,
  type PgliteStore,
  type PgliteStoreOptions,
} from './create-pglite-store';
