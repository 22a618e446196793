/**
 * @module @parley/core/schema — Parley's drizzle tables and migrations. Hosts either use the
 * default standalone tables with {@link migrate}, or put Parley's tables in their own drizzle
 * schema: a schema file written by the `parley-schema` command ({@link renderParleySchemaFile})
 * exports every table built by {@link createParleySchema} (their prefix, references to their
 * workspace and user tables), their drizzle-kit generates the tables, and
 * `migrate(db, { schema })` applies Parley's SQL routines to them. {@link rollback} undoes
 * shipped migrations with the down SQL shipped beside them.
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
export {
  type HostTableImport,
  type ParleySchemaFileOptions,
  renderParleySchemaFile,
} from './render-parley-schema-file';
export { type RollbackOptions, type RollbackResult, rollback } from './rollback';
