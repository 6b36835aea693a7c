import { createPostgresProjector, registerLagMetrics } from '@il/projections';
import type { ServiceContext, ServiceParts } from '@il/runtime';
import { queryRouter, queryRoutes } from './queryRouter.js';

/**
 * The query API, and the projector feeding its views when `runProjector` (standalone; the projector service runs
 * it alone in a scaled-out setup). Lag is exported as metrics and in /readyz either way.
 */
export async function queryParts({ store, metrics }: ServiceContext, options: { runProjector: boolean; timeZone?: string }): Promise<ServiceParts> {
  const projector = await createPostgresProjector({ pool: store.pool, store });
  const lag = registerLagMetrics(metrics.registry, store, 'indicators', projector.checkpoint);
  const background = [];
  if (options.runProjector) {
    const subscription = await projector.start();
    background.push(subscription);
  }
  return {
    routers: [queryRouter({ pool: store.pool, checkpoint: projector.checkpoint, now: () => new Date(), timeZone: options.timeZone ?? 'Europe/Riga' })],
    routeDocs: queryRoutes,
    background,
    readiness: async () => {
      const l = await lag();
      return { ok: true, details: { projection: { lagSeconds: l.seconds, lagEvents: l.events, checkpoint: l.checkpoint } } };
    },
  };
}
