import { sql } from 'drizzle-orm';
import type { AnyPgDatabase } from '../any-pg-database';

/**
 * Drops everything in `public` (and drizzle's ledger schema), so one embedded database serves
 * several tests: starting a PGlite costs far more than emptying one.
 */
export async function emptyDatabase(database: AnyPgDatabase): Promise<void> {
  await database.execute(sql`drop schema if exists drizzle cascade`);
  await database.execute(sql`drop schema public cascade`);
  await database.execute(sql`create schema public`);
}
