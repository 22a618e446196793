import { defineConfig } from 'drizzle-kit';

/**
 * drizzle-kit for the host's database: `pnpm db:generate` writes a migration from the schema
 * files into `db/migrations`; `pnpm db:migrate` applies them (`db/migrate.ts`, drizzle's own
 * migrator, ledger `drizzle.__drizzle_migrations`). The schema files are the host's own tables
 * and Parley's (`db/parley-schema.ts`, written by `pnpm db:parley-schema`).
 */
export default defineConfig({
  dialect: 'postgresql',
  schema: ['./db/schema.ts', './db/parley-schema.ts'],
  out: './db/migrations',
  // Parley's ledger (its SQL routines, applied by Parley's migrate()) is in no schema file:
  // without this, `drizzle-kit push` would drop it.
  tablesFilter: ['!parley_migrations'],
  // Only `push`, `pull` and `studio` connect; `generate` works without a database.
  dbCredentials: { url: process.env.DATABASE_URL ?? '' },
});
