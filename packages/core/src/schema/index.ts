/**
 * @module @parley/core/schema — Parley's drizzle tables and migrations. Hosts either use the
 * default standalone tables with {@link migrate}, or build their own with
 * {@link createParleySchema} (their prefix, references to their workspace and user tables)
 * and generate migrations for them with drizzle-kit.
 */
export type { AnyPgDatabase } from './any-pg-database';
export {
  createParleySchema,
  generateUuid,
  type ParleySchema,
  type ParleySchemaOptions,
} from './create-parley-schema';
export * from './default-schema';
export { type MigrateOptions, type MigrateResult, migrate } from './migrate';
