import path from 'node:path';
import { createInMemoryEventBus, type EventBus, type Store } from '@parley/core';
import { createPgliteStore } from '@parley/core/pglite';
import { createPostgresEventBus, createPostgresStore } from '@parley/core/postgres';
import type { QuickstartConfig } from './config';

/** Where conversations live, and the bus that carries their news. */
export interface QuickstartStorage {
  store: Store;
  eventBus: EventBus;
  /** For the start banner, without credentials: `PGlite in /…/.parley-data/pglite`. */
  description: string;
  /** Closes the bus, then the store (and its pool). */
  close(): Promise<void>;
}

/** Strips the password (and any other user info) from a connection string, for printing. */
function withoutCredentials(connectionString: string): string {
  const url = new URL(connectionString);
  url.username = '';
  url.password = '';
  return url.toString();
}

/**
 * PostgreSQL with its `LISTEN/NOTIFY` bus when `DATABASE_URL` is set (several instances can
 * then serve one conversation), else PGlite in `<dataDir>/pglite` with an in-process bus.
 * Migrations are applied either way.
 */
export async function openStorage(
  config: QuickstartConfig,
  onBusError: (error: unknown) => void,
): Promise<QuickstartStorage> {
  if (config.databaseUrl) {
    const store = await createPostgresStore({ connectionString: config.databaseUrl });
    const eventBus = createPostgresEventBus({
      connectionString: config.databaseUrl,
      onError: onBusError,
    });
    return {
      store,
      eventBus,
      description: `PostgreSQL at ${withoutCredentials(config.databaseUrl)}`,
      close: async () => {
        await eventBus.close();
        await store.close();
      },
    };
  }
  const directory = path.join(config.dataDir, 'pglite');
  const store = await createPgliteStore({ dataDir: directory });
  const eventBus = createInMemoryEventBus();
  return {
    store,
    eventBus,
    description: `PGlite in ${directory}`,
    close: async () => {
      await eventBus.close();
      await store.close();
    },
  };
}
