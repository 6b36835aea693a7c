import type pg from 'pg';
import { checkExpectedVersion } from '../port/checkExpectedVersion.js';
import { IdempotencyConflictError } from '../port/errors.js';
import type { AppendResult, ExpectedVersion } from '../port/eventStore.js';
import { sameJson } from '../port/sameJson.js';
import type { SerialisedEvent } from '../port/validateAppend.js';
import { eventColumns, rowToEvent, type EventRow } from './rowToEvent.js';

export const notifyChannel = 'il_events';

/**
 * The append, inside a transaction the caller owns. The per-stream advisory lock is taken before anything is
 * written, so the transaction gets its id only once it holds the lock: a later append to the same stream then
 * always has a larger transaction id, and per-stream order agrees with the global (transaction id, position) order.
 */
export async function appendInTransaction(client: pg.ClientBase, streamId: string, batch: SerialisedEvent[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
  await client.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [streamId]);
  const current = Number((await client.query<{ version: string }>('select version::text from il_streams where stream_id = $1', [streamId])).rows[0]?.version ?? 0);

  const ids = batch.map((b) => b.event.eventId);
  const existing = (await client.query<EventRow>(`select ${eventColumns} from il_events where stream_id = $1 and event_id = any($2::uuid[]) order by il_events.stream_version`, [streamId, ids])).rows;
  if (existing.length > 0) return retriedAppend(streamId, batch, existing, current);

  checkExpectedVersion(streamId, expectedVersion, current);
  const inserted = await client.query<EventRow>(
    `insert into il_events (event_id, stream_id, stream_version, type, schema_version, data, metadata, occurred_at)
     select e.id, $1, $2::bigint + e.n, e.type, e.sv, e.data, e.meta, e.at
     from unnest($3::uuid[], $4::text[], $5::int[], $6::jsonb[], $7::jsonb[], $8::timestamptz[]) with ordinality as e(id, type, sv, data, meta, at, n)
     order by e.n
     returning ${eventColumns}`,
    [
      streamId,
      current,
      ids,
      batch.map((b) => b.event.type),
      batch.map((b) => b.event.schemaVersion),
      batch.map((b) => b.data),
      batch.map((b) => b.metadata),
      batch.map((b) => b.event.occurredAt),
    ],
  );
  const next = current + batch.length;
  await client.query(
    'insert into il_streams (stream_id, version) values ($1, $2) on conflict (stream_id) do update set version = excluded.version',
    [streamId, next],
  );
  await client.query(`select pg_notify('${notifyChannel}', '')`);
  const events = inserted.rows.map(rowToEvent).sort((a, b) => a.streamVersion - b.streamVersion);
  const last = events[events.length - 1]!;
  return { nextExpectedVersion: next, position: last.position, globalPosition: last.globalPosition, events, alreadyStored: false };
}

/** Some ids are already in the stream: an identical retry is a no-op success, anything else a conflict. */
function retriedAppend(streamId: string, batch: SerialisedEvent[], existing: EventRow[], current: number): AppendResult {
  const byId = new Map(existing.map((r) => [r.event_id.toLowerCase(), rowToEvent(r)]));
  for (const b of batch) {
    const stored = byId.get(b.event.eventId.toLowerCase());
    if (!stored || stored.type !== b.event.type || stored.schemaVersion !== b.event.schemaVersion || !sameJson(stored.data, JSON.parse(b.data))) {
      throw new IdempotencyConflictError(streamId, (stored ?? b.event).eventId);
    }
  }
  const events = batch.map((b) => byId.get(b.event.eventId.toLowerCase())!);
  const last = events.reduce((a, e) => (e.streamVersion > a.streamVersion ? e : a));
  return { nextExpectedVersion: current, position: last.position, globalPosition: last.globalPosition, events, alreadyStored: true };
}
