import {
  BACKWARDS,
  END,
  FORWARDS,
  KurrentDBClient,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamSubscription,
  type Filter,
} from '@kurrent/kurrentdb-client';
import {
  ConcurrencyError,
  IdempotencyConflictError,
  catchUpSubscription,
  pause,
  startPosition,
  validateAppend,
  validateStreamId,
  type EventStore,
  type Position,
  type ReadAllResult,
  type StoredEvent,
} from '@il/event-store';
import { asKurrentStoreError } from './kurrentErrors.js';
import {
  normaliseConnectionString,
  sameEvent,
  toEventData,
  toLogPosition,
  toStoredEvent,
  toStreamState,
  versionOfState,
} from './kurrentMapping.js';

export interface KurrentEventStoreOptions {
  /** `kurrentdb://host:2113?tls=false` (or `esdb://…`). */
  connectionString: string;
  /**
   * Prefix added to every stream name, and the only streams `$all` reads return: lets several systems (or test
   * runs) share one server. Empty by default: the store owns the database, minus system events.
   */
  namespace?: string;
}

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw asKurrentStoreError(e);
  }
}

/**
 * The event-store port on KurrentDB/EventStoreDB. Expected versions map to `streamState`, the global order to the
 * `$all` log position, live delivery to `subscribeToAll` with a server-side filter. KurrentDB only recognises a
 * retried append by its event ids, so this adapter reads the stream's events after the expected version first and
 * compares content, giving the same idempotency answers as PostgreSQL (retry: success; same id, other content: 409).
 */
export function createKurrentEventStore(options: KurrentEventStoreOptions): EventStore {
  const client = KurrentDBClient.connectionString(normaliseConnectionString(options.connectionString));
  const ns = options.namespace ?? '';
  const filter: Filter = ns ? streamNameFilter({ prefixes: [ns] }) : excludeSystemEvents();
  const news = createNews(client, filter);

  async function readRaw(streamId: string, fromVersion: number, maxCount?: number): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of client.readStream(ns + streamId, {
        fromRevision: BigInt(fromVersion - 1),
        direction: FORWARDS,
        ...(maxCount ? { maxCount } : {}),
      })) {
        if (resolved.event) out.push(toStoredEvent(resolved.event, ns));
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  }

  async function readAll({
    after = startPosition,
    limit,
  }: {
    after?: Position;
    limit: number;
  }): Promise<ReadAllResult> {
    const max = Math.max(1, Math.min(limit, 10_000));
    const from = after === startPosition ? START : toLogPosition(after);
    const events: StoredEvent[] = [];
    return guard(async () => {
      // Reading from a position includes the event at it: ask for one more and drop what is not after `after`.
      for await (const resolved of client.readAll({
        fromPosition: from,
        direction: FORWARDS,
        maxCount: max + 1,
        filter,
      })) {
        const e = resolved.event;
        if (!e || !e.isJson) continue;
        const stored = toStoredEvent(e, ns);
        if (after !== startPosition && stored.position === after) continue;
        events.push(stored);
        if (events.length === max) break;
      }
      return { events, position: events.at(-1)?.position ?? after };
    });
  }

  return {
    async appendToStream(streamId, events, { expectedVersion }) {
      const batch = validateAppend(streamId, events, expectedVersion);
      return guard(async () => {
        const earlier = await readRaw(streamId, typeof expectedVersion === 'number' ? expectedVersion + 1 : 1);
        const byId = new Map(earlier.map((e) => [e.eventId.toLowerCase(), e]));
        const found = batch.map((b) => byId.get(b.event.eventId.toLowerCase()));
        if (found.some((f) => f)) {
          if (!found.every((f, i) => f && sameEvent(f, batch[i]!))) {
            const i = found.findIndex((f, j) => !f || !sameEvent(f, batch[j]!));
            throw new IdempotencyConflictError(streamId, batch[Math.max(0, i)]!.event.eventId);
          }
          const stored = found as StoredEvent[];
          const last = stored.at(-1)!;
          return {
            nextExpectedVersion: last.streamVersion,
            position: last.position,
            globalPosition: last.globalPosition,
            events: stored,
            alreadyStored: true,
          };
        }
        let result;
        try {
          result = await client.appendToStream(ns + streamId, batch.map(toEventData), {
            streamState: toStreamState(expectedVersion),
          });
        } catch (e) {
          if (e instanceof WrongExpectedVersionError)
            throw new ConcurrencyError(streamId, expectedVersion, versionOfState(e.actualState));
          throw e;
        }
        const nextExpectedVersion = versionOfState(result.nextExpectedRevision);
        // Read the batch back: positions and recorded times are the server's, exactly as readers will see them.
        const stored = await readRaw(streamId, nextExpectedVersion - batch.length + 1, batch.length);
        const last = stored.at(-1)!;
        return {
          nextExpectedVersion,
          position: last.position,
          globalPosition: last.globalPosition,
          events: stored,
          alreadyStored: false,
        };
      });
    },

    async readStream(streamId, { from = 1, to } = {}) {
      validateStreamId(streamId);
      if (to !== undefined && to < from) return [];
      return guard(() =>
        readRaw(streamId, Math.max(1, from), to === undefined ? undefined : to - Math.max(1, from) + 1),
      );
    },

    async streamVersion(streamId) {
      validateStreamId(streamId);
      return guard(async () => {
        try {
          for await (const resolved of client.readStream(ns + streamId, {
            fromRevision: END,
            direction: BACKWARDS,
            maxCount: 1,
          })) {
            if (resolved.event) return Number(resolved.event.revision) + 1;
          }
        } catch (e) {
          if (e instanceof StreamNotFoundError) return 0;
          throw e;
        }
        return 0;
      });
    },

    readAll,

    subscribe(subscribeOptions) {
      return catchUpSubscription({ readAll, waitForNews: (ms, signal) => news.wait(ms, signal) }, subscribeOptions);
    },

    async headPosition() {
      return guard(async () => {
        for await (const resolved of client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 1, filter })) {
          if (resolved.event?.isJson) {
            const e = toStoredEvent(resolved.event, ns);
            return { position: e.position, globalPosition: e.globalPosition, recordedAt: e.recordedAt };
          }
        }
        return { position: startPosition, globalPosition: 0, recordedAt: null };
      });
    },

    async close() {
      news.close();
      await client.dispose();
    },
  };
}

/**
 * Wakes catch-up readers when something is appended: one live `subscribeToAll` from the end of the log with the
 * store's filter. Paging through `$all` stays the way events are read (batches, checkpoints); if the live
 * subscription drops, readers fall back to polling once a second and it is opened again on the next wait.
 */
function createNews(client: KurrentDBClient, filter: Filter) {
  let subscription: AllStreamSubscription | undefined;
  const waiters = new Set<() => void>();
  let closed = false;
  const wake = () => {
    for (const f of [...waiters]) f();
  };
  function ensure(): void {
    if (subscription || closed) return;
    const s = client.subscribeToAll({ fromPosition: END, filter });
    subscription = s;
    s.on('data', wake);
    s.on('error', () => {
      if (subscription === s) subscription = undefined;
      void s.unsubscribe().catch(() => undefined);
    });
  }
  return {
    wait(ms: number, signal: AbortSignal): Promise<void> {
      ensure();
      return pause(ms, signal, waiters);
    },
    close(): void {
      closed = true;
      wake();
      void subscription?.unsubscribe().catch(() => undefined);
      subscription = undefined;
    },
  };
}
