import type pg from 'pg';
import { ConcurrencyError, IdempotencyConflictError } from '../port/errors.js';
import type { AppendResult, ExpectedVersion } from '../port/eventStore.js';
import type { SerialisedEvent } from '../port/validateAppend.js';
import { eventColumns, rowToEvent, type EventRow } from './rowToEvent.js';

export const notifyChannel = 'il_events';

const expectedCode = (v: ExpectedVersion): number => (v === 'any' ? -1 : v === 'no-stream' ? -2 : v === 'exists' ? -3 : v);

/**
 * One append through `il_append` (migration 2): lock, idempotency and version checks, insert and notify in a single
 * round trip. Works in autocommit (a pool) or inside a transaction the caller owns (a client).
 */
export async function appendInTransaction(client: pg.ClientBase | pg.Pool, streamId: string, batch: SerialisedEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
  let rows: (EventRow & { inserted: boolean })[];
  try {
    rows = (await client.query<EventRow & { inserted: boolean }>(
      `select ${eventColumns}, coalesce(transaction_id = pg_current_xact_id_if_assigned(), false) as inserted
       from il_append($1, $2, $3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[]) as il_events`,
      [
        streamId,
        expectedCode(expectedVersion),
        batch.map((b) => b.event.eventId),
        batch.map((b) => b.event.type),
        batch.map((b) => b.event.schemaVersion),
        batch.map((b) => b.data),
        batch.map((b) => b.metadata),
        batch.map((b) => b.event.occurredAt),
      ],
    )).rows;
  } catch (e) {
    const err = e as { code?: string; detail?: string };
    if (err.code === 'IL001') throw new ConcurrencyError(streamId, expectedVersion, Number(err.detail));
    if (err.code === 'IL002') throw new IdempotencyConflictError(streamId, batch[0]!.event.eventId);
    throw e;
  }
  const events = rows.map(rowToEvent).sort((a, b) => a.streamVersion - b.streamVersion);
  const last = events[events.length - 1]!;
  // An identical retry returns the events as first stored, and the version right after them: the first result.
  return { nextExpectedVersion: last.streamVersion, position: last.position, globalPosition: last.globalPosition, events, alreadyStored: !rows[0]!.inserted };
}
