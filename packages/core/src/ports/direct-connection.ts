/**
 * One PostgreSQL connection of Parley's own, outside any pool: what the turn locks hold their
 * session-level advisory locks on, and what the event bus LISTENs on. Neither works through a
 * pooler in transaction mode (PgBouncer), so both take a direct connection string when the
 * host gives one. Each driver entry point (`@parley/core/postgres` for node-postgres,
 * `@parley/core/postgres-js` for postgres-js) supplies an implementation.
 */
export interface DirectConnection {
  /** Runs one statement with `$1`-style parameters and returns its rows. */
  query(text: string, values?: readonly unknown[]): Promise<Array<Record<string, unknown>>>;
  /** Closes the connection; `onLost` is not called for a connection ended this way. */
  end(): Promise<void>;
}

/** What a {@link DirectConnection}'s owner hears from it. */
export interface DirectConnectionEvents {
  /**
   * The connection dropped (server restart, killed backend, network): called at most once,
   * with the driver's error when it gave one. Whatever the connection held (advisory locks,
   * LISTEN) went with it.
   */
  onLost(error?: unknown): void;
  /** A notification on a channel this connection LISTENs to. */
  onNotification?(channel: string, payload: string): void;
}

/** Opens a new {@link DirectConnection}; rejects when the database cannot be reached. */
export type OpenDirectConnection = (events: DirectConnectionEvents) => Promise<DirectConnection>;
