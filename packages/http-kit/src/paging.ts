import { z } from 'zod';
import { HttpError } from './httpError.js';

/** The query parameters of every list: a page of at most `limit` items after the `cursor` of the previous page. */
export const pageParameters = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** From the previous page's nextCursor; opaque to clients. */
  cursor: z.string().max(200).optional(),
};

type Key = string | number;

const encodeCursor = (after: Key) => Buffer.from(JSON.stringify({ after })).toString('base64url');

function decodeCursor(cursor: string): Key {
  try {
    const after = (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown }).after;
    if (typeof after === 'string' || typeof after === 'number') return after;
  } catch {
    // answered below
  }
  throw new HttpError(400, 'validation-failed', 'cursor is not one this API returned', [
    { path: 'cursor', message: 'must be the nextCursor of a previous page' },
  ]);
}

/**
 * One page of a list sorted by a key that only grows for new items (an id in byte order, a recorded position): the
 * cursor is the last key of a page, so the next page is the same whatever is added, removed or filtered since.
 */
export function pageOf<T>(
  items: readonly T[],
  keyOf: (item: T) => Key,
  q: { limit: number; cursor?: string | undefined },
): { items: T[]; nextCursor: string | null } {
  let start = 0;
  if (q.cursor !== undefined) {
    const after = decodeCursor(q.cursor);
    start = items.findIndex((item) => keyOf(item) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + q.limit);
  return { items: page, nextCursor: start + q.limit < items.length ? encodeCursor(keyOf(page.at(-1)!)) : null };
}
