import { runMain, startService } from '@il/runtime';
import { activitiesRouter, activitiesRoutes } from './activitiesRouter.js';

runMain((config) =>
  startService('activities', config, ({ write }) => ({
    routers: [activitiesRouter(write)],
    routeDocs: activitiesRoutes,
  })),
);
