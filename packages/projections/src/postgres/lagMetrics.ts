import { Gauge, type Registry } from 'prom-client';
import type { EventStore } from '@il/event-store';
import { comparePositions } from '@il/event-store';

/**
 * Projection lag, computed when Prometheus scrapes: seconds since the oldest event the projector has not applied was
 * recorded (approximated by the head's recorded time when behind), and events behind the head.
 */
export function registerLagMetrics(registry: Registry, store: EventStore, projector: string, checkpoint: () => Promise<{ position: string; globalPosition: number }>) {
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
  new Gauge({
    name: 'il_projection_lag_seconds', help: 'Seconds the projector is behind the newest recorded event', labelNames: ['projector'], registers: [registry],
    async collect() {
      this.set({ projector }, (await lag()).seconds);
    },
  });
  new Gauge({
    name: 'il_projection_lag_events', help: 'Events the projector has not applied yet', labelNames: ['projector'], registers: [registry],
    async collect() {
      this.set({ projector }, (await lag()).events);
    },
  });
  return lag;
}
