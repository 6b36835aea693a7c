import { runMain, startService } from '@il/runtime';
import { registryRouter, registryRoutes } from './registryRouter.js';

runMain((config) => startService('registry', config, ({ write }) => ({ routers: [registryRouter(write)], routeDocs: registryRoutes })));
