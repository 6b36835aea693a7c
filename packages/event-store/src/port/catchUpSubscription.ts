import type { ReadAllResult, SubscribeOptions, Subscription } from './eventStore.js';
import { pause } from './pause.js';
import { startPosition, type Position } from './position.js';

export interface CatchUpSource {
  readAll(options: { after: Position; limit: number }): Promise<ReadAllResult>;
  /** Resolves when new events may be there, or after `ms` at the latest. */
  waitForNews(ms: number, signal: AbortSignal): Promise<void>;
  onReadError?: (error: unknown) => void;
}

const idleWaitMs = 1000;
const maxBackoffMs = 5000;

/**
 * Catch-up then live, on any store that can read its global order: reads batches after the checkpoint, hands each
 * to the handler, and waits for news when caught up. Read failures (database restarting) are retried with back-off;
 * a handler failure ends the subscription, because skipping a batch would lose data.
 */
export function catchUpSubscription(source: CatchUpSource, options: SubscribeOptions): Subscription {
  const controller = new AbortController();
  const limit = options.batchSize ?? 500;
  let position: Position = options.after ?? startPosition;

  async function run(): Promise<void> {
    let backoff = 100;
    // The next page is read while the handler works on this one: positions are fixed once read, so the read
    // after `batch.position` can start before the handler finishes (it is dropped if the handler fails).
    let ahead: Promise<ReadAllResult> | undefined;
    while (!controller.signal.aborted) {
      let batch: ReadAllResult;
      try {
        batch = await (ahead ?? source.readAll({ after: position, limit }));
        backoff = 100;
      } catch (e) {
        ahead = undefined;
        source.onReadError?.(e);
        await source.waitForNews(backoff, controller.signal);
        backoff = Math.min(maxBackoffMs, backoff * 2);
        continue;
      }
      ahead = undefined;
      if (batch.events.length === 0) {
        await source.waitForNews(idleWaitMs, controller.signal);
        continue;
      }
      // Only a full page suggests more is waiting; after a short one, the next read waits for news instead.
      if (batch.events.length >= limit) {
        ahead = source.readAll({ after: batch.position, limit });
        ahead.catch(() => undefined);
      }
      const handedOver = Date.now();
      await options.handler(batch.events, batch.position);
      position = batch.position;
      if (!ahead && options.gather && batch.events.length >= options.gather.minEvents) {
        await pause(options.gather.ms - (Date.now() - handedOver), controller.signal);
      }
    }
  }

  const done = run();
  done.catch(() => undefined);
  return {
    done,
    async stop() {
      controller.abort();
      await done.catch(() => undefined);
    },
  };
}
