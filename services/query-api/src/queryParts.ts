import { createPostgresProjector, openViewPool, rebuildViews, registerLagMetrics } from '@il/projections';
import type { ServiceContext, ServiceParts } from '@il/runtime';
import { queryRouter, queryRoutes } from './queryRouter.js';

/**
 * The query API, and the projector feeding its views when `runProjector` (standalone; the projector service runs
 * it alone in a scaled-out setup). Lag is exported as metrics and in /readyz either way.
 */
export async function queryParts({ store, metrics, connectionString }: ServiceContext, options: { runProjector: boolean; timeZone?: string }): Promise<ServiceParts> {
  const pool = await openViewPool(connectionString);
  const projector = await createPostgresProjector({ pool, store });
  const lag = registerLagMetrics(metrics.registry, store, 'indicators', projector.checkpoint);
  const background: { stop(): Promise<void> }[] = [];
  if (options.runProjector) background.push(await projector.start());
  background.push({ stop: () => pool.end() });
  return {
    routers: [queryRouter({ pool, checkpoint: projector.checkpoint, now: () => new Date(), timeZone: options.timeZone ?? 'Europe/Riga', rebuild: () => rebuildViews(connectionString, store) })],
    routeDocs: queryRoutes,
    background,
    readiness: async () => {
      const l = await lag();
      return { ok: true, details: { projection: { lagSeconds: l.seconds, lagEvents: l.events, checkpoint: l.checkpoint } } };
    },
  };
}
