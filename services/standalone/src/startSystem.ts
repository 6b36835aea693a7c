import { activitiesRouter, activitiesRoutes } from '@il/activities';
import { infrastructureRouter, infrastructureRoutes } from '@il/infrastructure';
import { queryApiRoutes, queryParts } from '@il/query-api';
import { createPseudonymKeyStore } from '@il/pseudonyms';
import { registryRouter, registryRoutes } from '@il/registry';
import { loadRelayConfig } from '@il/relay';
import { relayParts } from '@il/relay-service';
import { startService, type Config, type RunningService, type ServiceParts } from '@il/runtime';

/** Every route the standalone system serves: its OpenAPI document, and the typed client's (@il/client). */
export const systemRouteDocs = [...registryRoutes, ...activitiesRoutes, ...infrastructureRoutes, ...queryApiRoutes];

/**
 * Every service, the projector included, in one process on one port: the newcomer's `npm start`. With
 * KAFKA_BROKERS or RELAY_SINK set, the relay runs in it too: a separate `npm run relay` cannot open the embedded
 * PostgreSQL's data directory while this process has it (one server per directory).
 */
export function startSystem(config: Config, env: NodeJS.ProcessEnv = process.env): Promise<RunningService> {
  const relayConfig = env['KAFKA_BROKERS'] || env['RELAY_SINK'] ? loadRelayConfig(env) : undefined;
  return startService('standalone', config, async (ctx) => {
    const queries = await queryParts(ctx, { runProjector: true });
    const relay = relayConfig ? await relayParts(ctx, relayConfig) : undefined;
    return {
      routers: [
        registryRouter(ctx.write, await createPseudonymKeyStore(ctx.pool)),
        activitiesRouter(ctx.write),
        infrastructureRouter(ctx.write),
        ...queries.routers,
      ],
      routeDocs: systemRouteDocs,
      background: [...(relay?.background ?? []), ...(queries.background ?? [])],
      readiness: combinedReadiness([queries, ...(relay ? [relay] : [])]),
    };
  });
}

/** Ready when every part is; the details of all of them side by side. */
function combinedReadiness(parts: ServiceParts[]): ServiceParts['readiness'] {
  return async () => {
    const each = await Promise.all(parts.map(async (p) => (p.readiness ? p.readiness() : { ok: true, details: {} })));
    return {
      ok: each.every((r) => r.ok),
      details: Object.assign({}, ...each.map((r) => r.details)) as Record<string, unknown>,
    };
  };
}
