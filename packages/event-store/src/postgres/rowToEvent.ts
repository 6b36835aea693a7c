import type { StoredEvent } from '../port/eventStore.js';
import { formatPosition } from '../port/position.js';

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
  occurred_at: Date;
  recorded_at: Date;
}

/** Casts keep 64-bit numbers exact; ORDER BY must name `il_events.` columns, or it would sort these texts. */
export const eventColumns = `global_position::text, transaction_id::text, event_id::text, stream_id, stream_version::text, type,
  schema_version, data, metadata, occurred_at, recorded_at`;

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
    occurredAt: r.occurred_at,
    recordedAt: r.recorded_at,
  };
}
