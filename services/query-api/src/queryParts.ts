import { registerLagMetrics } from '@il/http-kit';
import type { ServiceContext, ServiceParts } from '@il/runtime';
import { openReadModels } from './readModelsFromConfig.js';
import { queryRouter, queryRoutes } from './queryRouter.js';
import { reportedRebuild } from './reportedRebuild.js';
import { reportRouter, reportRoutes } from './reportRoutes.js';
import { transmissionRouter, transmissionRoutes } from './transmissionRoutes.js';

/** Every route the query API serves. */
export const queryApiRoutes = [...queryRoutes, ...reportRoutes, ...transmissionRoutes];

/**
 * The query API, and the projector feeding its views when `runProjector` (standalone; the projector service runs
 * it alone in a scaled-out setup). Lag is exported as metrics and in /readyz either way.
 */
export async function queryParts(ctx: ServiceContext, options: { runProjector: boolean }): Promise<ServiceParts> {
  const readModels = await openReadModels(ctx);
  const lag = registerLagMetrics(ctx.metrics.registry, ctx.store, 'indicators', () => readModels.checkpoint());
  const background: { stop(): Promise<void> }[] = [];
  if (options.runProjector) background.push(await readModels.startProjector());
  background.push({ stop: () => readModels.close() });
  const query = {
    views: readModels,
    checkpoint: () => readModels.checkpoint(),
    now: () => new Date(),
    rebuild: reportedRebuild(() => readModels.rebuild(), ctx.metrics, ctx.log),
  };
  return {
    routers: [queryRouter(query), reportRouter(query), transmissionRouter({ ...query, store: ctx.store })],
    routeDocs: queryApiRoutes,
    background,
    readiness: async () => {
      const l = await lag();
      return {
        ok: true,
        details: {
          readModels: readModels.engine,
          projection: { lagSeconds: l.seconds, lagEvents: l.events, checkpoint: l.checkpoint },
        },
      };
    },
  };
}
