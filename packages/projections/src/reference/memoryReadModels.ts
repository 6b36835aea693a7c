import { startPosition, type EventStore, type Position, type StoredEvent } from '@il/event-store';
import { delegatedQueries, viewQueries } from '../figures/viewQueries.js';
import type { ReadModels } from '../port/readModels.js';
import { CheckpointMovedError, startProjectorLoop } from '../projectorLoop.js';
import { createMemoryViews } from './memoryViewRows.js';

/**
 * The read models in this process's memory, fed by the same projector loop and the same pure steps as the database
 * engines, with a checkpoint that moves with each batch: the in-memory engine of the read-model contract, for fast
 * tests of the fold and the answer rules. Not for production data (see createMemoryViews).
 */
export function createMemoryReadModels(options: { store: EventStore }): ReadModels {
  let views = createMemoryViews();
  let position: Position = startPosition;
  let globalPosition = 0;
  let queries = viewQueries(views.figures);
  return {
    engine: 'memory',
    ...delegatedQueries(() => queries),
    checkpoint: async () => ({ position, globalPosition }),
    async startProjector(o = {}) {
      return startProjectorLoop(
        options.store,
        {
          checkpoint: async () => ({ position }),
          async applyBatch(events: StoredEvent[], next: Position, expected: Position) {
            if (position !== expected) throw new CheckpointMovedError(`checkpoint is at ${position}, not ${expected}`);
            views.apply(events);
            position = next;
            globalPosition = events.at(-1)!.globalPosition;
            o.onBatch?.(events.length);
          },
          reset: () => undefined,
        },
        { ...(o.batchSize ? { batchSize: o.batchSize } : {}) },
      );
    },
    async rebuild() {
      const started = Date.now();
      const fresh = createMemoryViews();
      let at: Position = startPosition;
      let last = 0;
      let events = 0;
      for (;;) {
        const page = await options.store.readAll({ after: at, limit: 1000 });
        if (page.events.length === 0) break;
        fresh.apply(page.events);
        events += page.events.length;
        last = page.events.at(-1)!.globalPosition;
        at = page.position;
      }
      // The switch: a live batch that started before it finds the checkpoint moved and starts again from here.
      views = fresh;
      queries = viewQueries(views.figures);
      position = at;
      globalPosition = last;
      return { events, ms: Date.now() - started };
    },
    close: async () => undefined,
  };
}
