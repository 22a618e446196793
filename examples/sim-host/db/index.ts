/**
 * @module The host's database: drizzle on postgres-js, one `db` for the whole app, as Sim's
 * `@sim/db` exports it. The client lives on `globalThis` outside production, so the dev
 * server's reloads reuse one pool instead of opening another on every edit.
 */
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

const databaseUrl = process.env.DATABASE_URL;
// `next build` loads this module while it collects the pages, with no database to reach: the
// client connects on its first query, so only a server that runs needs the variable.
if (!databaseUrl && process.env.NEXT_PHASE !== 'phase-production-build') {
  throw new Error(
    "DATABASE_URL is not set: point it at the host's PostgreSQL, e.g. " +
      'postgres://postgres@127.0.0.1:5432/sim_host (see README.md).',
  );
}

const globalForDatabase = globalThis as typeof globalThis & { simHostPostgres?: postgres.Sql };

const client =
  globalForDatabase.simHostPostgres ??
  postgres(databaseUrl ?? '', {
    // Sim runs behind PgBouncer in transaction mode, where prepared statements do not survive
    // from one transaction to the next.
    prepare: false,
    max: 10,
    idle_timeout: 20,
    onnotice: () => {},
  });
if (process.env.NODE_ENV !== 'production') globalForDatabase.simHostPostgres = client;

/** The host's database, with its schema for `db.query.…`. */
export const db = drizzle({ client, schema });
