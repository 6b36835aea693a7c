import { Counter } from 'prom-client';
import { registerLagMetrics } from '@il/http-kit';
import {
  createFilePublisher,
  createKafkaPublisher,
  createPostgresRelayCheckpoints,
  kafkaClientConfig,
  startRelay,
  type Publisher,
  type RelayConfig,
} from '@il/relay';
import type { ServiceContext, ServiceParts } from '@il/runtime';

/** The publisher the relay configuration selects. */
export async function openPublisher(config: RelayConfig): Promise<Publisher> {
  if (config.RELAY_SINK === 'file') return createFilePublisher(config.RELAY_FILE_DIR);
  return createKafkaPublisher({
    client: kafkaClientConfig(config),
    createTopics: config.KAFKA_CREATE_TOPICS
      ? { partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR }
      : undefined,
  });
}

/**
 * The relay as service parts: no API routes, the relay running in the background from its checkpoint (kept in the
 * PostgreSQL database), metrics for what it published and how far behind the log it is.
 */
export async function relayParts(
  ctx: ServiceContext,
  config: RelayConfig,
  log: (entry: Record<string, unknown>) => void = ctx.log,
): Promise<ServiceParts> {
  const checkpoints = await createPostgresRelayCheckpoints(ctx.pool);
  const publisher = await openPublisher(config);
  const published = new Counter({
    name: 'il_relay_published_total',
    help: 'Events published to the integration stream (at least once)',
    labelNames: ['service'],
    registers: [ctx.metrics.registry],
  });
  const failures = new Counter({
    name: 'il_relay_failures_total',
    help: 'Relay attempts that failed and were retried',
    labelNames: ['service'],
    registers: [ctx.metrics.registry],
  });
  // At 0 from the start: the first failure of a healthy relay is an increase a rate() or an alert can see.
  published.inc({ service: 'relay' }, 0);
  failures.inc({ service: 'relay' }, 0);
  const lag = registerLagMetrics(ctx.metrics.registry, ctx.store, 'relay', () => checkpoints.status(config.RELAY_NAME));
  const relay = startRelay({
    store: ctx.store,
    publisher,
    checkpoints,
    name: config.RELAY_NAME,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    batchSize: config.RELAY_BATCH_SIZE,
    onPublished: (m) => published.inc({ service: 'relay' }, m.length),
    onError: (e, retryInMs) => {
      failures.inc({ service: 'relay' });
      log({
        level: 'warn',
        msg: 'relay failed; retrying',
        error: e instanceof Error ? e.message : String(e),
        retryInMs,
      });
    },
  });
  return {
    routers: [],
    routeDocs: [],
    background: [relay, { stop: () => publisher.close() }],
    readiness: async () => {
      const l = await lag();
      return {
        ok: true,
        details: {
          relay: { sink: config.RELAY_SINK, checkpoint: l.checkpoint, lagEvents: l.events, lagSeconds: l.seconds },
        },
      };
    },
  };
}
