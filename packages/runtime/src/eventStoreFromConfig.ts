import type pg from 'pg';
import { type EventStore } from '@il/event-store';
import { createPostgresEventStore, eventStoreMigrations, migrationsDone } from '@il/event-store-postgres';
import type { Config } from './config.js';

export interface OpenedEventStore {
  store: EventStore;
  /** Readiness detail of the engine (migrations for PostgreSQL). */
  ready(): Promise<{ ok: boolean; details: Record<string, unknown> }>;
}

/**
 * The event store the configuration selects. KurrentDB's client (gRPC) is loaded only when selected, so the
 * default single-node start does not pay for it.
 */
export async function openEventStore(
  config: Config,
  database: { connectionString: string; pool: pg.Pool },
): Promise<OpenedEventStore> {
  if (config.EVENT_STORE === 'kurrentdb') {
    const { createKurrentEventStore } = await import('@il/event-store-kurrentdb');
    const store = createKurrentEventStore({
      connectionString: config.KURRENTDB_URL!,
      ...(config.KURRENTDB_STREAM_PREFIX ? { namespace: config.KURRENTDB_STREAM_PREFIX } : {}),
    });
    return { store, ready: async () => ({ ok: true, details: { eventStore: 'kurrentdb' } }) };
  }
  const store = await createPostgresEventStore({ connectionString: database.connectionString, pool: database.pool });
  return {
    store,
    async ready() {
      const migrated = await migrationsDone(database.pool, 'event-store', eventStoreMigrations);
      return { ok: migrated, details: { eventStore: 'postgres', migrations: migrated ? 'done' : 'pending' } };
    },
  };
}
