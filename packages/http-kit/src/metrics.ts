import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** One registry per process; labels stay low-cardinality (service, route template, method, status). */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'il_http_request_duration_seconds',
    help: 'HTTP request duration by route template and status',
    labelNames: ['route', 'method', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const appendedEvents = new Counter({
    name: 'il_events_appended_total',
    help: 'Events appended to the event store, by event type',
    labelNames: ['type'],
    registers: [registry],
  });
  return { registry, httpDuration, appendedEvents };
}

export type Metrics = ReturnType<typeof createMetrics>;
