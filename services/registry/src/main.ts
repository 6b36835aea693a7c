import { createPseudonymKeyStore } from '@il/pseudonyms';
import { runMain, startService } from '@il/runtime';
import { registryRouter, registryRoutes } from './registryRouter.js';

runMain((config) =>
  startService('registry', config, async ({ write, pool }) => ({
    routers: [registryRouter(write, await createPseudonymKeyStore(pool))],
    routeDocs: registryRoutes,
  })),
);
