/**
 * Answers of live queries kept in the query process, each with the version of the views it was computed from
 * (for PostgreSQL: the programme's revision and the views' generation). An answer is reused only while the views
 * are still at that version, so it is never staler than a fresh computation would be; the version must be read
 * before the rows the answer is computed from, so a change committed meanwhile only makes the next caller recompute.
 *
 * Concurrent callers that miss on the same key and version share one computation: a dashboard refreshed by many
 * viewers right after a change costs one programme-wide fold, not one per viewer. Least recently used answers go
 * first. Answers are shared between callers and must not be mutated.
 */
export interface AnswerCache<T> {
  get(key: string, version: string, compute: () => Promise<T>): Promise<T>;
  stats(): { hits: number; shared: number; misses: number; size: number };
}

export function createAnswerCache<T>(capacity: number): AnswerCache<T> {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  const entries = new Map<string, { version: string; value: T }>();
  const inFlight = new Map<string, Promise<T>>();
  let hits = 0;
  let shared = 0;
  let misses = 0;
  return {
    get(key, version, compute) {
      const entry = entries.get(key);
      if (entry && entry.version === version) {
        hits++;
        // Map order is insertion order: re-inserting marks the entry as the most recently used.
        entries.delete(key);
        entries.set(key, entry);
        return Promise.resolve(entry.value);
      }
      const flight = `${version}\u0000${key}`;
      const pending = inFlight.get(flight);
      if (pending) {
        shared++;
        return pending;
      }
      misses++;
      const computing = (async () => {
        try {
          const value = await compute();
          entries.delete(key);
          entries.set(key, { version, value });
          if (entries.size > capacity) entries.delete(entries.keys().next().value as string);
          return value;
        } finally {
          inFlight.delete(flight);
        }
      })();
      inFlight.set(flight, computing);
      return computing;
    },
    stats: () => ({ hits, shared, misses, size: entries.size }),
  };
}
