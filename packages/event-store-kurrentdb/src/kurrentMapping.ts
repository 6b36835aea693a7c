import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  jsonEvent,
  type AppendStreamState,
  type CurrentStreamState,
  type EventData,
  type JSONEventType,
} from '@kurrent/kurrentdb-client';
import {
  formatPosition,
  parsePosition,
  type EventMetadata,
  type ExpectedVersion,
  type Position,
  type SerialisedEvent,
  type StoredEvent,
} from '@il/event-store';

/**
 * Pure translations between the port and KurrentDB. Versions on the port count events (1 for a stream's first);
 * KurrentDB revisions are 0-based, so version n is revision n - 1 and version 0 is "no stream".
 */
export function toStreamState(expected: ExpectedVersion): AppendStreamState {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream' || expected === 0) return NO_STREAM;
  if (expected === 'exists') return STREAM_EXISTS;
  return BigInt(expected - 1);
}

/** The stream's version from KurrentDB's view of its current state (a revision, or no stream). */
export function versionOfState(state: CurrentStreamState | AppendStreamState | undefined): number {
  return typeof state === 'bigint' ? Number(state) + 1 : 0;
}

/** What the port keeps beside the data; KurrentDB has no columns for them, so they travel in the event metadata. */
interface WireMetadata extends EventMetadata {
  schemaVersion: number;
  occurredAt: string;
}

export function toEventData(e: SerialisedEvent): EventData<JSONEventType> {
  const metadata: WireMetadata = {
    ...e.event.metadata,
    schemaVersion: e.event.schemaVersion,
    occurredAt: e.event.occurredAt.toISOString(),
  };
  return jsonEvent({
    id: e.event.eventId,
    type: e.event.type,
    data: e.event.data,
    metadata: metadata as unknown as Record<string, unknown>,
  });
}

export interface RecordedLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  created: Date;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint; prepare: bigint } | undefined;
}

/** The port's stored event from a KurrentDB record; `namespace` is the prefix this store adds to stream names. */
export function toStoredEvent(r: RecordedLike, namespace: string): StoredEvent {
  const { schemaVersion, occurredAt, ...metadata } = (r.metadata ?? {}) as Partial<WireMetadata>;
  if (!r.position)
    throw new Error(
      `event ${r.id} was read without its $all position (stream reads carry it from EventStoreDB 22.6 on, and in every KurrentDB)`,
    );
  return {
    eventId: r.id,
    streamId: r.streamId.slice(namespace.length),
    streamVersion: Number(r.revision) + 1,
    // The prepare position is unique per event; the commit position is shared by the events of one append.
    globalPosition: Number(r.position.prepare),
    position: formatPosition(r.position.commit, r.position.prepare),
    type: r.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: (r.data ?? {}) as Record<string, unknown>,
    metadata: metadata as EventMetadata,
    occurredAt: new Date(occurredAt ?? r.created),
    recordedAt: r.created,
  };
}

export function toLogPosition(position: Position): { commit: bigint; prepare: bigint } {
  const [commit, prepare] = parsePosition(position);
  return { commit, prepare };
}

/**
 * `kurrentdb://` is the client's scheme; EventStoreDB's `esdb://` (and `+discover`) is accepted and rewritten so the
 * client does not warn on every start.
 */
export function normaliseConnectionString(url: string): string {
  const m = /^(esdb|kurrentdb|kurrent|kdb)(\+discover)?:\/\/(.+)$/i.exec(url.trim());
  if (!m)
    throw new Error(
      `KURRENTDB_URL must start with kurrentdb:// or esdb:// (got ${JSON.stringify(url.replace(/\/\/[^@/]*@/, '//***@'))})`,
    );
  return `kurrentdb${m[2] ?? ''}://${m[3]}`;
}

/** True when a stored event is the same fact as one being appended again (an idempotent retry). */
export function sameEvent(stored: StoredEvent, e: SerialisedEvent): boolean {
  return (
    stored.type === e.event.type &&
    stored.schemaVersion === e.event.schemaVersion &&
    stored.occurredAt.getTime() === e.event.occurredAt.getTime() &&
    JSON.stringify(stored.data) === e.data
  );
}
