import { runMain, startService } from '@il/runtime';
import { infrastructureRouter, infrastructureRoutes } from './infrastructureRouter.js';

runMain((config) => startService('infrastructure', config, (ctx) => ({ routers: [infrastructureRouter(ctx)], routeDocs: infrastructureRoutes })));
