import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { createPostgresEventStore, eventStoreMigrations, migrationsDone, openDatabase } from '@il/event-store';
import { createApp, createLogger, createMetrics } from '@il/http-kit';
import type { Config } from './config.js';

export interface RunningSystem {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/** Everything in one process on one port: the newcomer's `npm start`. */
export async function startSystem(config: Config): Promise<RunningSystem> {
  const log = createLogger('standalone', config.LOG_LEVEL);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres') });
  log({ msg: db.embedded ? 'embedded PostgreSQL started' : 'using DATABASE_URL', dataDir: db.embedded ? config.DATA_DIR : undefined });
  const store = await createPostgresEventStore({ connectionString: db.connectionString });
  const metrics = createMetrics('standalone');
  const app = createApp({
    service: 'standalone',
    metrics,
    log,
    readiness: async () => {
      const migrated = await migrationsDone(store.pool, 'event-store', eventStoreMigrations);
      const head = await store.headPosition();
      return { ok: migrated, details: { eventStore: 'reachable', migrations: migrated ? 'done' : 'pending', headPosition: head.position } };
    },
  });
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  log({ msg: 'listening', url });
  return {
    url,
    server,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await store.close();
      await db.stop();
      log({ msg: 'stopped' });
    },
  };
}
