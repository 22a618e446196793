import pg from 'pg';
import type { OpenDirectConnection } from '../ports/direct-connection';

/**
 * Opens {@link DirectConnection}s as node-postgres clients with `config`: the connection string
 * the host gave for direct use, or the settings of the store's pool.
 */
export function openPgConnection(config: pg.ClientConfig): OpenDirectConnection {
  return async (events) => {
    const client = new pg.Client({
      ...config,
      // Detects a silently dropped connection, which would otherwise never emit an error.
      keepAlive: true,
    });
    let ended = false;
    // A lost connection emits 'error' then 'end'; its owner hears of it once. Unheard, the
    // `error` event would end the process.
    const lost = (error?: unknown) => {
      if (ended) return;
      ended = true;
      events.onLost(error);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    if (events.onNotification) {
      const onNotification = events.onNotification;
      client.on('notification', (notification) =>
        onNotification(notification.channel, notification.payload ?? ''),
      );
    }
    try {
      await client.connect();
    } catch (error) {
      ended = true;
      client.removeAllListeners();
      client.on('error', () => undefined);
      throw error;
    }
    return {
      async query(text, values) {
        return (await client.query(text, values as unknown[] | undefined)).rows;
      },
      async end() {
        ended = true;
        await client.end().catch(() => undefined);
      },
    };
  };
}
