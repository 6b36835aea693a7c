import { createServer, type RequestListener, type Server } from 'node:http';
import { join } from 'node:path';
import type { Router } from 'express';
import type pg from 'pg';
import { type EventStore } from '@il/event-store';
import { createPool, openDatabase } from '@il/event-store-postgres';
import {
  createApp,
  createLogger,
  createMetrics,
  createOpsApp,
  type Log,
  type Metrics,
  type RouteDoc,
} from '@il/http-kit';
import { authSetup } from './authSetup.js';
import { createActorDirectory, type ActorDirectory } from '@il/pseudonyms';
import { createWriteContext, type WriteContext } from '@il/write-api';
import type { Config } from './config.js';
import { openEventStore } from './eventStoreFromConfig.js';

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
  config: Config;
  write: WriteContext;
  /** The selected event store (EVENT_STORE). */
  store: EventStore;
  /**
   * The PostgreSQL database (DATABASE_URL or embedded), present in every configuration: pseudonym keys live here
   * (secrets are erased by deleting them, so they stay out of event stores), and the views unless READ_MODELS=mongodb.
   */
  connectionString: string;
  pool: pg.Pool;
  metrics: Metrics;
  /** The process's structured log, for work that has no request to answer (background errors, rebuilds). */
  log: Log;
}

export interface RunningService {
  url: string;
  /** Where /healthz, /readyz and /metrics are (the API url unless METRICS_PORT is set). */
  opsUrl: string;
  /** The printed development admin token, when no JWT secret is configured. */
  devToken?: string;
  server: Server;
  context: WriteContext;
  stop(): Promise<void>;
}

/**
 * An HTTP server that times out a request, headers and body together, after `timeoutMs` (408). Node checks for
 * expired requests every `connectionsCheckingInterval` (30 s by default), which let a stalled body hold its
 * connection for up to twice the timeout; checked every second, a request ends within a second of it.
 */
function httpServer(app: RequestListener, timeoutMs: number): Server {
  return createServer({ requestTimeout: timeoutMs, headersTimeout: timeoutMs, connectionsCheckingInterval: 1000 }, app);
}

async function listen(server: Server, port: number, host: string): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

function urlOf(server: Server, host: string): string {
  const address = server.address();
  return `http://${host}:${typeof address === 'object' && address ? address.port : 0}`;
}

/** One process serving the given routers on one port, on the embedded PostgreSQL unless DATABASE_URL is set. */
export async function startService(
  name: string,
  config: Config,
  parts: (ctx: ServiceContext) => ServiceParts | Promise<ServiceParts>,
): Promise<RunningService> {
  const log = createLogger(name, config.LOG_LEVEL);
  // Authentication is checked first (production refuses to start without keys, before a database is started); the
  // actor directory it records ids through exists before the server takes a request.
  const actors: { directory?: ActorDirectory } = {};
  const auth = await authSetup(config, (issuer, subject) => actors.directory!.idFor(issuer, subject));
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: join(config.DATA_DIR, 'postgres') });
  // Where the embedded server listens, so another process (npm run relay, psql, Grafana's SQL source) can reach it:
  // it is bound to 127.0.0.1 with a fixed local password, and one data directory has one server.
  log(
    db.embedded
      ? { msg: 'embedded PostgreSQL started', dataDir: config.DATA_DIR, databaseUrl: db.connectionString }
      : { msg: 'using DATABASE_URL' },
  );
  const pool = createPool({ connectionString: db.connectionString, max: 10, application_name: `il-${name}` }, (e) =>
    log({ level: 'warn', msg: 'idle database connection lost', error: e.message }),
  );
  actors.directory = await createActorDirectory(pool);
  const { store, ...engine } = await openEventStore(config, { connectionString: db.connectionString, pool });
  log({ msg: 'event store', engine: config.EVENT_STORE });
  const metrics = createMetrics(name);
  const context = createWriteContext(store, metrics, { futureToleranceDays: config.FUTURE_TOLERANCE_DAYS });
  const {
    routers,
    routeDocs,
    background = [],
    readiness,
  } = await parts({ config, write: context, store, metrics, connectionString: db.connectionString, pool, log });
  const readinessCheck = async () => {
    const engineReady = await engine.ready();
    const head = await store.headPosition();
    const extra = readiness ? await readiness() : { ok: true, details: {} };
    return {
      ok: engineReady.ok && extra.ok,
      details: { ...engineReady.details, headPosition: head.position, ...extra.details },
    };
  };
  const separateOps = config.METRICS_PORT !== undefined;
  const app = createApp({
    service: name,
    metrics,
    log,
    routers,
    routeDocs,
    bodyLimit: config.BODY_LIMIT,
    corsOrigins: config.CORS_ORIGINS,
    authenticate: auth.authenticate,
    writesPerMinute: config.WRITES_PER_MINUTE,
    separateOps,
    readiness: readinessCheck,
  });
  const server = await listen(httpServer(app, config.REQUEST_TIMEOUT_MS), config.PORT, config.HOST);
  const ops = separateOps
    ? await listen(
        httpServer(createOpsApp({ service: name, metrics, readiness: readinessCheck }), config.REQUEST_TIMEOUT_MS),
        config.METRICS_PORT!,
        config.HOST,
      )
    : undefined;
  const url = urlOf(server, config.HOST);
  const opsUrl = ops ? urlOf(ops, config.HOST) : url;
  log({ msg: 'listening', url, opsUrl });
  if (auth.devToken && routeDocs.some((r) => r.path.startsWith('/v1/'))) {
    log({
      level: 'warn',
      msg: 'DEVELOPMENT ADMIN TOKEN (development only; set JWT_SECRET or JWT_JWKS_FILE for real use)',
      token: auth.devToken,
      use: 'Authorization: Bearer <token>',
    });
  }
  return {
    url,
    opsUrl,
    server,
    context,
    ...(auth.devToken ? { devToken: auth.devToken } : {}),
    async stop() {
      await Promise.all(
        [server, ...(ops ? [ops] : [])].map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeIdleConnections();
            }),
        ),
      );
      for (const b of background) await b.stop();
      await store.close();
      await pool.end();
      await db.stop();
      log({ msg: 'stopped' });
    },
  };
}
