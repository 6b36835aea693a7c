import { activitiesRouter, activitiesRoutes } from '@il/activities';
import { infrastructureRouter, infrastructureRoutes } from '@il/infrastructure';
import { registryRouter, registryRoutes } from '@il/registry';
import { startService, type Config, type RunningService } from '@il/runtime';

/** Every service in one process on one port: the newcomer's `npm start`. */
export function startSystem(config: Config): Promise<RunningService> {
  return startService('standalone', config, (ctx) => ({
    routers: [registryRouter(ctx), activitiesRouter(ctx), infrastructureRouter(ctx)],
    routeDocs: [...registryRoutes, ...activitiesRoutes, ...infrastructureRoutes],
  }));
}
