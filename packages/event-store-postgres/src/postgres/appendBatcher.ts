import type pg from 'pg';
import { StoreUnavailableError } from '@il/event-store';
import type { AppendResult } from '@il/event-store';
import pLimit from 'p-limit';
import { appendMany, streamBusy, type AppendRequest } from './appendMany.js';
import { asStoreError } from './unavailable.js';

export interface AppendBatcherOptions {
  /**
   * Batches being written at once (default 1). More overlap one batch's commit with the next one's work, but make
   * the batches smaller: on the 2-core benchmark machine one batch at a time cost the least CPU per append
   * (2.1-2.2 ms for the whole HTTP write against 2.4 with two and 2.8 with four; bench/results/history.md).
   */
  maxInFlight?: number;
  /** Most appends in one batch. */
  maxAppends?: number;
  /** Most events in one batch (an append is never split; a bigger one goes alone). */
  maxEvents?: number;
  /** Most characters of event data and metadata in one batch, likewise. */
  maxChars?: number;
  /**
   * Appends of at least this many events (default 32) skip the queue and are written at once in a transaction of
   * their own: they already share their commit among many events, and writers of such appends (imports, the
   * benchmark's batched appends) should keep using the database's cores in parallel.
   */
  aloneFrom?: number;
  /**
   * Appends written alone because their stream was busy (locked by another transaction) that may wait for their
   * locks at once (default 4), one per stream: each holds a connection while it waits, and the batches need theirs.
   */
  maxWaiting?: number;
}

interface Waiting {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
  chars: number;
}

/**
 * Group commit for autocommit appends. An append is sent at once while fewer than `maxInFlight` batches are being
 * written; otherwise it waits for one of them to finish and goes with every append that arrived meanwhile, as one
 * transaction. So an idle store adds no delay, and a busy one pays one commit, one WAL flush and one round trip per
 * batch instead of per append. Each append still gets its own outcome.
 *
 * A batch waits for no stream's lock: an append whose stream another transaction holds (another process writing
 * it, a caller's open transaction) comes back busy and is written alone, waiting for that lock beside the batches,
 * one per stream and at most `maxWaiting` at once. One held stream used to stall the whole batch and every batch
 * queued behind it, so writes to unrelated projects took as long as the lock was held.
 *
 * If a batch fails as a whole for a reason other than the database being unreachable (say one append trips a
 * limit of the database), its appends are retried one by one so that only the culprit fails. That is safe even if
 * the batch did commit before its connection broke: a retried append carries the same event ids and comes back as
 * already stored.
 */
export function createAppendBatcher(pool: pg.Pool, options: AppendBatcherOptions = {}) {
  const maxInFlight = options.maxInFlight ?? 1;
  const maxAppends = options.maxAppends ?? 100;
  const maxEvents = options.maxEvents ?? 1000;
  const maxChars = options.maxChars ?? 16 * 1024 * 1024;
  const aloneFrom = options.aloneFrom ?? 32;
  const waitingForLocks = pLimit(options.maxWaiting ?? 4);
  /** The last alone write queued per busy stream: a stream's alone writes go one after the other, in arrival order. */
  const busyTails = new Map<string, Promise<void>>();
  const queue: Waiting[] = [];
  let inFlight = 0;

  function take(): Waiting[] {
    const group: Waiting[] = [];
    let events = 0;
    let chars = 0;
    while (queue.length > 0 && group.length < maxAppends) {
      const next = queue[0]!;
      if (group.length > 0 && (events + next.request.batch.length > maxEvents || chars + next.chars > maxChars)) break;
      events += next.request.batch.length;
      chars += next.chars;
      group.push(queue.shift()!);
    }
    return group;
  }

  function pump(): void {
    while (inFlight < maxInFlight && queue.length > 0) {
      const group = take();
      inFlight++;
      void write(group, true).finally(() => {
        inFlight--;
        pump();
      });
    }
  }

  /** Writes a group; `nowait` (the batches) hands appends of busy streams to writeWhenFree instead of waiting. */
  async function write(group: Waiting[], nowait: boolean): Promise<void> {
    try {
      const outcomes = await appendMany(
        pool,
        group.map((w) => w.request),
        { nowait },
      );
      group.forEach((w, i) => {
        const outcome = outcomes[i]!;
        if (outcome === streamBusy) writeWhenFree(w);
        else if (outcome instanceof Error) w.reject(outcome);
        else w.resolve(outcome);
      });
    } catch (e) {
      const error = asStoreError(e);
      if (group.length === 1 || error instanceof StoreUnavailableError) {
        for (const w of group) w.reject(error);
        return;
      }
      await Promise.all(group.map((w) => write([w], nowait)));
    }
  }

  function writeWhenFree(w: Waiting): void {
    const stream = w.request.streamId;
    const tail = (busyTails.get(stream) ?? Promise.resolve()).then(() => waitingForLocks(() => write([w], false)));
    busyTails.set(stream, tail);
    void tail.finally(() => {
      if (busyTails.get(stream) === tail) busyTails.delete(stream);
    });
  }

  return {
    append(request: AppendRequest): Promise<AppendResult> {
      return new Promise<AppendResult>((resolve, reject) => {
        const chars = request.batch.reduce((n, b) => n + b.data.length + b.metadata.length, 0);
        const waiting = { request, resolve, reject, chars };
        if (request.batch.length >= aloneFrom) {
          void write([waiting], false);
          return;
        }
        queue.push(waiting);
        pump();
      });
    },
  };
}
