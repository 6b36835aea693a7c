import { Gauge, type Registry } from 'prom-client';
import type { EventStore } from '@il/event-store';
import { comparePositions } from '@il/event-store';

type Lag = () => Promise<{ seconds: number; events: number }>;
const sources = new WeakMap<Registry, Map<string, Lag>>();

/**
 * The lag sources of one registry, with the two gauges that read them all at scrape time: a process that runs both
 * the projector and the relay (the standalone with RELAY_SINK) registers two sources under one metric name.
 */
function sourcesOf(registry: Registry): Map<string, Lag> {
  const known = sources.get(registry);
  if (known) return known;
  const lags = new Map<string, Lag>();
  sources.set(registry, lags);
  const gauge = (name: string, help: string, pick: (l: { seconds: number; events: number }) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['projector'],
      registers: [registry],
      async collect() {
        for (const [projector, lag] of lags) this.set({ projector }, pick(await lag()));
      },
    });
  gauge('il_projection_lag_seconds', 'Seconds the projector is behind the newest recorded event', (l) => l.seconds);
  gauge('il_projection_lag_events', 'Events the projector has not applied yet', (l) => l.events);
  return lags;
}

/**
 * Projection lag, computed when Prometheus scrapes: seconds since the oldest event the projector has not applied was
 * recorded (approximated by the head's recorded time when behind), and events behind the head.
 */
export function registerLagMetrics(
  registry: Registry,
  store: EventStore,
  projector: string,
  checkpoint: () => Promise<{ position: string; globalPosition: number }>,
) {
  const lag = async () => {
    const [head, at] = await Promise.all([store.headPosition(), checkpoint()]);
    const behind = comparePositions(at.position, head.position) < 0;
    return {
      seconds: behind && head.recordedAt ? Math.max(0, (Date.now() - head.recordedAt.getTime()) / 1000) : 0,
      events: behind ? Math.max(1, head.globalPosition - at.globalPosition) : 0,
      head: head.position,
      checkpoint: at.position,
    };
  };
  sourcesOf(registry).set(projector, lag);
  return lag;
}
