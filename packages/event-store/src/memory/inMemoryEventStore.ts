import { catchUpSubscription } from '../port/catchUpSubscription.js';
import { ConcurrencyError, IdempotencyConflictError } from '../port/errors.js';
import type { AppendResult, EventStore, ExpectedVersion, NewEvent, StoredEvent } from '../port/eventStore.js';
import { comparePositions, formatPosition, startPosition } from '../port/position.js';
import { validateAppend } from '../port/validateAppend.js';

/** JSON with object keys sorted: how PostgreSQL's jsonb compares data, so a retry is recognised the same way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

function expectedMatches(expected: ExpectedVersion, current: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return current === 0;
  if (expected === 'exists') return current > 0;
  return expected === current;
}

/**
 * The event-store port in memory: the same validation, versions, idempotency and global order as the PostgreSQL
 * adapter (it passes the same contract suite), for unit tests of commands, the projection fold and the HTTP routes
 * that need no database. Not for production: nothing survives the process.
 */
export function createInMemoryEventStore(options: { now?: () => Date } = {}): EventStore {
  const now = options.now ?? (() => new Date());
  const all: StoredEvent[] = [];
  const streams = new Map<string, StoredEvent[]>();
  const byId = new Map<string, StoredEvent>();
  const waiters = new Set<() => void>();
  let closed = false;

  // Each stored event is its own copy, and so is each returned one: a caller mutating what it got changes nothing.
  const copy = (e: StoredEvent): StoredEvent => ({
    ...e,
    data: structuredClone(e.data),
    metadata: structuredClone(e.metadata),
    occurredAt: new Date(e.occurredAt),
    recordedAt: new Date(e.recordedAt),
  });

  function retryOf(streamId: string, events: NewEvent[]): StoredEvent[] | undefined {
    const existing = events.map((e) => byId.get(e.eventId.toLowerCase()));
    if (existing.every((e) => e === undefined)) return undefined;
    const same = existing.every(
      (stored, i) =>
        stored !== undefined &&
        stored.streamId === streamId &&
        stored.type === events[i]!.type &&
        stored.schemaVersion === events[i]!.schemaVersion &&
        canonical(stored.data) === canonical(events[i]!.data),
    );
    if (!same)
      throw new IdempotencyConflictError(streamId, events.find((e) => byId.has(e.eventId.toLowerCase()))!.eventId);
    return existing as StoredEvent[];
  }

  const store: EventStore = {
    async appendToStream(streamId, events, { expectedVersion }): Promise<AppendResult> {
      const serialised = validateAppend(streamId, events, expectedVersion);
      const stream = streams.get(streamId) ?? [];
      const earlier = retryOf(streamId, events);
      if (earlier) {
        const last = earlier.reduce((a, e) => (e.streamVersion > a.streamVersion ? e : a));
        return {
          nextExpectedVersion: stream.length,
          position: last.position,
          globalPosition: last.globalPosition,
          events: earlier.map(copy),
          alreadyStored: true,
        };
      }
      if (!expectedMatches(expectedVersion, stream.length)) {
        throw new ConcurrencyError(streamId, expectedVersion, stream.length);
      }
      const recordedAt = now();
      const stored = serialised.map(({ event, data, metadata }, i): StoredEvent => {
        const globalPosition = all.length + i + 1;
        return {
          // Lower case, as PostgreSQL's uuid type gives it back.
          eventId: event.eventId.toLowerCase(),
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: JSON.parse(data) as Record<string, unknown>,
          metadata: JSON.parse(metadata) as StoredEvent['metadata'],
          occurredAt: new Date(event.occurredAt),
          streamId,
          streamVersion: stream.length + i + 1,
          globalPosition,
          position: formatPosition(globalPosition, 0),
          recordedAt,
        };
      });
      for (const e of stored) {
        all.push(e);
        stream.push(e);
        byId.set(e.eventId, e);
      }
      streams.set(streamId, stream);
      for (const wake of [...waiters]) wake();
      const last = stored.at(-1)!;
      return {
        nextExpectedVersion: stream.length,
        position: last.position,
        globalPosition: last.globalPosition,
        events: stored.map(copy),
        alreadyStored: false,
      };
    },

    async readStream(streamId, { from = 1, to } = {}) {
      return (streams.get(streamId) ?? [])
        .filter((e) => e.streamVersion >= from && (to === undefined || e.streamVersion <= to))
        .map(copy);
    },

    async streamVersion(streamId) {
      return streams.get(streamId)?.length ?? 0;
    },

    async readAll({ after = startPosition, limit }) {
      // `all` is in position order: find the first event after `after` by bisection, not by a scan per page.
      let lo = 0;
      for (let hi = all.length; lo < hi;) {
        const mid = (lo + hi) >>> 1;
        if (comparePositions(all[mid]!.position, after) > 0) hi = mid;
        else lo = mid + 1;
      }
      const events = all.slice(lo, lo + limit);
      return { events: events.map(copy), position: events.at(-1)?.position ?? after };
    },

    async readByStream({ upTo, after, limit }) {
      const events: StoredEvent[] = [];
      const ids = [...streams.keys()].sort();
      let next: { streamId: string; streamVersion: number } | null = null;
      for (const id of ids) {
        if (after && id < after.streamId) continue;
        for (const e of streams.get(id)!) {
          if (after && id === after.streamId && e.streamVersion <= after.streamVersion) continue;
          if (comparePositions(e.position, upTo) > 0) continue;
          if (events.length === limit) return { events: events.map(copy), next };
          events.push(e);
          next = { streamId: id, streamVersion: e.streamVersion };
        }
      }
      return { events: events.map(copy), next: null };
    },

    subscribe(options) {
      return catchUpSubscription(
        {
          readAll: (o) => store.readAll(o),
          waitForNews: (ms, signal) =>
            new Promise<void>((resolve) => {
              const done = () => {
                clearTimeout(timer);
                waiters.delete(done);
                signal.removeEventListener('abort', done);
                resolve();
              };
              const timer = setTimeout(done, ms);
              waiters.add(done);
              signal.addEventListener('abort', done);
              if (closed) done();
            }),
        },
        options,
      );
    },

    async headPosition() {
      const last = all.at(-1);
      return last
        ? { position: last.position, globalPosition: last.globalPosition, recordedAt: new Date(last.recordedAt) }
        : { position: startPosition, globalPosition: 0, recordedAt: null };
    },

    async close() {
      closed = true;
      for (const wake of [...waiters]) wake();
    },
  };
  return store;
}
