import { runMain, startService } from '@il/runtime';
import { infrastructureRouter, infrastructureRoutes } from './infrastructureRouter.js';

runMain((config) =>
  startService('infrastructure', config, ({ write }) => ({
    routers: [infrastructureRouter(write)],
    routeDocs: infrastructureRoutes,
  })),
);
