import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Router } from 'express';
import type pg from 'pg';
import { createPostgresEventStore, eventStoreMigrations, migrationsDone, openDatabase, type EventStore } from '@il/event-store';
import { createApp, createLogger, createMetrics, type Metrics, type RouteDoc } from '@il/http-kit';
import { createWriteContext, type WriteContext } from '@il/write-api';
import type { Config } from './config.js';

export interface ServiceParts {
  routers: Router[];
  routeDocs: RouteDoc[];
  /** Work running beside the HTTP server (the projector), stopped before the store closes. */
  background?: { stop(): Promise<void> }[];
  /** Extra readiness detail (projection lag); `ok: false` makes /readyz answer 503. */
  readiness?: () => Promise<{ ok: boolean; details: Record<string, unknown> }>;
}

/** What a service's parts are built from. */
export interface ServiceContext {
  write: WriteContext;
  connectionString: string;
  store: EventStore & { pool: pg.Pool };
  metrics: Metrics;
}

export interface RunningService {
  url: string;
  server: Server;
  context: WriteContext;
  stop(): Promise<void>;
}

/** One process serving the given routers on one port, on the embedded PostgreSQL unless DATABASE_URL is set. */
export async function startService(name: string, config: Config, parts: (ctx: ServiceContext) => ServiceParts | Promise<ServiceParts>): Promise<RunningService> {
  const log = createLogger(name, config.LOG_LEVEL);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres') });
  log({ msg: db.embedded ? 'embedded PostgreSQL started' : 'using DATABASE_URL', dataDir: db.embedded ? config.DATA_DIR : undefined });
  const store = await createPostgresEventStore({ connectionString: db.connectionString });
  const metrics = createMetrics(name);
  const context = createWriteContext(store, metrics, { futureToleranceDays: config.FUTURE_TOLERANCE_DAYS });
  const { routers, routeDocs, background = [], readiness } = await parts({ write: context, store, metrics, connectionString: db.connectionString });
  const app = createApp({
    service: name,
    metrics,
    log,
    routers,
    routeDocs,
    bodyLimit: config.BODY_LIMIT,
    readiness: async () => {
      const migrated = await migrationsDone(store.pool, 'event-store', eventStoreMigrations);
      const head = await store.headPosition();
      const extra = readiness ? await readiness() : { ok: true, details: {} };
      return { ok: migrated && extra.ok, details: { eventStore: 'reachable', migrations: migrated ? 'done' : 'pending', headPosition: head.position, ...extra.details } };
    },
  });
  const server = createServer(app);
  server.requestTimeout = config.REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, resolve);
  });
  const address = server.address();
  const url = `http://${config.HOST}:${typeof address === 'object' && address ? address.port : config.PORT}`;
  log({ msg: 'listening', url });
  return {
    url,
    server,
    context,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      for (const b of background) await b.stop();
      await store.close();
      await db.stop();
      log({ msg: 'stopped' });
    },
  };
}
