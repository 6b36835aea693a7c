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
  /** Every event id in the stream, for idempotent replays. */
  refs: ReadonlyMap<string, StoredRef>;
}

/**
 * Stream states kept in memory and caught up from the version they were at: events are immutable, so a cached
 * state is always a correct prefix. Bounded: the least recently used streams are dropped first.
 */
export function createStreamStates<S>(store: EventStore, initial: S, evolve: (state: S, event: DomainEvent, eventId: string) => S, capacity = 2000) {
  const cache = new Map<string, Loaded<S>>();

  function refOf(e: StoredEvent): StoredRef {
    const hash = (e.metadata as unknown as Record<string, unknown>)['requestHash'];
    return { eventId: e.eventId, type: e.type, streamVersion: e.streamVersion, position: e.position, globalPosition: e.globalPosition, requestHash: typeof hash === 'string' ? hash : undefined };
  }

  // Catching up mutates the cached maps, so two catch-ups of one stream must not interleave.
  const loading = createKeyedLock();

  return {
    /** Serialises commands per stream within this process. */
    withLock: createKeyedLock(),
    load: (streamId: string): Promise<Loaded<S>> => loading(streamId, () => catchUp(streamId)),
  };

  async function catchUp(streamId: string): Promise<Loaded<S>> {
    const cached = cache.get(streamId) ?? { state: initial, version: 0, refs: new Map<string, StoredRef>() };
    const news = await store.readStream(streamId, { from: cached.version + 1 });
    let { state } = cached;
    // State maps and refs grow in place (see evolveProject's ownership rule): the cache owns them and only folds
    // forward. If an event cannot be read, the entry is dropped so no half-folded state is reused.
    const refs = cached.refs as Map<string, StoredRef>;
    try {
      for (const e of news) {
        state = evolve(state, readStoredEvent(e.type, e.schemaVersion, e.data), e.eventId);
        refs.set(e.eventId, refOf(e));
      }
    } catch (error) {
      cache.delete(streamId);
      throw error;
    }
    const loaded = { state, version: news.at(-1)?.streamVersion ?? cached.version, refs };
    cache.delete(streamId);
    cache.set(streamId, loaded);
    if (cache.size > capacity) cache.delete(cache.keys().next().value as string);
    return loaded;
  }
}

export type StreamStates<S> = ReturnType<typeof createStreamStates<S>>;
