import { pause, stopOnAbort, type EventStore, type StoredEvent, type Subscription } from '@il/event-store';
import { backoffDelay } from './backoff.js';
import type { RelayCheckpoints } from './checkpoints.js';
import { structuredContentType, toEnvelope } from './envelope.js';
import { createProgrammeResolver } from './programmes.js';
import type { Publisher, RelayMessage } from './publisher.js';
import { topicFor } from './topics.js';

export interface RelayOptions {
  store: EventStore;
  publisher: Publisher;
  checkpoints: RelayCheckpoints;
  /** Checkpoint key (default `kafka`); two relays with different names publish independently. */
  name?: string;
  topicPrefix?: string;
  batchSize?: number;
  onPublished?: (messages: RelayMessage[]) => void;
  onError?: (error: unknown, retryInMs: number) => void;
  /** Back-off policy after failures (tests shorten it). */
  backoff?: { initialMs?: number; maxMs?: number };
}

/** The Kafka message of one committed event. */
export async function toMessage(
  e: StoredEvent,
  topicPrefix: string,
  programmeOf: (streamId: string) => Promise<string | undefined>,
): Promise<RelayMessage> {
  const programmeId = await programmeOf(e.streamId);
  return {
    topic: topicFor(topicPrefix, programmeId),
    key: e.streamId,
    value: JSON.stringify(toEnvelope(e, programmeId)),
    headers: { 'content-type': structuredContentType },
  };
}

/**
 * Relays every committed event, in the store's global order, to the publisher. At-least-once: the checkpoint moves
 * only after the publisher acknowledged the whole batch, so a crash or broker outage between the two publishes
 * that batch again after restart — consumers deduplicate on the envelope `id`. Failures are retried from the
 * stored checkpoint with jittered exponential back-off, forever, until stopped.
 */
export function startRelay(options: RelayOptions): Subscription {
  const name = options.name ?? 'kafka';
  const prefix = options.topicPrefix ?? 'indicator-ledger';
  const programmes = createProgrammeResolver(options.store);
  const controller = new AbortController();

  async function runOnce(): Promise<void> {
    const sub = options.store.subscribe({
      after: await options.checkpoints.load(name),
      batchSize: options.batchSize ?? 500,
      handler: async (events, position) => {
        for (const e of events) programmes.learn(e);
        const messages = [];
        for (const e of events) messages.push(await toMessage(e, prefix, (id) => programmes.programmeOf(id)));
        await options.publisher.publish(messages);
        await options.checkpoints.save(name, position, events.at(-1)!.globalPosition);
        options.onPublished?.(messages);
      },
    });
    await stopOnAbort(sub, controller.signal);
  }

  const done = (async () => {
    let attempt = 0;
    while (!controller.signal.aborted) {
      try {
        await runOnce();
        attempt = 0;
      } catch (e) {
        if (controller.signal.aborted) break;
        const wait = backoffDelay(attempt++, options.backoff);
        options.onError?.(e, wait);
        await pause(wait, controller.signal);
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
