import { activitiesRouter, activitiesRoutes } from '@il/activities';
import { infrastructureRouter, infrastructureRoutes } from '@il/infrastructure';
import { queryParts } from '@il/query-api';
import { createPseudonymKeyStore } from '@il/pseudonyms';
import { registryRouter, registryRoutes } from '@il/registry';
import { startService, type Config, type RunningService } from '@il/runtime';

/** Every service, the projector included, in one process on one port: the newcomer's `npm start`. */
export function startSystem(config: Config): Promise<RunningService> {
  return startService('standalone', config, async (ctx) => {
    const queries = await queryParts(ctx, { runProjector: true });
    return {
      ...queries,
      routers: [registryRouter(ctx.write, await createPseudonymKeyStore(ctx.pool)), activitiesRouter(ctx.write), infrastructureRouter(ctx.write), ...queries.routers],
      routeDocs: [...registryRoutes, ...activitiesRoutes, ...infrastructureRoutes, ...queries.routeDocs],
    };
  });
}
