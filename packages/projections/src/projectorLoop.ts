import {
  pause,
  stopOnAbort,
  type EventStore,
  type Position,
  type StoredEvent,
  type Subscription,
} from '@il/event-store';

/** The stored checkpoint is not where this subscription left it: a rebuild switched the views, or a second projector ran. */
export class CheckpointMovedError extends Error {}

/**
 * What a read-model adapter gives the projector loop: where its checkpoint is, and how to apply one batch together
 * with moving the checkpoint from `expected` to `position` — atomically, failing with CheckpointMovedError when
 * the stored checkpoint is no longer `expected`.
 */
export interface ProjectorTarget {
  checkpoint(): Promise<{ position: Position }>;
  applyBatch(events: StoredEvent[], position: Position, expected: Position): Promise<void>;
  /** Called after any failure: in-memory caches may hold what a rolled-back batch registered. */
  reset(): void;
}

/**
 * Runs a projection until stopped: subscribes from the stored checkpoint, applies batches, and after any failure
 * (store or database down, checkpoint moved by a rebuild) starts again from the stored checkpoint with back-off.
 */
export function startProjectorLoop(
  store: EventStore,
  target: ProjectorTarget,
  options: {
    batchSize?: number;
    gather?: { ms: number; minEvents: number } | null;
    onError?: (error: unknown) => void;
  } = {},
): Subscription {
  const controller = new AbortController();

  async function runOnce(signal: AbortSignal): Promise<void> {
    let expected = (await target.checkpoint()).position;
    const sub = store.subscribe({
      after: expected,
      batchSize: options.batchSize ?? 500,
      // Under a steady stream of writes, each batch costs a transaction, a checkpoint and the cells' reads
      // whatever its size: gathering 100 ms of a busy store's events cut the CPU of an HTTP write by ~12% in the
      // ingest benchmark (bench/results/history.md). One write at a time (pages under 20 events) is not delayed.
      gather: options.gather === undefined ? { ms: 100, minEvents: 20 } : options.gather,
      handler: async (events, position) => {
        await target.applyBatch(events, position, expected);
        expected = position;
      },
    });
    await stopOnAbort(sub, signal);
  }

  const done = (async () => {
    let backoff = 50;
    while (!controller.signal.aborted) {
      try {
        await runOnce(controller.signal);
      } catch (e) {
        target.reset();
        if (controller.signal.aborted) break;
        options.onError?.(e);
        const moved = e instanceof CheckpointMovedError;
        await pause(moved ? 0 : backoff, controller.signal);
        backoff = moved ? 50 : Math.min(5000, backoff * 2);
      }
    }
  })();
  return {
    done,
    async stop() {
      controller.abort();
      await done;
    },
  };
}
