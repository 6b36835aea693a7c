import { runMain, startService } from '@il/runtime';
import { queryParts } from '@il/query-api';

// The projector process: applies events to the views; its HTTP port serves health, readiness (with lag) and metrics.
runMain((config) =>
  startService('projector', config, async (ctx) => ({
    ...(await queryParts(ctx, { runProjector: true })),
    routers: [],
    routeDocs: [],
  })),
);
