import postgres from 'postgres';
import type { OpenDirectConnection } from '../ports/direct-connection';

/** Where a postgres-js direct connection goes: a URL, or the settings of a client the host has. */
export type PostgresJsConnectionTarget = string | postgres.Sql;

/**
 * The connection settings of a host's postgres-js client, without its pool size, timeouts,
 * types or hooks: what one connection of Parley's own needs to reach the same database.
 */
function settingsOf(client: postgres.Sql): postgres.Options<Record<string, never>> {
  const { host, port, path, database, user, pass, ssl, connect_timeout, keep_alive, connection } =
    client.options as postgres.ParsedOptions & { pass?: unknown; path?: string | false };
  return {
    host: host as unknown as string,
    port: port as unknown as number,
    ...(path ? { path } : {}),
    database,
    user,
    password: pass as unknown as string,
    ssl,
    connect_timeout,
    keep_alive,
    connection,
  } as postgres.Options<Record<string, never>>;
}

/**
 * Opens {@link DirectConnection}s as one-connection postgres-js clients: statements unprepared
 * (a pooler may sit in front), no idle timeout or maximum lifetime (the connection holds locks
 * and LISTEN for as long as the process runs), and its closing reported as a loss instead of
 * the silent reconnection postgres-js would otherwise make.
 */
export function openPostgresJsConnection(
  target: PostgresJsConnectionTarget,
  applicationName: string,
): OpenDirectConnection {
  const settings = typeof target === 'string' ? {} : settingsOf(target);
  return async (events) => {
    let state: 'opening' | 'open' | 'ended' = 'opening';
    const options: postgres.Options<Record<string, never>> = {
      ...settings,
      max: 1,
      idle_timeout: 0,
      max_lifetime: 0,
      prepare: false,
      fetch_types: false,
      onnotice: () => undefined,
      connection: { ...settings.connection, application_name: applicationName },
      onclose: () => {
        if (state !== 'open') return;
        state = 'ended';
        events.onLost(new Error(`The ${applicationName} connection to PostgreSQL closed`));
        // Stop postgres-js from quietly opening a new connection for a later statement: the
        // locks and the LISTEN of this one are gone, and its owner opens a new one knowingly.
        void client.end({ timeout: 0 }).catch(() => undefined);
      },
    };
    // `onnotify` is postgres-js's own hook for notifications, the one its `listen` uses.
    if (events.onNotification) {
      const onNotification = events.onNotification;
      (options as { onnotify?: (channel: string, payload: string) => void }).onnotify = (
        channel,
        payload,
      ) => onNotification(channel, payload);
    }
    const client =
      typeof target === 'string'
        ? postgres(withoutApplicationName(target), options)
        : postgres(options);
    try {
      await client`select 1`;
    } catch (error) {
      state = 'ended';
      await client.end({ timeout: 0 }).catch(() => undefined);
      throw error;
    }
    state = 'open';
    return {
      async query(text, values) {
        const rows = await client.unsafe(text, (values ?? []) as postgres.ParameterOrJSON<never>[]);
        return [...rows] as Array<Record<string, unknown>>;
      },
      async end() {
        state = 'ended';
        await client.end({ timeout: 1 }).catch(() => undefined);
      },
    };
  };
}

/**
 * The URL without its `application_name` parameter, which postgres-js would let win over the
 * name this connection gives itself (operators find Parley's connections by that name).
 */
function withoutApplicationName(url: string): string {
  return url.replace(/([?&])application_name=[^&]*&?/, '$1').replace(/[?&]$/, '');
}
