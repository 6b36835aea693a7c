import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { eventSchemas } from '@il/domain';

/**
 * prom-client's default gauges whose names end in _total, which Prometheus reserves for counters (promtool check
 * metrics fails on them). The same counts are in nodejs_active_handles / _requests / _resources without the suffix.
 */
const misnamedDefaults = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/** One registry per process; labels stay low-cardinality (service, route template, method, status). */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  for (const name of misnamedDefaults) registry.removeSingleMetric(name);
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
  // Every known label set starts at 0: a series that first appears at 1 hides that first increment from rate().
  for (const type of Object.keys(eventSchemas)) appendedEvents.inc({ type }, 0);
  return { registry, httpDuration, appendedEvents };
}

export type Metrics = ReturnType<typeof createMetrics>;
