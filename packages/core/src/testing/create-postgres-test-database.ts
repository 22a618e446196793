import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own on the test server; `drop` removes it. */
export interface PostgresTestDatabase {
  databaseName: string;
  /** The URL of the new database (the server's URL with its name). */
  url: string;
  drop(): Promise<void>;
}

/**
 * A throwaway database on the test server, for tests that cannot use a schema of their own:
 * behind PgBouncer in transaction mode a connection cannot choose its `search_path`, so its
 * tables must live in the database's `public` schema.
 */
export async function createPostgresTestDatabase(
  connectionString: string,
): Promise<PostgresTestDatabase> {
  const databaseName = `parley_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await admin.query(`create database ${databaseName}`);
  } finally {
    await admin.end();
  }
  const url = new URL(connectionString);
  url.pathname = `/${databaseName}`;
  return {
    databaseName,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query(`drop database if exists ${databaseName} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}
