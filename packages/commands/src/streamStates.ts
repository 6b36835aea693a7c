import { readStoredEvent, type DomainEvent } from '@il/domain';
import type { EventStore, Position, StoredEvent } from '@il/event-store';
import { createKeyedLock } from './keyedLock.js';

export interface StoredRef {
  eventId: string;
  type: string;
  streamVersion: number;
  position: Position;
  globalPosition: number;
  requestHash: string | undefined;
}

export interface Loaded<S> {
  state: S;
  version: number;
  /** The events written with an Idempotency-Key, by id, for idempotent replays. */
  refs: ReadonlyMap<string, StoredRef>;
}

export interface LoadOptions {
  /**
   * Answer from the cache without asking the store when the stream was caught up at most this long ago. Only for
   * callers that cope with a state another process has moved on from: an append with its version is refused, and
   * a rejection decided on it must be decided again on a fresh one (`fresh` says which it was).
   */
  maxAgeMs?: number;
}

/**
 * Stream states kept in memory and caught up from the version they were at: events are immutable, so a cached
 * state is always a correct prefix. Bounded: the least recently used streams are dropped first.
 */
export function createStreamStates<S>(
  store: EventStore,
  initial: S,
  evolve: (state: S, event: DomainEvent, eventId: string) => S,
  capacity = 2000,
) {
  const cache = new Map<string, Loaded<S> & { checkedAt: number }>();

  function refOf(e: StoredEvent): StoredRef {
    const hash = (e.metadata as unknown as Record<string, unknown>)['requestHash'];
    return {
      eventId: e.eventId,
      type: e.type,
      streamVersion: e.streamVersion,
      position: e.position,
      globalPosition: e.globalPosition,
      requestHash: typeof hash === 'string' ? hash : undefined,
    };
  }

  // Catching up mutates the cached maps, so two catch-ups of one stream must not interleave.
  const loading = createKeyedLock();

  return {
    /** Serialises commands per stream within this process. */
    withLock: createKeyedLock(),
    load(streamId: string, options: LoadOptions = {}): Promise<Loaded<S> & { fresh: boolean }> {
      const cached = cache.get(streamId);
      if (cached && options.maxAgeMs !== undefined && Date.now() - cached.checkedAt <= options.maxAgeMs) {
        return Promise.resolve({ state: cached.state, version: cached.version, refs: cached.refs, fresh: false });
      }
      return loading(streamId, () => catchUp(streamId));
    },
    /**
     * Takes events this process has just appended into the cached state, when they follow the version it is at,
     * so the next command on the stream need not read them back. Otherwise the entry is left for a catch-up.
     */
    appended(streamId: string, events: readonly StoredEvent[]): Promise<void> {
      return loading(streamId, async () => {
        const cached = cache.get(streamId);
        if (!cached || events.length === 0) return;
        if (!events.every((e, i) => e.streamVersion === cached.version + 1 + i)) return;
        foldInto(streamId, cached, events, cached.checkedAt);
      });
    },
  };

  async function catchUp(streamId: string): Promise<Loaded<S> & { fresh: boolean }> {
    const cached = cache.get(streamId) ?? {
      state: initial,
      version: 0,
      refs: new Map<string, StoredRef>(),
      checkedAt: 0,
    };
    const checkedAt = Date.now();
    const news = await store.readStream(streamId, { from: cached.version + 1 });
    const loaded = foldInto(streamId, cached, news, checkedAt);
    return { state: loaded.state, version: loaded.version, refs: loaded.refs, fresh: true };
  }

  /** Folds events that directly follow the cached version into the cached entry and makes it the latest used. */
  function foldInto(
    streamId: string,
    cached: Loaded<S> & { checkedAt: number },
    news: readonly StoredEvent[],
    checkedAt: number,
  ) {
    let { state } = cached;
    // State maps and refs grow in place (see evolveProject's ownership rule): the cache owns them and only folds
    // forward. If an event cannot be read, the entry is dropped so no half-folded state is reused.
    const refs = cached.refs as Map<string, StoredRef>;
    try {
      for (const e of news) {
        state = evolve(state, readStoredEvent(e.type, e.schemaVersion, e.data), e.eventId);
        // Only events written with an Idempotency-Key can be asked for again (their ids are derived from the key):
        // the others are not kept, which was a few hundred bytes per event of every cached project.
        const ref = refOf(e);
        if (ref.requestHash !== undefined) refs.set(e.eventId, ref);
      }
    } catch (error) {
      cache.delete(streamId);
      throw error;
    }
    const loaded = { state, version: news.at(-1)?.streamVersion ?? cached.version, refs, checkedAt };
    cache.delete(streamId);
    cache.set(streamId, loaded);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return loaded;
  }
}

export type StreamStates<S> = ReturnType<typeof createStreamStates<S>>;
