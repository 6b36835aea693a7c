import { routeTemplate } from './routeTemplate.js';
import { randomUUID } from 'node:crypto';
import compression from 'compression';
import cors from 'cors';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { docsRoutes, mountDocs } from './docsPages.js';
import { errorHandler } from './errorHandler.js';
import { retryAfterSeconds } from './problem.js';
import { jsonBody } from './jsonBody.js';
import type { Log } from './logger.js';
import { actorMiddleware } from './actor.js';
import { writeRateLimit } from './rateLimit.js';
import { openApiDocument, type RouteDoc } from './openapi.js';
import { allowedMethods, opsRoutes } from './allowedMethods.js';
import type { Metrics } from './metrics.js';
import { sendProblem } from './problem.js';

export interface Readiness {
  ok: boolean;
  details: Record<string, unknown>;
}

export interface AppOptions {
  service: string;
  metrics: Metrics;
  log: Log;
  /** Store reachable, migrations done, projector lag…; /readyz answers 503 while not ok. */
  readiness: () => Promise<Readiness>;
  routers?: Router[];
  /** Documentation of the routers' routes, served as /openapi.json. */
  routeDocs?: RouteDoc[];
  /** Authenticates /v1 requests and sets the actor (bearerAuth); without it every caller is the development admin. */
  authenticate?: RequestHandler;
  /** Writes per minute per token (0 = unlimited). */
  writesPerMinute?: number;
  /** Serve /healthz, /readyz and /metrics on a separate port (createOpsApp) instead of this one. */
  separateOps?: boolean;
  /** Documented request body limit (default 256 KiB). */
  bodyLimit?: string;
  /** Browser origins allowed to call the API (CORS); none by default. A preflight is answered without a token. */
  corsOrigins?: readonly string[];
}

/** Headers a browser client may send and read: the API's conditional and idempotent writes need them. */
const corsAllowedHeaders = [
  'Authorization',
  'Content-Type',
  'If-Match',
  'If-None-Match',
  'Idempotency-Key',
  'X-Correlation-Id',
];
const corsExposedHeaders = ['ETag', 'Location', 'Idempotent-Replayed', 'Retry-After', 'X-Correlation-Id', 'Allow'];

/** Responses this small are sent as they are: compressing them costs more than it saves. */
export const compressionThresholdBytes = 1024;

const opsPaths = new Set(opsRoutes.map((r) => r.path));

/** The OpenAPI document a service serves at /openapi.json (and the typed client is generated from). */
export const servedDocument = (service: string, routeDocs: readonly RouteDoc[]) =>
  openApiDocument(`Indicator Ledger — ${service}`, [...docsRoutes, ...routeDocs]);

/** Deepest nesting of arrays and objects a request body may have (a full catalogue needs 7). */
export const maxJsonDepth = 32;

function mountOps(app: Express, options: Pick<AppOptions, 'service' | 'readiness' | 'metrics'>): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', service: options.service });
  });
  app.get('/readyz', async (_req, res) => {
    const r = await options
      .readiness()
      .catch((e: unknown) => ({ ok: false, details: { error: String((e as Error)?.message ?? e) } }));
    if (!r.ok) res.set('Retry-After', String(retryAfterSeconds));
    res.status(r.ok ? 200 : 503).json({ status: r.ok ? 'ready' : 'not-ready', ...r.details });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
}

/** Health, readiness and metrics alone, for a port that only the platform (Prometheus, probes) reaches. */
export function createOpsApp(options: Pick<AppOptions, 'service' | 'readiness' | 'metrics'>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(compression({ threshold: compressionThresholdBytes }));
  mountOps(app, options);
  app.use((req, res) => {
    sendProblem(res, {
      type: 'not-found',
      title: 'Not found',
      status: 404,
      detail: `No route for ${req.method} ${req.path}`,
    });
  });
  return app;
}

/**
 * Express app with what every service shares: JSON only, body limit, correlation ids, request metrics by route
 * template, health/readiness/metrics endpoints and problem+json errors.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const incoming = req.get('x-correlation-id');
    const correlationId = incoming && /^[\w.:-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.locals['correlationId'] = correlationId;
    res.set('x-correlation-id', correlationId);
    const end = options.metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = routeTemplate(req) ?? 'unmatched';
      const seconds = end({ route, method: req.method, status: String(res.statusCode) });
      // Probes and scrapes come every few seconds and say nothing: debug, so info lines are the API's traffic.
      const level = opsPaths.has(req.path) ? 'debug' : 'info';
      options.log({
        level,
        msg: 'request',
        correlationId,
        method: req.method,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
      });
    });
    next();
  });

  // Before authentication: a browser's preflight carries no token, and must be answered (or refused) as CORS says.
  if (options.corsOrigins?.length) {
    const corsHeaders = cors({
      origin: [...options.corsOrigins],
      allowedHeaders: corsAllowedHeaders,
      exposedHeaders: corsExposedHeaders,
      maxAge: 600,
    });
    // Only requests from a browser page (with Origin) are CORS requests: a plain OPTIONS is answered below.
    app.use((req, res, next) => (req.headers.origin === undefined ? next() : corsHeaders(req, res, next)));
  }
  // gzip or brotli, as the client asks, above the threshold: the programme aggregation, /metrics and the document.
  app.use(compression({ threshold: compressionThresholdBytes }));

  if (!options.separateOps) mountOps(app, options);
  mountDocs(app, options.service);

  app.use('/v1', options.authenticate ?? actorMiddleware());
  if (options.writesPerMinute) app.use('/v1', writeRateLimit(options.writesPerMinute));
  app.get('/openapi.json', (_req, res) => {
    res.json(servedDocument(options.service, options.routeDocs ?? []));
  });
  const allowed = allowedMethods([
    ...(options.separateOps ? [] : opsRoutes),
    ...docsRoutes,
    { method: 'get', path: '/docs/init.js' },
    ...(options.routeDocs ?? []),
  ]);
  // OPTIONS (not a CORS preflight, which cors answers above) lists the methods of the path from the whole route
  // table: express's own answer knows only the routes of the first router that has the path.
  app.use((req, res, next) => {
    if (req.method !== 'OPTIONS') return next();
    const allow = allowed(req.path);
    if (allow.length === 0) return next();
    res.set('Allow', allow.join(', ')).status(204).end();
  });
  app.use(jsonBody({ limit: options.bodyLimit ?? '256kb', maxDepth: maxJsonDepth }));
  for (const router of options.routers ?? []) app.use(router);

  // The error series of every route exist from the start, at 0, so the first 5xx of a route is an increase.
  for (const r of options.routeDocs ?? [])
    for (const status of ['500', '503'])
      options.metrics.httpDuration.zero({ route: r.path, method: r.method.toUpperCase(), status });

  app.use((req, res) => {
    const allow = allowed(req.path);
    if (allow.length > 0) {
      res.set('Allow', allow.join(', '));
      sendProblem(res, {
        type: 'method-not-allowed',
        title: 'Method not allowed',
        status: 405,
        detail: `${req.method} is not allowed on ${req.path}; use ${allow.join(', ')}.`,
      });
      return;
    }
    sendProblem(res, {
      type: 'not-found',
      title: 'Not found',
      status: 404,
      detail: `No route for ${req.method} ${req.path}`,
    });
  });
  app.use(errorHandler(options.log));
  return app;
}
