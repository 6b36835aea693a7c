import type { StoredEvent } from '@il/event-store';
import { formatPosition } from '@il/event-store';

export interface EventRow {
  global_position: string;
  transaction_id: string;
  event_id: string;
  stream_id: string;
  stream_version: string;
  type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: StoredEvent['metadata'];
  /** Milliseconds since the epoch, as int8 text. */
  occurred_ms: string;
  recorded_ms: string;
}

/**
 * Casts keep 64-bit numbers exact; ORDER BY must name `il_events.` columns, or it would sort these texts. Instants
 * come as epoch milliseconds (truncated, as a Date keeps them): parsing PostgreSQL's timestamp text was a fifth of
 * the reading process's CPU when reading streams and replaying (rebuild, first write to a project).
 */
export const eventColumns = `global_position::text, transaction_id::text, event_id::text, stream_id, stream_version::text, type,
  schema_version, data, metadata, trunc(extract(epoch from occurred_at) * 1000)::int8 as occurred_ms,
  trunc(extract(epoch from recorded_at) * 1000)::int8 as recorded_ms`;

export function rowToEvent(r: EventRow): StoredEvent {
  return {
    eventId: r.event_id,
    streamId: r.stream_id,
    streamVersion: Number(r.stream_version),
    globalPosition: Number(r.global_position),
    position: formatPosition(r.transaction_id, r.global_position),
    type: r.type,
    schemaVersion: r.schema_version,
    data: r.data,
    metadata: r.metadata,
    occurredAt: new Date(Number(r.occurred_ms)),
    recordedAt: new Date(Number(r.recorded_ms)),
  };
}
