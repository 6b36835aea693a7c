import type { Position } from './position.js';

export interface EventMetadata {
  /** Who recorded it: a user or service id, never a participant. */
  actor: string;
  correlationId: string;
  causationId?: string | null;
}

export interface NewEvent {
  /** UUID chosen by the writer: a retried append with the same id is recognised and not stored twice. */
  eventId: string;
  type: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  /** When it happened; decides the reporting period. */
  occurredAt: Date;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  /** 1 for a stream's first event. */
  streamVersion: number;
  /** Unique number of the event in the whole store, for humans and logs; `position` is what orders and resumes. */
  globalPosition: number;
  position: Position;
  /** When the store accepted it; as-of queries cut on this. */
  recordedAt: Date;
}

/** 'no-stream': must not exist yet; 'exists': must have at least one event; a number: must be at exactly that version. */
export type ExpectedVersion = number | 'no-stream' | 'any' | 'exists';

export interface AppendResult {
  /** Version of the stream after the append (of its last event). */
  nextExpectedVersion: number;
  /** Position of the batch's last event: wait for a projector to reach it for read-after-write. */
  position: Position;
  /** Global position of the batch's last event. */
  globalPosition: number;
  /** The events as stored, in order (the earlier copies when the append was an idempotent retry). */
  events: StoredEvent[];
  /** True when every event was already stored by an earlier identical append. */
  alreadyStored: boolean;
}

export interface ReadStreamOptions {
  /** First version to return (inclusive, default 1). */
  from?: number;
  /** Last version to return (inclusive). */
  to?: number;
}

export interface ReadAllOptions {
  /** Return events after this position (exclusive); default: from the beginning. */
  after?: Position;
  limit: number;
}

/** Where a read by stream resumes: after this stream's event at this version. */
export interface StreamCursor {
  streamId: string;
  streamVersion: number;
}

export interface ReadByStreamOptions {
  /** Only events at or before this position (a position readers can see, e.g. headPosition's). */
  upTo: Position;
  /** Resume after this event (exclusive); default: from the first stream. */
  after?: StreamCursor | null;
  limit: number;
}

export interface ReadByStreamResult {
  /** Grouped by stream (streams in an adapter-defined but fixed order), each stream's events in version order. */
  events: StoredEvent[];
  /** Where the next page starts; null when this page was the last. */
  next: StreamCursor | null;
}

export interface ReadAllResult {
  events: StoredEvent[];
  /** Where to resume: the last returned event's position, or `after` when nothing was returned. */
  position: Position;
}

export type BatchHandler = (events: StoredEvent[], position: Position) => Promise<void>;

export interface SubscribeOptions {
  /** Resume after this checkpoint; default: from the beginning. */
  after?: Position;
  batchSize?: number;
  handler: BatchHandler;
  /**
   * Live, after handling a page of at least `minEvents` events (a busy store), wait until `ms` have passed since
   * that page was handed over before reading the next one, so that the events of a busy store reach the handler in
   * fewer, larger batches. Quiet stores (smaller pages) and catch-up (full pages) are read at once. Default: off.
   */
  gather?: { ms: number; minEvents: number } | null;
}

export interface Subscription {
  /** Stops after the batch being handled, if any. */
  stop(): Promise<void>;
  /** Settles when the subscription ends: resolves on stop(), rejects with the handler's or the store's error. */
  readonly done: Promise<void>;
}

/**
 * The event store port. Adapters: PostgreSQL (default, embedded) and KurrentDB. One contract suite
 * (`@il/event-store/contract`) is run against each.
 */
export interface EventStore {
  appendToStream(
    streamId: string,
    events: NewEvent[],
    options: { expectedVersion: ExpectedVersion },
  ): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /** Current version of a stream, 0 when it does not exist. */
  streamVersion(streamId: string): Promise<number>;
  readAll(options: ReadAllOptions): Promise<ReadAllResult>;
  /**
   * Every event up to a position, one stream after another (optional: an adapter that cannot page its streams in
   * order leaves it out). A rebuild folds a project's whole stream at once this way, holding one project in memory
   * instead of the state of all of them (see @il/projections-postgres' bulkLoad).
   */
  readByStream?(options: ReadByStreamOptions): Promise<ReadByStreamResult>;
  /** Catch-up, then live: hands batches in global order with the position to checkpoint after each. */
  subscribe(options: SubscribeOptions): Subscription;
  /** Position of the newest event readers may see now (for lag). */
  headPosition(): Promise<{ position: Position; globalPosition: number; recordedAt: Date | null }>;
  close(): Promise<void>;
}
