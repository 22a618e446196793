/**
 * @module `pnpm db:migrate`: applies `db/migrations` (written by `drizzle-kit generate`) to the
 * database `DATABASE_URL` names, with drizzle's own migrator on postgres-js. The ledger is
 * drizzle's default, `drizzle.__drizzle_migrations`: running it again applies nothing twice.
 */
import path from 'node:path';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('DATABASE_URL is not set: it names the database to migrate.');
  process.exit(1);
}

// One connection, closed at the end, so the process exits when the migrations are in.
const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
try {
  await migrate(drizzle({ client }), {
    migrationsFolder: path.join(import.meta.dirname, 'migrations'),
  });
  console.log('Host migrations applied.');
} finally {
  await client.end();
}
