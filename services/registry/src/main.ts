import { runMain, startService } from '@il/runtime';
import { registryRouter, registryRoutes } from './registryRouter.js';

runMain((config) => startService('registry', config, (ctx) => ({ routers: [registryRouter(ctx)], routeDocs: registryRoutes })));
