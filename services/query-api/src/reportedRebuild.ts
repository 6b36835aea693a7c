import { Counter } from 'prom-client';
import { StoreUnavailableError } from '@il/event-store';
import { asStoreError } from '@il/event-store-postgres';
import { HttpError, type Log, type Metrics } from '@il/http-kit';

type Rebuild = () => Promise<{ events: number; ms: number }>;

/**
 * A rebuild that says how it ended: a log line and `il_rebuilds_total{outcome}` either way, and a failure as a
 * problem the admin can act on (503 `store-unavailable` when the database went away, else 500 `rebuild-failed`).
 * The rebuild itself has already dropped its half-built schema; the live views were never touched.
 */
export function reportedRebuild(rebuild: Rebuild, metrics: Metrics, log: Log): Rebuild {
  const rebuilds = new Counter({
    name: 'il_rebuilds_total',
    help: 'View rebuilds by outcome',
    labelNames: ['outcome'],
    registers: [metrics.registry],
  });
  // Known label sets start at 0, so the first failure is an increase a rate() can see.
  for (const outcome of ['succeeded', 'failed']) rebuilds.inc({ outcome }, 0);
  return async () => {
    log({ msg: 'rebuild started' });
    try {
      const result = await rebuild();
      rebuilds.inc({ outcome: 'succeeded' });
      // The log line keeps whatever the engine tells (PostgreSQL: how many events its bulk load folded); the
      // response is the documented { events, ms }.
      log({ msg: 'rebuild switched the views', ...result });
      return { events: result.events, ms: result.ms };
    } catch (e) {
      rebuilds.inc({ outcome: 'failed' });
      const cause = asStoreError(e);
      const message = e instanceof Error ? e.message : String(e);
      log({ level: 'error', msg: 'rebuild failed; the live views are unchanged', error: message });
      if (cause instanceof StoreUnavailableError) throw cause;
      throw new HttpError(500, 'rebuild-failed', `The rebuild failed (${message}); the live views are unchanged.`);
    }
  };
}
