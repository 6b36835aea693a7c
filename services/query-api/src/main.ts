import { runMain, startService } from '@il/runtime';
import { queryParts } from './queryParts.js';

runMain((config) => startService('query-api', config, (ctx) => queryParts(ctx, { runProjector: false })));
