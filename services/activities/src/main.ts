import { runMain, startService } from '@il/runtime';
import { activitiesRouter, activitiesRoutes } from './activitiesRouter.js';

runMain((config) => startService('activities', config, (ctx) => ({ routers: [activitiesRouter(ctx)], routeDocs: activitiesRoutes })));
